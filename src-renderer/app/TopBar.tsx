// The toolbar: product name, a "read-only" badge when the studio is, workspace, and the workflow to run.
import { ExchangeButtons } from '../features/exchange/ExchangeButtons';
import { WorkflowPicker } from '../features/workflows/WorkflowPicker';
import { useWorkflows } from '../features/workflows/workflowsStore';
import { useStudioInfo } from './studioInfo';

export function TopBar() {
  const workspace = useWorkflows((s) => s.workspace);
  const info = useStudioInfo((s) => s.info);
  return (
    <header className="top-bar">
      <div className="top-bar__brand">
        <span className="top-bar__logo" aria-hidden />
        <h1>Snapshot Studio</h1>
        {info?.readOnly && (
          <span className="chip top-bar__read-only" title={`${info.database} is open read-only (--read-only): runs and snapshots can be browsed and exported, nothing can be changed`}>
            read-only
          </span>
        )}
      </div>
      <span className="top-bar__divider" aria-hidden />
      <WorkflowPicker />
      <span className="top-bar__divider" aria-hidden />
      <ExchangeButtons />
      {workspace && (
        <span className="top-bar__workspace" title={workspace}>
          {/* Marks keep the path's slashes in place inside the right-to-left box that ellipsizes from the left. */}
          {`\u200e${workspace}\u200e`}
        </span>
      )}
    </header>
  );
}
