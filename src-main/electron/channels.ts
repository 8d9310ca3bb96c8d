// The one IPC surface between main and preload: channel names, the reply envelope and the list of
// callable methods. Imported by both sides; it imports types only, so the sandboxed preload stays free
// of dependencies (a sandboxed preload cannot require packages such as zod at run time).
import type { ApiErrorBody } from '../shared/api';
import { contractMethods } from '../shared/methods';

/** Renderer → main: invoke(STUDIO_CALL_CHANNEL, method, args) with args an array. */
export const STUDIO_CALL_CHANNEL = 'snapshot-studio:call';
/** Renderer → main: invoke(STUDIO_SAVE_DIALOG_CHANNEL, suggestedName) → the chosen path, or null when cancelled. */
export const STUDIO_SAVE_DIALOG_CHANNEL = 'snapshot-studio:choose-export-file';
/** Main → renderer: one StudioEvent per message. */
export const STUDIO_EVENT_CHANNEL = 'snapshot-studio:event';

/** What a call resolves to over IPC: errors travel as data so their code survives the trip. */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

/** Every method of StudioApi, in contract order: what the preload exposes. */
export const bridgeMethods = contractMethods;
