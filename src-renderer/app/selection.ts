// What is selected — a run, one of its snapshots, two snapshots to compare — and which views hear of it. Each
// store keeps only its own state; this is the one place that tells the others, so no store reaches into another.
import { studio } from '../lib/studio';
import { attempt } from '../lib/attempt';
import { useDiff } from '../features/diff/diffStore';
import { useInspector } from '../features/inspector/inspectorStore';
import { runById, useRuns } from '../features/runs/runsStore';
import { useTimeline } from '../features/timeline/timelineStore';
import { useRunVersion } from '../features/versions/runVersionStore';

/** Selects a run: its timeline and its workflow version open; the inspector and the diff start empty. */
export function selectRun(runId: string): void {
  const runs = useRuns.getState();
  if (runs.selectedRunId === runId) return;
  runs.select(runId);
  void useTimeline.getState().open(runId);
  useInspector.getState().clear();
  useDiff.getState().clear();
  const run = runById(runs.runs, runId);
  if (run) void useRunVersion.getState().open(run);
}

/** Starts a run of a workflow and selects it, as the Run button does. */
export async function startAndSelectRun(workflowId: string): Promise<void> {
  const run = await useRuns.getState().startRun(workflowId);
  if (run) selectRun(run.id);
}

/**
 * Selects a snapshot of the open run and opens it in the inspector. `ofRun`: the run the seq was found in; when
 * another run was opened meanwhile, nothing changes.
 */
export function selectSnapshot(seq: number, ofRun?: string): void {
  const timeline = useTimeline.getState();
  const { runId, selectedSeq } = timeline;
  if (!runId || (ofRun !== undefined && ofRun !== runId) || seq === selectedSeq) return;
  timeline.select(seq);
  void useInspector.getState().open(runId, seq);
}

/** Moves the selected snapshot by `by` rows (the keyboard), and opens the one it lands on. */
export function moveSnapshotSelection(by: number): void {
  const before = useTimeline.getState().selectedSeq;
  useTimeline.getState().move(by);
  const { runId, selectedSeq } = useTimeline.getState();
  if (runId && selectedSeq !== null && selectedSeq !== before) void useInspector.getState().open(runId, selectedSeq);
}

/** Selecting a step (in the waterfall or the graph) selects the last snapshot it made in the timeline. */
export async function selectStepSnapshot(stepId: string): Promise<void> {
  const runId = useTimeline.getState().runId;
  if (!runId) return;
  const seq = await attempt(`Could not find the snapshots of step ${stepId}`, () => studio().findStepSnapshot(runId, stepId, 'last'));
  if (typeof seq === 'number') selectSnapshot(seq, runId);
}

/** Compares the last two snapshots checked in the timeline, older first. */
export function compareChecked(): void {
  const { runId, checked } = useTimeline.getState();
  if (!runId || checked.length < 2) return;
  const [a, b] = checked.slice(-2).sort((x, y) => x - y);
  void useDiff.getState().compare({ runId, seq: a }, { runId, seq: b });
}
