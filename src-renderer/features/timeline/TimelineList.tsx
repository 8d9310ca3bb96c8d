// The Timeline's virtual list: only the rows in view exist, pages fetched as they scroll in. It re-renders on
// every scrolled frame, so it holds the list alone (the header, run bar and waterfall above do not re-render),
// and its rows keep their elements: a row that scrolls out lends its element to one that scrolls in.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef, type KeyboardEvent, type RefObject } from 'react';
import { moveSnapshotSelection, selectSnapshot } from '../../app/selection';
import { shortId } from '../../lib/format';
import { TimelineItem, TimelinePlaceholder } from './TimelineItem';
import { rowAt, useTimeline } from './timelineStore';

export const TIMELINE_ROW_HEIGHT = 23;
const KEY_STEPS: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 20, PageUp: -20, End: Infinity, Home: -Infinity };

interface TimelineListProps {
  runId: string;
  /** The panel's scrolling body. */
  scrollRef: RefObject<HTMLDivElement | null>;
  /** The run is still making snapshots: the list follows its end while scrolled there. */
  live: boolean;
}

export function TimelineList({ runId, scrollRef, live }: TimelineListProps) {
  const pages = useTimeline((s) => s.pages);
  const total = useTimeline((s) => s.total);
  const firstSeq = useTimeline((s) => s.firstSeq);
  const selectedSeq = useTimeline((s) => s.selectedSeq);
  const checked = useTimeline((s) => s.checked);
  const { toggleChecked, ensureRange } = useTimeline.getState();
  const listRef = useRef<HTMLOListElement>(null);
  const following = useRef(true);

  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => TIMELINE_ROW_HEIGHT,
    // Rows drawn beyond the view on either side, as in the Runs list: a fast scroll lays every one out again each frame.
    overscan: 3,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const first = virtualRows[0]?.index ?? 0;
  const last = virtualRows.at(-1)?.index ?? 0;

  // Fetch the pages in view (and a little around); the store waits for the scrolling to pause on them.
  useEffect(() => {
    if (total > 0) ensureRange(first - 50, last + 50);
  }, [first, last, total, pages, ensureRange]);

  // A live run's timeline scrolled to its end stays there as snapshots arrive (as a console does). Measured
  // from the offset the virtualizer has just read, not from the element: reading its geometry after the rows
  // changed would lay the page out inside the scroll event.
  useEffect(() => {
    following.current = true;
    const el = scrollRef.current;
    if (!el) return;
    const onScroll = () => {
      const viewEnd = (virtualizer.scrollOffset ?? 0) + (virtualizer.scrollRect?.height ?? 0);
      following.current = viewEnd >= virtualizer.getTotalSize() - TIMELINE_ROW_HEIGHT;
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => el.removeEventListener('scroll', onScroll);
  }, [runId, scrollRef, virtualizer]);
  useLayoutEffect(() => {
    if (live && following.current && total > 0 && selectedSeq === null) virtualizer.scrollToIndex(total - 1, { align: 'end' });
  }, [live, total, selectedSeq, virtualizer]);

  // Keep the selected row in view, and focused when the keyboard moved it.
  useEffect(() => {
    if (selectedSeq === null) return;
    virtualizer.scrollToIndex(selectedSeq - firstSeq, { align: 'auto' });
    const list = listRef.current;
    if (!list || !list.contains(document.activeElement)) return;
    requestAnimationFrame(() => {
      const row = list.querySelector<HTMLButtonElement>(`li[data-seq="${selectedSeq}"] .timeline-item__row`);
      if (row && document.activeElement !== row) row.focus({ preventScroll: true });
    });
  }, [selectedSeq, firstSeq, pages, virtualizer]);

  function onKeyDown(e: KeyboardEvent<HTMLOListElement>) {
    if (e.key === ' ' && selectedSeq !== null) {
      e.preventDefault();
      toggleChecked(selectedSeq);
      return;
    }
    const step = KEY_STEPS[e.key];
    if (step === undefined) return;
    e.preventDefault();
    moveSnapshotSelection(Number.isFinite(step) ? step : step > 0 ? total : -total);
  }

  const focusSeq = selectedSeq ?? 1;
  const runStartedAt = rowAt(pages, 0)?.at;
  // Rows are keyed by their slot among the rendered ones (index modulo their number), so a scrolled frame
  // updates elements in place instead of removing and creating every row; a row in view keeps its slot.
  const slots = virtualRows.length;
  return (
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
        const key = v.index % slots;
        return s ? (
          <TimelineItem
            key={key}
            snapshot={s}
            top={v.start}
            selected={s.seq === selectedSeq}
            focusable={s.seq === focusSeq}
            checked={checked.includes(s.seq)}
            runStartedAt={runStartedAt}
            onSelect={selectSnapshot}
            onToggle={toggleChecked}
          />
        ) : (
          <TimelinePlaceholder key={key} seq={v.index + firstSeq} top={v.start} />
        );
      })}
    </ol>
  );
}
