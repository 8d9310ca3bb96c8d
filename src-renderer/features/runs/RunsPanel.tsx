// The Runs region: every run, newest first; a click opens its timeline.
import type { KeyboardEvent } from 'react';
import { formatWhen, shortId } from '../../lib/format';
import { EmptyState, Panel } from '../../ui/Panel';
import { StatusBadge } from '../../ui/StatusBadge';
import { useRuns } from './runsStore';
import './RunsPanel.css';

export function RunsPanel() {
  const runs = useRuns((s) => s.runs);
  const loaded = useRuns((s) => s.loaded);
  const selectedRunId = useRuns((s) => s.selectedRunId);
  const select = useRuns((s) => s.select);

  const focusId = selectedRunId ?? runs[0]?.id;

  // Up and down walk the list, as in the timeline; the focused row follows the selection.
  function onKeyDown(e: KeyboardEvent<HTMLUListElement>) {
    const by = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (!by || runs.length === 0) return;
    e.preventDefault();
    const index = runs.findIndex((r) => r.id === selectedRunId);
    const next = runs[Math.min(runs.length - 1, Math.max(0, index === -1 ? 0 : index + by))];
    select(next.id);
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-run-id="${CSS.escape(next.id)}"]`)?.focus();
  }

  return (
    <Panel name="Runs" detail={runs.length > 0 ? runs.length : undefined} className="runs-panel">
      {runs.length === 0 ? (
        <EmptyState>{loaded ? 'No runs yet — run an example workflow or import an export' : 'Loading runs…'}</EmptyState>
      ) : (
        <ul className="runs-list" onKeyDown={onKeyDown}>
          {runs.map((run) => (
            <li key={run.id}>
              <button
                type="button"
                className="run-row"
                aria-current={run.id === selectedRunId ? 'true' : undefined}
                aria-label={`${run.workflowId} run ${shortId(run.id)} ${run.status}, ${run.snapshotCount} snapshots`}
                title={`Run ${run.id}\n${run.origin} · started ${run.createdAt}\nversion ${run.workflowVersion}`}
                tabIndex={run.id === focusId ? 0 : -1}
                data-run-id={run.id}
                onClick={() => select(run.id)}
              >
                <span className="run-row__line">
                  <span className="run-row__workflow">{run.workflowId}</span>
                  <StatusBadge status={run.status} />
                </span>
                <span className="run-row__line run-row__meta">
                  <code>{shortId(run.id)}</code>
                  {run.origin !== 'local' && <span className="run-row__origin">{run.origin}</span>}
                  <span className="run-row__spacer" />
                  <span>{formatWhen(run.createdAt)}</span>
                  <span className="run-row__count" title={`${run.snapshotCount} snapshots`}>
                    {run.snapshotCount} snap
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
