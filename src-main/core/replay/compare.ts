// Comparing a replay with its recording, step by step: pure functions over the two runs' last snapshots.
// Steps are taken in the order the recording started them; for each step both ran, the status, then the
// loop iteration, then the error message or the output (first differing JSON path) are compared.
import type { ReplayDivergence } from '../../shared/api';
import type { Json, SnapshotDocument, StepRecord } from '../../shared/snapshot';

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

function compareStep(stepId: string, recorded: StepRecord, replayed: StepRecord): ReplayDivergence | null {
  if (recorded.status !== replayed.status) return { stepId, path: 'status', recorded: recorded.status, replayed: replayed.status };
  if ((recorded.iteration ?? 1) !== (replayed.iteration ?? 1)) return { stepId, path: 'iteration', recorded: recorded.iteration ?? 1, replayed: replayed.iteration ?? 1 };
  if (recorded.status === 'failed') {
    const a = recorded.error?.message;
    const b = replayed.error?.message;
    return a === b ? null : { stepId, path: 'error', ...(a !== undefined ? { recorded: a } : {}), ...(b !== undefined ? { replayed: b } : {}) };
  }
  const d = firstDifference(recorded.output, replayed.output);
  return d ? { stepId, ...d } : null;
}

/** Compares a replay's last snapshot with its recording's, step by step in the recording's order. */
export function compareRuns(recorded: SnapshotDocument, replayed: SnapshotDocument): RunComparison {
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
      firstDivergence ??= { stepId, path: 'status', recorded: a.status, ...(b ? { replayed: b.status } : {}) };
      continue;
    }
    compared++;
    firstDivergence ??= compareStep(stepId, a, b) ?? undefined;
  }
  for (const stepId of startOrder(replayed)) {
    const b = replayed.steps[stepId];
    const a = own(recorded.steps, stepId);
    if (ran(b) && !decided(a)) {
      addedSteps.push(stepId);
      firstDivergence ??= { stepId, path: 'status', ...(a ? { recorded: a.status } : {}), replayed: b.status };
    }
  }
  return { ...(firstDivergence ? { firstDivergence } : {}), missingSteps, addedSteps, compared };
}
