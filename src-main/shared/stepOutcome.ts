// What a snapshot says about its own step, apart from the run's status: the timeline's Status column, the
// Inspector's header and the CLI's `snapshots` table show it, so `step-failed charge` reads "failed" while
// the run is still "running". Shared by the store (which keeps it per row) and the window.
import type { SnapshotDocument, SnapshotKind, StepStatus } from './snapshot';

/** A step row's outcome: the step's status, or what the snapshot's event did to the step. */
export type StepOutcome = StepStatus | 'started' | 'retry-scheduled' | 'resumed';

/** The outcome a snapshot's kind says on its own, for a snapshot made by a step's event. */
export const STEP_OUTCOME_BY_KIND: Readonly<Partial<Record<SnapshotKind, StepOutcome>>> = {
  'step-started': 'started',
  'step-completed': 'completed',
  'step-failed': 'failed',
  'step-skipped': 'skipped',
  'retry-scheduled': 'retry-scheduled',
  waiting: 'waiting',
  resumed: 'resumed',
};

/**
 * The outcome of the step that made this snapshot; null for a snapshot of the run (no step). A kind that
 * names no outcome (an imported or edited snapshot of a step) gives the step's recorded status.
 */
export function stepOutcome(doc: Pick<SnapshotDocument, 'kind' | 'stepId' | 'steps'>): StepOutcome | null {
  if (!doc.stepId) return null;
  return STEP_OUTCOME_BY_KIND[doc.kind] ?? doc.steps[doc.stepId]?.status ?? null;
}

/** Where a failed run failed: its last failed step's snapshot and that error's first line. */
export interface RunFailure {
  stepId: string;
  /** The seq of the step's `step-failed` snapshot, absent when retention pruned it. */
  seq?: number;
  message: string;
}

/** "failed at charge: card declined for 120 EUR": the run header and the CLI's `run` say this. */
export function failureLine(failure: RunFailure): string {
  return `failed at ${failure.stepId}: ${firstLine(failure.message)}`;
}

export function firstLine(text: string): string {
  const end = text.indexOf('\n');
  return end === -1 ? text : text.slice(0, end);
}
