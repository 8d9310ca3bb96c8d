// What a replay takes from its recording: the outputs (or errors) of the steps marked `effect`, which return
// them instead of running and make the state changes they made when recorded, and the payloads of the signals steps received, so a replayed waitFor gets the
// same answer at once. Durable sleeps are not waited out in a replay.
import type { WorkflowStep } from '../../shared/api';
import type { Json, SnapshotDocument, StepError } from '../../shared/snapshot';
import type { StatePatch } from '../engine/stepWorker';
import { statePatches, type StateChange } from './stateChanges';

/** A completed effect returns its output and makes its state changes (none when they were not recorded). */
export type RecordedEffect = { output: Json; state: StatePatch[] } | { error: StepError };

export interface ReplayPlan {
  /** Effect steps that return their recorded outcome, by step id. */
  effects: Map<string, RecordedEffect>;
  /** Signal payloads each step received in the recording, by step id then signal name. */
  signals: Map<string, { [signal: string]: Json }>;
}

/**
 * The plan for replaying `recorded` with a workflow whose steps are `steps`. An effect step runs for real
 * when liveEffects is set, when the recording never finished it, or when it loops (whether it goes round
 * again is decided by its own code, which a recorded output cannot answer).
 */
export function replayPlan(
  recorded: SnapshotDocument,
  steps: readonly WorkflowStep[],
  liveEffects: boolean,
  recordedChanges: ReadonlyMap<string, StateChange> = new Map(),
): ReplayPlan {
  const effects = new Map<string, RecordedEffect>();
  if (!liveEffects) {
    for (const step of steps) {
      const record = Object.hasOwn(recorded.steps, step.id) ? recorded.steps[step.id] : undefined;
      if (!step.effect || step.loop || !record) continue;
      if (record.status === 'completed') {
        const change = recordedChanges.get(step.id);
        effects.set(step.id, { output: record.output ?? null, state: change ? statePatches(change.before, change.after) : [] });
      }
      else if (record.status === 'failed' && record.error) effects.set(step.id, { error: record.error });
    }
  }
  const signals = new Map<string, { [signal: string]: Json }>();
  for (const [stepId, record] of Object.entries(recorded.steps)) if (record.signals) signals.set(stepId, record.signals);
  return { effects, signals };
}
