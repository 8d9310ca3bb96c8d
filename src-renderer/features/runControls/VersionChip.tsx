// The run header's version chip: the version the run ran with, or on a run of an older version a chip
// "older version a0a56cb7, saved 19:31:43" and "Switch to latest version", which shows the newest one
// (steps, config schema) and says so in the latest colour. "Snapshot" is kept for snapshots.
import type { RunSummary } from '@shared/api';
import { formatWhen } from '../../lib/format';
import { useRunVersion } from '../versions/runVersionStore';
import { useWorkflows } from '../workflows/workflowsStore';

export function VersionChip({ run }: { run: RunSummary }) {
  const workflow = useWorkflows((s) => s.workflows.find((w) => w.id === run.workflowId));
  const runVersion = useRunVersion((s) => (s.runId === run.id ? s.runVersion : null));
  const showLatest = useRunVersion((s) => s.runId === run.id && s.showLatest);
  const switchToLatest = useRunVersion((s) => s.switchToLatest);
  const name = workflow?.name ?? run.workflowId;
  const old = !!workflow && workflow.version !== run.workflowVersion;

  if (!old) {
    return (
      <span className="chip chip--latest" title={`Workflow version ${run.workflowVersion}: the workspace’s latest`}>
        latest <code>{run.workflowVersion.slice(0, 8)}</code>
      </span>
    );
  }
  if (showLatest) {
    return (
      <>
        <span className="chip chip--latest" title={`Showing the workspace’s latest version ${workflow.version}; the run ran with ${run.workflowVersion}`}>
          latest <code>{workflow.version.slice(0, 8)}</code>
        </span>
        <button type="button" className="link-button" onClick={() => switchToLatest(false)}>
          Back to the run’s version
        </button>
      </>
    );
  }
  return (
    <>
      <span className="chip chip--snapshot" title={`The run ran with version ${run.workflowVersion} of ${name}, which is not the workspace’s latest`}>
        older version <code>{run.workflowVersion.slice(0, 8)}</code>
        {runVersion ? `, saved ${formatWhen(runVersion.createdAt)}` : ''}
      </span>
      <button type="button" className="button button--small" onClick={() => switchToLatest(true)}>
        Switch to latest version
      </button>
    </>
  );
}
