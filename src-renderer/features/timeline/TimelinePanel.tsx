// The Timeline region: the run header, a waterfall of step durations, then every snapshot in a virtual list
// (only the rows in view exist, pages fetched as they scroll in). Arrows, Page keys, Home and End move the
// selection; space checks the selected snapshot for comparison.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { isLive } from '../../lib/runStatus';
import { shortId } from '../../lib/format';
import { EmptyState, Panel } from '../../ui/Panel';
import { RunBar } from '../runControls/RunBar';
import { useRuns } from '../runs/runsStore';
import { TimelineItem, TimelinePlaceholder } from './TimelineItem';
import { rowAt, useTimeline } from './timelineStore';
import { Waterfall } from './Waterfall';
import './TimelinePanel.css';

export const TIMELINE_ROW_HEIGHT = 23;
const KEY_STEPS: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20, End: Infinity, Home: -Infinity };

export function TimelinePanel() {
  const runId = useTimeline((s) => s.runId);
  const pages = useTimeline((s) => s.pages);
  const total = useTimeline((s) => s.total);
  const loading = useTimeline((s) => s.loading);
  const selectedSeq = useTimeline((s) => s.selectedSeq);
  const checked = useTimeline((s) => s.checked);
  const { select, move, toggleChecked, compare, ensureRange } = useTimeline.getState();
  const run = useRuns((s) => s.runs.find((r) => r.id === runId));
  const scrollRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const following = useRef(true);
  const live = !!run && isLive(run.status);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => TIMELINE_ROW_HEIGHT,
    overscan: 12,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const first = virtualRows[0]?.index ?? 0;
  const last = virtualRows.at(-1)?.index ?? 0;

  // Fetch the pages in view (and a little around) once the scrolling settles on them.
  useEffect(() => {
    if (total > 0) ensureRange(first - 50, last + 50);
  }, [first, last, total, pages, ensureRange]);

  // A live run's timeline scrolled to its end stays there as snapshots arrive (as a console does).
  useEffect(() => {
    following.current = true;
  }, [runId]);
  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (el) following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - TIMELINE_ROW_HEIGHT;
  }, []);
  useLayoutEffect(() => {
    if (live && following.current && total > 0 && selectedSeq === null) virtualizer.scrollToIndex(total - 1, { align: 'end' });
  }, [live, total, selectedSeq, virtualizer]);

  // Keep the selected row in view, and focused when the keyboard moved it.
  useEffect(() => {
    if (selectedSeq === null) return;
    virtualizer.scrollToIndex(selectedSeq - 1, { align: 'auto' });
    const list = listRef.current;
    if (!list || !list.contains(document.activeElement)) return;
    requestAnimationFrame(() => {
      const row = list.querySelector<HTMLButtonElement>(`li[data-seq="${selectedSeq}"] .timeline-item__row`);
      if (row && document.activeElement !== row) row.focus({ preventScroll: true });
    });
  }, [selectedSeq, pages, virtualizer]);

  function onKeyDown(e: KeyboardEvent<HTMLOListElement>) {
    if (e.key === ' ' && selectedSeq !== null) {
      e.preventDefault();
      toggleChecked(selectedSeq);
      return;
    }
    const step = KEY_STEPS[e.key];
    if (step === undefined) return;
    e.preventDefault();
    move(Number.isFinite(step) ? step : step > 0 ? total : -total);
  }

  const focusSeq = selectedSeq ?? 1;
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
        onClick={compare}
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
      onBodyScroll={onScroll}
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
          <ol
            className="timeline-list"
            ref={listRef}
            tabIndex={-1}
            onKeyDown={onKeyDown}
            aria-label={`Snapshots of run ${shortId(runId)}`}
            style={{ height: virtualizer.getTotalSize() }}
          >
            {virtualRows.map((v) => {
              const s = rowAt(pages, v.index);
              const style = { transform: `translateY(${v.start}px)` };
              return s ? (
                <TimelineItem
                  key={v.index}
                  snapshot={s}
                  style={style}
                  striped={v.index % 2 === 1}
                  selected={s.seq === selectedSeq}
                  focusable={s.seq === focusSeq}
                  checked={checked.includes(s.seq)}
                  runStartedAt={rowAt(pages, 0)?.at}
                  onSelect={select}
                  onToggle={toggleChecked}
                />
              ) : (
                <TimelinePlaceholder key={v.index} seq={v.index + 1} style={style} />
              );
            })}
          </ol>
        </>
      )}
    </Panel>
  );
}
