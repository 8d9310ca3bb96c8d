// The selected run's steps and config schema in the version it is seen with (runVersionStore): the version it
// ran with, or the workspace's newest (workflowsStore) after "Switch to latest version".
import type { WorkflowStep } from '@shared/api';
import type { Json } from '@shared/snapshot';
import { useWorkflows } from '../workflows/workflowsStore';
import { useRunVersion } from './runVersionStore';

function latestSummary(workflowId: string | null) {
  return useWorkflows.getState().workflows.find((w) => w.id === workflowId);
}

/** The selected run's steps, in the version it is seen with. */
export function useRunSteps(): WorkflowStep[] | undefined {
  const runVersion = useRunVersion((s) => s.runVersion);
  const showLatest = useRunVersion((s) => s.showLatest);
  const workflowId = useRunVersion((s) => s.workflowId);
  const latest = useWorkflows((s) => s.workflows.find((w) => w.id === workflowId));
  return showLatest ? (latest?.steps ?? runVersion?.steps) : (runVersion?.steps ?? latest?.steps);
}

/** The config schema of the version the run is seen with. */
export function currentConfigSchema(): Json | undefined {
  const { runVersion, showLatest, workflowId } = useRunVersion.getState();
  const latest = latestSummary(workflowId);
  return showLatest ? (latest?.configSchema ?? runVersion?.configSchema) : (runVersion?.configSchema ?? latest?.configSchema);
}
