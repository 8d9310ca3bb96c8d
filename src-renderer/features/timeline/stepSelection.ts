// Selecting a step (in the waterfall or the graph) selects the last snapshot it made in the timeline.
import { studio } from '../../lib/studio';
import { attempt } from '../errors/errorStore';
import { useTimeline } from './timelineStore';

export async function selectStepSnapshot(stepId: string): Promise<void> {
  const runId = useTimeline.getState().runId;
  if (!runId) return;
  const seq = await attempt(`Could not find the snapshots of step ${stepId}`, () => studio().findStepSnapshot(runId, stepId, 'last'));
  if (typeof seq === 'number' && useTimeline.getState().runId === runId) useTimeline.getState().select(seq);
}
