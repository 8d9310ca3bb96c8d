// What each step did to a run's state: the state just before and just after the snapshot that completed
// it (its last completion, for a step that ran more than once), read from the store. A replay gives an
// effect step its recorded changes, and compares every step's changes with the recording's.
import { isDeepStrictEqual } from 'node:util';
import type { Json, SnapshotDocument } from '../../shared/snapshot';
import type { StatePatch } from '../engine/stepWorker';
import type { StoreReader } from '../store/store';

/** The run's state around a step's completion. */
export interface StateChange {
  before: Record<string, Json>;
  after: Record<string, Json>;
}

/**
 * Each completed step's state change, by step id. The snapshot before the completion is the state the
 * step's changes were merged into: unlike the step's start snapshot, it holds no change of a step that
 * ran beside it. A step whose snapshots were pruned has no entry.
 */
export async function stateChangesOf(store: StoreReader, runId: string): Promise<Map<string, StateChange>> {
  const rows = await store.lastCompletions(runId);
  const first = await store.getRunSummary(runId);
  const firstSeq = first.lastSeq - first.snapshotCount + 1;
  const changes = new Map<string, StateChange>();
  for (const { stepId, seq } of rows) {
    if (seq - 1 < firstSeq) continue;
    const [before, after]: SnapshotDocument[] = [await store.getSnapshot(runId, seq - 1), await store.getSnapshot(runId, seq)];
    changes.set(stepId, { before: before.state, after: after.state });
  }
  return changes;
}

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The change from `before` to `after` as set/remove patches (the form a step's worker reports): keys
 * added, removed or changed, descending into objects changed on both sides; an array that changed is set
 * whole, so applying the patches to a state that differs elsewhere changes only what the step changed.
 */
export function statePatches(before: Record<string, Json>, after: Record<string, Json>, path: (string | number)[] = []): StatePatch[] {
  const patches: StatePatch[] = [];
  for (const key of Object.keys(before)) if (!Object.hasOwn(after, key)) patches.push({ op: 'remove', path: [...path, key] });
  for (const [key, value] of Object.entries(after)) {
    if (!Object.hasOwn(before, key)) patches.push({ op: 'add', path: [...path, key], value });
    else if (isObject(before[key]) && isObject(value)) patches.push(...statePatches(before[key], value, [...path, key]));
    else if (!isDeepStrictEqual(before[key], value)) patches.push({ op: 'replace', path: [...path, key], value });
  }
  return patches;
}
