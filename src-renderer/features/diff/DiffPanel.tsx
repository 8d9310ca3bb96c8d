// The Diff region: what changed between the two compared snapshots, as counts, paths and a visual diff.
import { EmptyState, Panel } from '../../ui/Panel';
import { ChangedPaths } from './ChangedPaths';
import { useDiff } from './diffStore';
import { DiffView } from './DiffView';
import './DiffPanel.css';

export function DiffPanel() {
  const pair = useDiff((s) => s.pair);
  const diff = useDiff((s) => s.diff);
  const loading = useDiff((s) => s.loading);
  const showAll = useDiff((s) => s.showUnchanged);
  const setShowAll = useDiff((s) => s.setShowUnchanged);

  const summary = diff?.summary;
  const detail = pair ? `#${pair[0].seq} → #${pair[1].seq}` : undefined;
  const actions = diff?.delta !== undefined && (
    <label className="toggle">
      <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
      Show unchanged
    </label>
  );

  return (
    <Panel name="Diff" detail={detail} actions={actions} className="diff-panel">
      {!pair ? (
        <EmptyState>Check two snapshots in the timeline and press Compare</EmptyState>
      ) : !diff || !summary ? (
        <EmptyState>{loading ? 'Comparing…' : 'The comparison could not be made'}</EmptyState>
      ) : diff.delta === undefined ? (
        <EmptyState>The two snapshots are identical</EmptyState>
      ) : (
        <div className="diff-panel__content">
          <p className="diff-summary" aria-label="Diff summary">
            <span className="diff-summary__added">{summary.added} added</span>
            <span className="diff-summary__removed">{summary.removed} removed</span>
            <span className="diff-summary__changed">{summary.changed} changed</span>
          </p>
          {summary.paths.length > 0 && <ChangedPaths paths={summary.paths} />}
          <DiffView delta={diff.delta} left={diff.left} showAll={showAll} />
        </div>
      )}
    </Panel>
  );
}
