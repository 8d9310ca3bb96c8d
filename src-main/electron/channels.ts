// The one IPC surface between main and preload: channel names and the reply envelope. Imported by both sides;
// the methods the preload exposes are the contract's (shared/schemas.ts studioMethods), bundled into the
// preload with what they need, since a sandboxed preload can require nothing but 'electron'.
import type { ApiErrorBody } from '../shared/api';

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
/** Renderer → main: invoke(STUDIO_OPEN_DATABASE_CHANNEL, database): closes the database, opens this one (a file or a
 * postgres:// URL, its password used for this session only) and remembers it without its password; replies StudioInfo.
 * The database open before stays open when this one cannot be. */
export const STUDIO_OPEN_DATABASE_CHANNEL = 'snapshot-studio:open-database';
/** Main → renderer: the menu's Open database… was chosen; the window asks which. */
export const STUDIO_ASK_DATABASE_CHANNEL = 'snapshot-studio:ask-database';
/** Main → renderer: one StudioEvent per message. */
export const STUDIO_EVENT_CHANNEL = 'snapshot-studio:event';

/** What a call (or a file channel) resolves to over IPC: errors travel as data so their code survives the trip. */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };
