// The one IPC surface between main and preload: channel names, the reply envelope and the list of
// callable methods. Imported by both sides; it imports types only, so the sandboxed preload stays free
// of dependencies (a sandboxed preload cannot require packages such as zod at run time).
import type { ApiErrorBody } from '../shared/api';
import { contractMethods } from '../shared/methods';

/** Renderer → main: invoke(STUDIO_CALL_CHANNEL, method, args) with args an array. */
export const STUDIO_CALL_CHANNEL = 'snapshot-studio:call';
/** Renderer → main: invoke(STUDIO_EXPORT_CHANNEL, options without `out`, suggestedName): main asks where to save
 * and writes there; replies ExportResult, or null when the person cancelled. */
export const STUDIO_EXPORT_CHANNEL = 'snapshot-studio:export';
/** Preload → main: invoke(STUDIO_IMPORT_FILE_CHANNEL, path, format): the path of a File the person dropped or picked,
 * which only the preload can learn (webUtils.getPathForFile); replies ImportSummary. */
export const STUDIO_IMPORT_FILE_CHANNEL = 'snapshot-studio:import-file';
/** Renderer → main: invoke(STUDIO_IMPORT_DIALOG_CHANNEL, format): main shows an open dialog and imports what was
 * chosen; replies ImportSummary, or null when the person cancelled. */
export const STUDIO_IMPORT_DIALOG_CHANNEL = 'snapshot-studio:import-dialog';
/** Main → renderer: one StudioEvent per message. */
export const STUDIO_EVENT_CHANNEL = 'snapshot-studio:event';

/** What a call (or a file channel) resolves to over IPC: errors travel as data so their code survives the trip. */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

/** Every method of StudioApi, in contract order: what the preload exposes. */
export const bridgeMethods = contractMethods;
