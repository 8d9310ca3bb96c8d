// The Timeline region: the selected run's snapshots in order; arrows move the selection, two checks enable Compare.
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { isLive } from '../../lib/runStatus';
import { shortId } from '../../lib/format';
import { EmptyState, Panel } from '../../ui/Panel';
import { RunBar } from '../runControls/RunBar';
import { useRuns } from '../runs/runsStore';
import { TimelineItem } from './TimelineItem';
import { useTimeline } from './timelineStore';
import { useFollowTail } from './useFollowTail';
import { useLoadMoreWhenVisible } from './useLoadMoreWhenVisible';
import './TimelinePanel.css';

const KEY_STEPS: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 10, PageUp: -10 };

export function TimelinePanel() {
  const runId = useTimeline((s) => s.runId);
  const items = useTimeline((s) => s.items);
  const total = useTimeline((s) => s.total);
  const loading = useTimeline((s) => s.loading);
  const selectedSeq = useTimeline((s) => s.selectedSeq);
  const checked = useTimeline((s) => s.checked);
  const { select, move, toggleChecked, compare, loadMore } = useTimeline.getState();
  const run = useRuns((s) => s.runs.find((r) => r.id === runId));
  const listRef = useRef<HTMLOListElement>(null);
  const moreRef = useRef<HTMLButtonElement>(null);
  const hasMore = items.length < total;
  useFollowTail(listRef, items.length, runId, !!run && isLive(run.status) && !hasMore);
  useLoadMoreWhenVisible(moreRef, hasMore && !loading, loadMore);

  // Keep the selected row in view and focused when the keyboard moved it.
  useEffect(() => {
    const list = listRef.current;
    if (!list || selectedSeq === null) return;
    const row = list.querySelector<HTMLButtonElement>(`li[data-seq="${selectedSeq}"] .timeline-item__row`);
    if (!row) return;
    row.scrollIntoView({ block: 'nearest' });
    if (list.contains(document.activeElement) && document.activeElement !== row) row.focus();
  }, [selectedSeq]);

  function onKeyDown(e: KeyboardEvent<HTMLOListElement>) {
    const step = KEY_STEPS[e.key];
    if (step === undefined) return;
    e.preventDefault();
    move(step);
  }

  const focusSeq = selectedSeq ?? items[0]?.seq;
  const canCompare = checked.length === 2;
  const actions = runId && (
    <>
      <span className="timeline-panel__hint">
        {checked.length === 0 ? 'check two to compare' : `${checked.length} checked`}
      </span>
      <button
        type="button"
        className="button button--small"
        disabled={!canCompare}
        onClick={compare}
        title={canCompare ? `Compare #${Math.min(...checked)} with #${Math.max(...checked)}` : 'Check exactly two snapshots'}
      >
        Compare
      </button>
    </>
  );

  return (
    <Panel
      name="Timeline"
      detail={runId ? `${total} snapshot${total === 1 ? '' : 's'}` : undefined}
      actions={actions}
      toolbar={run && <RunBar run={run} />}
      className="timeline-panel"
    >
      {!runId ? (
        <EmptyState>Select a run to see its snapshots</EmptyState>
      ) : items.length === 0 ? (
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
          <ol className="timeline-list" ref={listRef} onKeyDown={onKeyDown} aria-label={`Snapshots of run ${shortId(runId)}`}>
            {items.map((s) => (
              <TimelineItem
                key={s.seq}
                snapshot={s}
                selected={s.seq === selectedSeq}
                focusable={s.seq === focusSeq}
                checked={checked.includes(s.seq)}
                runStartedAt={items[0]?.at}
                onSelect={select}
                onToggle={toggleChecked}
              />
            ))}
          </ol>
          {hasMore && (
            <button type="button" ref={moreRef} className="timeline-more" disabled={loading} onClick={() => void loadMore()}>
              {loading ? 'Loading…' : `Load more (${items.length} of ${total} shown)`}
            </button>
          )}
        </>
      )}
    </Panel>
  );
}
