// The one IPC surface between main and preload: channel names, the reply envelope and the list of
// callable methods. Imported by both sides; it imports types only, so the sandboxed preload stays free
// of dependencies (a sandboxed preload cannot require packages such as zod at run time).
import type { ApiErrorBody, StudioMethod } from '../shared/api';

/** Renderer → main: invoke(STUDIO_CALL_CHANNEL, method, args) with args an array. */
export const STUDIO_CALL_CHANNEL = 'snapshot-studio:call';
/** Main → renderer: one StudioEvent per message. */
export const STUDIO_EVENT_CHANNEL = 'snapshot-studio:event';

/** What a call resolves to over IPC: errors travel as data so their code survives the trip. */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody };

// A Record over StudioMethod makes the compiler reject a missing or an extra name, so this list cannot
// drift from the contract; schemas.ts's apiArgs is tied to the same type the same way.
const contractMethods: Record<StudioMethod, true> = {
  listWorkflows: true,
  startRun: true,
  listRuns: true,
  getRun: true,
  listSnapshots: true,
  getSnapshot: true,
  diffSnapshots: true,
  listVersions: true,
  getVersion: true,
  pause: true,
  cancel: true,
  resume: true,
  retry: true,
  fork: true,
};

/** Every method of StudioApi, in contract order: what the preload exposes. */
export const bridgeMethods = Object.keys(contractMethods) as StudioMethod[];
