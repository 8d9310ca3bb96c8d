// A step's changes to the state arrive as patches (paths from the state's root, recorded by Immer in the
// worker) and are applied to the run's current state, sharing every untouched part with it. Parallel
// steps each start from the state as it was when they started; a path two of them both changed ends with
// the value of the step that completed last. A patch whose path no longer exists (another step removed
// its parent) is a conflict, reported with both paths.
import { applyPatches, enablePatches, setAutoFreeze } from 'immer';
import type { Json } from '../../shared/snapshot';
import type { StatePatch } from './stepWorker';

enablePatches();
// Snapshots are plain data handed to the store, the shells and other steps; freezing them costs time on
// every step and buys nothing the scheduler's copy-on-write discipline does not already give.
setAutoFreeze(false);

export class StateConflictError extends Error {
  constructor(readonly path: string, cause: string) {
    super(`the step changed state${path}, which no longer exists in the run's state (another step changed it meanwhile): ${cause}`);
    this.name = 'StateConflictError';
  }
}

export function pointer(path: (string | number)[]): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function applyStatePatches(current: Record<string, Json>, patches: StatePatch[]): Record<string, Json> {
  if (patches.length === 0) return current;
  try {
    return applyPatches(current, patches as Parameters<typeof applyPatches>[1]) as Record<string, Json>;
  } catch (err) {
    // Only on the error path: find the patch that does not apply, to name its path.
    let state = current;
    for (const p of patches) {
      try {
        state = applyPatches(state, [p] as Parameters<typeof applyPatches>[1]) as Record<string, Json>;
      } catch (one) {
        throw new StateConflictError(pointer(p.path), (one as Error).message);
      }
    }
    throw err;
  }
}
