// What a run's status means for the views (the renderer imports only types from the contract).
import type { RunStatus } from '@shared/snapshot';

const ENDED: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'cancelled']);

/** A run that may still write snapshots. */
export function isLive(status: RunStatus): boolean {
  return !ENDED.has(status);
}
