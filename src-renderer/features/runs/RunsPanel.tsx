// The Runs region (history): runs grouped as work orders — a first run with its retries, forks and replays
// under it — filtered by workflow, status and origin, searched by run id, in a virtual list so 10,000 runs
// stay instant. A click opens a run's timeline; up and down walk the list. The list (RunsList) re-renders on
// every scrolled frame, so it is a component of its own: the panel's header, filters and banner do not. Rows
// of a page the store dropped (far from view) show as placeholders until it is read again.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { RunStatus } from '@shared/snapshot';
import { formatCount, formatWhen, shortId } from '../../lib/format';
import { EmptyState, Panel } from '../../ui/Panel';
import { StatusBadge } from '../../ui/StatusBadge';
import { selectRun } from '../../app/selection';
import { runById, runRowAt, runRowIndex, useRuns } from './runsStore';
import { matches, NO_FILTER, type RunRowModel } from '@shared/workOrders';
import './RunsPanel.css';

const ROW_HEIGHT = 44;
/** "12", "1.2k", "100k": a snapshot count that fits the row whatever its size. */
const compactCount = (n: number) => (n < 1000 ? String(n) : n < 10_000 ? `${(n / 1000).toFixed(1)}k` : `${Math.round(n / 1000)}k`);
const STATUSES: RunStatus[] = ['pending', 'running', 'waiting', 'paused', 'error', 'completed', 'failed', 'cancelled'];

// Memoised: the filters re-render with their own state only.
const RunFilters = memo(function RunFilters() {
  const workflows = useRuns((s) => s.workflowIds);
  const filter = useRuns((s) => s.filter);
  const setFilter = useRuns((s) => s.setFilter);
  return (
    <div className="run-filters">
      <input
        type="search"
        className="text-input"
        placeholder="Search run id"
        aria-label="Search run id"
        value={filter.query}
        onChange={(e) => setFilter({ query: e.target.value })}
      />
      <div className="run-filters__selects">
        <select aria-label="Show runs of" value={filter.workflowId} onChange={(e) => setFilter({ workflowId: e.target.value })}>
          <option value="">All workflows</option>
          {workflows.map((w) => (
            <option key={w} value={w}>
              {w}
            </option>
          ))}
        </select>
        <select aria-label="Filter by status" value={filter.status} onChange={(e) => setFilter({ status: e.target.value })}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <select aria-label="Filter by origin" value={filter.origin} onChange={(e) => setFilter({ origin: e.target.value })}>
          <option value="">Any origin</option>
          <option value="local">local</option>
          <option value="imported">imported</option>
          <option value="replay">replay</option>
        </select>
      </div>
    </div>
  );
});

interface RunRowProps {
  row: RunRowModel;
  top: number;
  selected: boolean;
  focusable: boolean;
}

/** One row of the list; memoised, so a scrolled frame renders only the rows that came into view. */
const RunRow = memo(function RunRow({ row, top, selected, focusable }: RunRowProps) {
  const { run, depth, relation, descendants, collapsed: folded, dimmed } = row;
  return (
    <li className="runs-list__item" style={{ transform: `translateY(${top}px)` }} data-dimmed={dimmed || undefined}>
      {descendants > 0 ? (
        <button
          type="button"
          className="runs-list__fold icon-button"
          style={{ left: 2 + depth * 12 }}
          aria-expanded={!folded}
          aria-label={`${folded ? 'Show' : 'Hide'} the ${descendants} run${descendants === 1 ? '' : 's'} made from run ${shortId(run.id)}`}
          onClick={() => useRuns.getState().toggleCollapsed(run.id)}
        >
          {folded ? '▸' : '▾'}
        </button>
      ) : null}
      <button
        type="button"
        className="run-row row-button"
        style={{ paddingLeft: 16 + depth * 12 }}
        aria-current={selected ? 'true' : undefined}
        aria-label={`${run.workflowId} run ${shortId(run.id)} ${run.status}, ${run.snapshotCount} snapshots`}
        title={`Run ${run.id}\n${run.origin} · started ${run.createdAt}\nversion ${run.workflowVersion}`}
        tabIndex={focusable ? 0 : -1}
        data-run-id={run.id}
        onClick={() => selectRun(run.id)}
      >
        <span className="run-row__line">
          {relation && <span className="run-row__relation">{relation}</span>}
          {run.origin !== 'local' && run.origin !== relation && <span className="run-row__origin">{run.origin}</span>}
          <span className="run-row__workflow">{run.workflowId}</span>
          <StatusBadge status={run.status} />
        </span>
        <span className="run-row__line run-row__meta">
          <code>{shortId(run.id)}</code>
          <span className="run-row__spacer" />
          <span className="run-row__when">{formatWhen(run.createdAt)}</span>
          <span className="run-row__count" title={`${formatCount(run.snapshotCount)} snapshots`}>
            {compactCount(run.snapshotCount)} snap
          </span>
        </span>
      </button>
    </li>
  );
});

/** A row whose page is being read again: same height, so nothing moves when it arrives. */
const RunPlaceholder = memo(function RunPlaceholder({ top }: { top: number }) {
  return (
    <li className="runs-list__item runs-list__placeholder" style={{ transform: `translateY(${top}px)` }} aria-hidden>
      <span className="skeleton" />
    </li>
  );
});

/**
 * The virtual list of rows, reading the next page as the view nears the end. Rows are keyed by their place among
 * the rendered ones (first, second…): a scrolled frame writes the runs now in view into the same elements, in
 * the same order, instead of creating, removing or moving elements (a frame of a fast scroll brings a screenful
 * of new rows, and a moved element is styled and laid out again from scratch).
 */
const RunsList = memo(function RunsList({ scroller }: { scroller: HTMLDivElement | null }) {
  const pages = useRuns((s) => s.pages);
  const starts = useRuns((s) => s.rowStarts);
  const rowCount = useRuns((s) => s.rowCount);
  const selectedRunId = useRuns((s) => s.selectedRunId);
  const more = useRuns((s) => s.next !== null);
  const { loadMore, showRows } = useRuns.getState();
  const held = { pages, rowStarts: starts };
  // One row more than held while pages remain: it says the next page is on its way.
  const count = rowCount + (more ? 1 : 0);
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scroller, estimateSize: () => ROW_HEIGHT, overscan: 3 });
  const focusId = selectedRunId ?? runRowAt(held, 0)?.run.id;
  const items = virtualizer.getVirtualItems();
  const firstShown = items.length > 0 ? items[0].index : 0;
  const lastShown = items.length > 0 ? items[items.length - 1].index : -1;
  // The next page is read when the view comes within 40 rows (a few screens) of the end.
  useEffect(() => {
    if (more && lastShown >= rowCount - 40) void loadMore();
  }, [more, lastShown, rowCount, loadMore]);
  // Pages far from the rows in view are dropped, dropped ones among them read again.
  useEffect(() => {
    if (rowCount > 0) showRows(firstShown, Math.min(lastShown, rowCount - 1));
  }, [firstShown, lastShown, rowCount, starts, showRows]);

  function onKeyDown(e: KeyboardEvent<HTMLUListElement>) {
    const by = e.key === 'ArrowDown' ? 1 : e.key === 'ArrowUp' ? -1 : 0;
    if (!by || rowCount === 0) return;
    e.preventDefault();
    const index = selectedRunId ? runRowIndex(held, selectedRunId) : -1;
    const nextIndex = Math.min(rowCount - 1, Math.max(0, index === -1 ? 0 : index + by));
    const next = runRowAt(held, nextIndex)?.run;
    // A row of a page being read again: nothing to select yet.
    if (!next) return;
    selectRun(next.id);
    virtualizer.scrollToIndex(nextIndex, { align: 'auto' });
    requestAnimationFrame(() => scroller?.querySelector<HTMLButtonElement>(`[data-run-id="${CSS.escape(next.id)}"]`)?.focus());
  }

  const first = items[0]?.index ?? 0;
  if (rowCount === 0) return null;
  return (
    <ul className="runs-list" onKeyDown={onKeyDown} style={{ height: virtualizer.getTotalSize() }} aria-label="Runs by work order">
      {items.map((v) => {
        const key = v.index - first;
        if (v.index >= rowCount) {
          return (
            <li key={key} className="runs-list__item runs-list__more" style={{ transform: `translateY(${v.start}px)` }} aria-live="polite">
              Loading more runs…
            </li>
          );
        }
        const row = runRowAt(held, v.index);
        if (!row) return <RunPlaceholder key={key} top={v.start} />;
        return <RunRow key={key} row={row} top={v.start} selected={row.run.id === selectedRunId} focusable={row.run.id === focusId} />;
      })}
    </ul>
  );
});

export function RunsPanel() {
  const loaded = useRuns((s) => s.loaded);
  const filter = useRuns((s) => s.filter);
  const selectedRunId = useRuns((s) => s.selectedRunId);
  const total = useRuns((s) => s.total);
  const matching = useRuns((s) => s.matching);
  const held = useRuns((s) => s.runs.length);
  const noRows = useRuns((s) => s.rowCount === 0);
  // The scrolling body, handed to the list as state once the window is drawn: the virtualizer measures its scroller
  // only when it renders with it, and the list's first render may already hold rows (their answer came before
  // the window drew), when a ref is still null. Set in an effect, after the first paint, not in the ref's own
  // callback: the rows then render in a task of their own, not in the one that draws the whole window.
  const bodyRef = useRef<HTMLDivElement>(null);
  const [scroller, setScroller] = useState<HTMLDivElement | null>(null);
  useEffect(() => setScroller(bodyRef.current), []);

  const filtering = !!(filter.query || filter.workflowId || filter.status || filter.origin);
  const empty = total === 0 && held === 0;
  // A run just started (or retried, forked) that the filters hide: selected, yet nowhere in the list, for no run of
  // its work order matches them (one that does shows it, dimmed).
  const hidden = useRuns((s) =>
    filtering && selectedRunId && !s.selectedWorkOrder.some((r) => matches(r, s.filter)) ? runById(s.runs, selectedRunId) : undefined,
  );
  return (
    <Panel
      name="Runs"
      detail={!empty ? (filtering ? `${formatCount(matching)} of ${formatCount(total)}` : formatCount(Math.max(total, held))) : undefined}
      toolbar={
        !empty && (
          <>
            <RunFilters />
            {hidden && (
              <p className="runs-hidden" role="status" aria-label="Selected run hidden">
                <span>
                  Run <code>{shortId(hidden.id)}</code> ({hidden.workflowId}, {hidden.status}) is open but the filters hide it.
                </span>
                <button type="button" className="button button--small" onClick={() => useRuns.getState().setFilter(NO_FILTER)}>
                  Clear filters
                </button>
              </p>
            )}
          </>
        )
      }
      className="runs-panel"
      bodyRef={bodyRef}
    >
      {empty ? (
        <EmptyState>{loaded ? 'No runs yet — run an example workflow or import an export' : 'Loading runs…'}</EmptyState>
      ) : noRows ? (
        <EmptyState>No run matches these filters</EmptyState>
      ) : null}
      {/* Mounted from the start, empty: it measures the panel then, not inside the task that brings the first rows. */}
      <RunsList scroller={scroller} />
    </Panel>
  );
}
