// The Timeline region: the run header, a waterfall of step durations, then every snapshot in a virtual list
// (TimelineList). Arrows, Page keys, Home and End move the selection; space checks the selected snapshot for
// comparison.
import { useRef } from 'react';
import { compareChecked } from '../../app/selection';
import { isLive } from '../../lib/runStatus';
import { EmptyState, Panel } from '../../ui/Panel';
import { RunBar } from '../runControls/RunBar';
import { runById, useRuns } from '../runs/runsStore';
import { TimelineList } from './TimelineList';
import { useTimeline } from './timelineStore';
import { Waterfall } from './Waterfall';
import './TimelinePanel.css';

export function TimelinePanel() {
  const runId = useTimeline((s) => s.runId);
  const total = useTimeline((s) => s.total);
  const loading = useTimeline((s) => s.loading);
  const checked = useTimeline((s) => s.checked);
  const run = useRuns((s) => runById(s.runs, runId));
  const scrollRef = useRef<HTMLDivElement>(null);
  const live = !!run && isLive(run.status);

  const canCompare = checked.length >= 2;
  const pair = checked.slice(-2).sort((a, b) => a - b);
  const actions = runId && (
    <>
      <span className="timeline-panel__hint">
        {checked.length === 0 ? 'check two (space) to compare' : `${checked.length} checked`}
      </span>
      <button
        type="button"
        className="button button--small"
        disabled={!canCompare}
        onClick={compareChecked}
        title={canCompare ? `Compare #${pair[0]} with #${pair[1]}` : 'Check two snapshots'}
      >
        Compare
      </button>
    </>
  );

  return (
    <Panel
      name="Timeline"
      detail={runId ? `${total.toLocaleString('en')} snapshot${total === 1 ? '' : 's'}` : undefined}
      actions={actions}
      toolbar={
        <>
          {run && <RunBar run={run} />}
          {runId && total > 0 && <Waterfall />}
        </>
      }
      className="timeline-panel"
      bodyRef={scrollRef}
    >
      {!runId ? (
        <EmptyState>Select a run to see its snapshots</EmptyState>
      ) : total === 0 ? (
        <EmptyState>{loading ? 'Loading snapshots…' : 'This run has no snapshots yet'}</EmptyState>
      ) : (
        <>
          <div className="timeline-columns" aria-hidden>
            <span />
            <span>#</span>
            <span>Kind</span>
            <span>Step</span>
            <span>Status</span>
            <span>Time</span>
            <span className="timeline-columns__size">Size</span>
          </div>
          <TimelineList runId={runId} scrollRef={scrollRef} live={live} />
        </>
      )}
    </Panel>
  );
}
