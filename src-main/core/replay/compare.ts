// Comparing a replay with its recording, step by step: pure functions over the two runs' last snapshots and
// each step's state change. Steps are taken in the order the recording started them; for each step both
// ran, the status, then the loop iteration, then the error message or the output, then the state after the
// step (first differing JSON path) are compared.
import type { ReplayDivergence } from '../../shared/api';
import type { Json, SnapshotDocument, StepRecord } from '../../shared/snapshot';
import { pointer } from '../engine/stateMerge';
import { statePatches, type StateChange } from './stateChanges';

export interface RunComparison {
  firstDivergence?: ReplayDivergence;
  missingSteps: string[];
  addedSteps: string[];
  compared: number;
}

/** A step was decided once it left pending (ran, or was skipped); it ran when it was not skipped either. */
const decided = (s: StepRecord | undefined): boolean => s !== undefined && s.status !== 'pending';
const ran = (s: StepRecord | undefined): boolean => decided(s) && s!.status !== 'skipped';

const own = (steps: { [id: string]: StepRecord }, id: string): StepRecord | undefined => (Object.hasOwn(steps, id) ? steps[id] : undefined);

/** Step ids in the order they started (steps never started last, in document order). */
export function startOrder(doc: SnapshotDocument): string[] {
  const ids = Object.keys(doc.steps);
  const position = new Map(ids.map((id, i) => [id, i]));
  const started = (id: string) => doc.steps[id].startedAt ?? '\uffff';
  return ids.sort((a, b) => (started(a) < started(b) ? -1 : started(a) > started(b) ? 1 : position.get(a)! - position.get(b)!));
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

const isObject = (v: unknown): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The first place where two JSON values differ, as a JSON pointer with the value on each side (a side
 * without that path has no value), or null when they are equal. Object keys are visited in the recorded
 * value's order, then the replayed value's new keys; arrays by position.
 */
export function firstDifference(recorded: Json | undefined, replayed: Json | undefined, path = ''): { path: string; recorded?: Json; replayed?: Json } | null {
  const here = () => ({ path, ...(recorded !== undefined ? { recorded } : {}), ...(replayed !== undefined ? { replayed } : {}) });
  if (Array.isArray(recorded) && Array.isArray(replayed)) {
    const n = Math.max(recorded.length, replayed.length);
    for (let i = 0; i < n; i++) {
      const d = firstDifference(i < recorded.length ? recorded[i] : undefined, i < replayed.length ? replayed[i] : undefined, `${path}/${i}`);
      if (d) return d;
    }
    return null;
  }
  if (isObject(recorded) && isObject(replayed)) {
        const keys = [...Object.keys(recorded), ...Object.keys(replayed).filter((k) => !Object.hasOwn(recorded, k))];
    for (const k of keys) {
      const d = firstDifference(Object.hasOwn(recorded, k) ? recorded[k] : undefined, Object.hasOwn(replayed, k) ? replayed[k] : undefined, `${path}/${escapePointer(k)}`);
      if (d) return d;
    }
    return null;
  }
  if (recorded === replayed) return null;
  // NaN cannot come from JSON; numbers, strings, booleans and null compare by value.
  return here();
}

/** Each run's state change per step (see stateChangesOf); a step with none on either side has its state not compared. */
export interface StepStateChanges {
  recorded: ReadonlyMap<string, StateChange>;
  replayed: ReadonlyMap<string, StateChange>;
}

const valueAt = (state: Json, path: (string | number)[]): Json | undefined => {
  let node: Json | undefined = state;
  for (const key of path) node = isObject(node) && Object.hasOwn(node, key) ? node[key] : undefined;
  return node;
};

/**
 * The first place where the state after a step differs, looked for at every path the step changed on
 * either side: a change made by a step running beside it (in a different order on the two sides) is not
 * this step's divergence. The path is a pointer into the snapshot (`/state/...`), as the Diff shows it.
 */
function compareState(stepId: string, recorded: StateChange | undefined, replayed: StateChange | undefined): ReplayDivergence | null {
  if (!recorded || !replayed) return null;
  const changed = [...statePatches(recorded.before, recorded.after), ...statePatches(replayed.before, replayed.after)].map((p) => p.path);
  for (const path of changed) {
    const d = firstDifference(valueAt(recorded.after, path), valueAt(replayed.after, path), `/state${pointer(path)}`);
    if (d) return { stepId, field: 'state', ...d };
  }
  return null;
}

function compareStep(stepId: string, recorded: StepRecord, replayed: StepRecord, changes: StepStateChanges): ReplayDivergence | null {
  if (recorded.status !== replayed.status) return { stepId, field: 'status', path: 'status', recorded: recorded.status, replayed: replayed.status };
  if ((recorded.iteration ?? 1) !== (replayed.iteration ?? 1)) return { stepId, field: 'iteration', path: 'iteration', recorded: recorded.iteration ?? 1, replayed: replayed.iteration ?? 1 };
  if (recorded.status === 'failed') {
    const a = recorded.error?.message;
    const b = replayed.error?.message;
    return a === b ? null : { stepId, field: 'error', path: 'error', ...(a !== undefined ? { recorded: a } : {}), ...(b !== undefined ? { replayed: b } : {}) };
  }
  const d = firstDifference(recorded.output, replayed.output);
  if (d) return { stepId, field: 'output', ...d };
  return compareState(stepId, changes.recorded.get(stepId), changes.replayed.get(stepId));
}

const NO_CHANGES: StepStateChanges = { recorded: new Map(), replayed: new Map() };

/** Compares a replay's last snapshot with its recording's, step by step in the recording's order. */
export function compareRuns(recorded: SnapshotDocument, replayed: SnapshotDocument, changes: StepStateChanges = NO_CHANGES): RunComparison {
  const missingSteps: string[] = [];
  const addedSteps: string[] = [];
  let firstDivergence: ReplayDivergence | undefined;
  let compared = 0;
  for (const stepId of startOrder(recorded)) {
    const a = recorded.steps[stepId];
    const b = own(replayed.steps, stepId);
    if (!decided(a)) continue;
    if (!b || !decided(b)) {
      // Skipped in the recording and never reached in the replay: neither side ran it.
      if (!ran(a)) continue;
      missingSteps.push(stepId);
      firstDivergence ??= { stepId, field: 'status', path: 'status', recorded: a.status, ...(b ? { replayed: b.status } : {}) };
      continue;
    }
    compared++;
    firstDivergence ??= compareStep(stepId, a, b, changes) ?? undefined;
  }
  for (const stepId of startOrder(replayed)) {
    const b = replayed.steps[stepId];
    const a = own(recorded.steps, stepId);
    if (ran(b) && !decided(a)) {
      addedSteps.push(stepId);
      firstDivergence ??= { stepId, field: 'status', path: 'status', ...(a ? { recorded: a.status } : {}), replayed: b.status };
    }
  }
  return { ...(firstDivergence ? { firstDivergence } : {}), missingSteps, addedSteps, compared };
}
