// The history, newest work first, read a page of work orders at a time (the core groups and filters, so
// 10,000 runs cost the window one page), kept current by events and by a refresh when the window is shown.
// Its rows are laid out here: a next page's rows are added after those held (its work orders are whole and
// sort after them), so scrolling a long history never groups every run held again.
import { create } from 'zustand';
import type { RunPage, RunPageQuery, RunSummary } from '@shared/api';
import { cursorNewest, NO_FILTER, workOrderOf, workOrderRows, type RunFilter, type RunRowModel } from '@shared/workOrders';
import { studio } from '../../lib/studio';
import { attempt } from '../../lib/attempt';

/** Work orders per page: a few screens of rows. */
export const RUN_PAGE = 200;
/** Typing in the search waits this long before asking the core (the rows already filter what is held). */
const SEARCH_SETTLE_MS = 150;
/** After events bring runs the pages did not have, the counts are read again at most this often. */
const COUNT_SETTLE_MS = 300;

interface RunsState {
  /** The runs of the pages read so far, the selected run's work order, and runs events brought. */
  runs: RunSummary[];
  /** The rows of the list: `runs` as work orders, filtered and folded (workOrderRows). */
  rows: RunRowModel[];
  filter: RunFilter;
  /** Work orders folded by the person. */
  collapsed: ReadonlySet<string>;
  setFilter(change: Partial<RunFilter>): void;
  toggleCollapsed(runId: string): void;
  selectedRunId: string | null;
  loaded: boolean;
  starting: boolean;
  /** Cursor of the next page; null when every work order matching the filter is held. */
  next: string | null;
  /** Pages read since the last first page. */
  pages: number;
  loadingMore: boolean;
  /** Runs in the database, runs matching the filter, and every workflow with runs (the core's counts). */
  total: number;
  matching: number;
  workflowIds: string[];
  /** Reads the first page again (as many work orders as are held, so a refresh keeps the scroll). */
  load(): Promise<void>;
  /** Reads the next page, when there is one and none is on its way. */
  loadMore(): Promise<void>;
  upsert(run: RunSummary): void;
  /** Marks a run selected; app/selection.ts opens it in the other views. */
  select(runId: string): void;
  /** Starts a run of a workflow and holds it; resolves to it (undefined when it failed, said in the error bar). */
  startRun(workflowId: string): Promise<RunSummary | undefined>;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The runs held by id, for the `runs` array it was built from: views look a run up on every change of the store
 * (a page of the history arriving), and a scan of 100,000 runs for each would cost the frame. Built once per
 * array; a next page extends it in place (indexAppended) instead of building it again.
 */
let index = new Map<string, RunSummary>();
let indexFor: readonly RunSummary[] | null = null;

function indexOf(runs: readonly RunSummary[]): Map<string, RunSummary> {
  if (indexFor !== runs) {
    index = new Map(runs.map((r) => [r.id, r]));
    indexFor = runs;
  }
  return index;
}

/** `runs` with `page` appended: the index of `runs` serves the new array too, extended by the page. */
function indexAppended(runs: readonly RunSummary[], page: readonly RunSummary[]): RunSummary[] {
  const ids = indexOf(runs);
  const all = runs.concat(page);
  for (const r of page) ids.set(r.id, r);
  indexFor = all;
  return all;
}

/** The held run of that id (undefined when none is held), without scanning every run. */
export function runById(runs: readonly RunSummary[], runId: string | null | undefined): RunSummary | undefined {
  return runId ? indexOf(runs).get(runId) : undefined;
}

function newestFirst(runs: RunSummary[]): RunSummary[] {
  return [...runs].sort((a, b) => cmp(b.createdAt, a.createdAt) || cmp(b.id, a.id));
}

/** Keeps whichever copy of a run was updated last, so a slow list answer cannot undo a newer event. */
function fresher(a: RunSummary, b: RunSummary): RunSummary {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? a : b;
  return a.snapshotCount >= b.snapshotCount ? a : b;
}

/** `runs` with `more` merged in, each run once, the fresher copy kept. */
function merge(runs: readonly RunSummary[], more: readonly RunSummary[]): RunSummary[] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  for (const r of more) {
    const known = byId.get(r.id);
    byId.set(r.id, known ? fresher(known, r) : r);
  }
  return newestFirst([...byId.values()]);
}

/**
 * `change` with the rows laid out for it: all of them again, or, for the runs of a next page (whole work
 * orders sorting after every one held, none of their runs held), the page's rows after those held.
 */
function withRows(s: RunsState, change: Partial<RunsState>, page?: readonly RunSummary[]): Partial<RunsState> {
  const filter = change.filter ?? s.filter;
  const collapsed = change.collapsed ?? s.collapsed;
  const rows = page ? s.rows.concat(workOrderRows(page, filter, collapsed)) : workOrderRows(change.runs ?? s.runs, filter, collapsed);
  return { ...change, rows };
}

const queryFilter = (f: RunFilter): RunPageQuery['filter'] => {
  const out: NonNullable<RunPageQuery['filter']> = {};
  if (f.workflowId) out.workflowId = f.workflowId;
  if (f.status) out.status = f.status;
  if (f.origin) out.origin = f.origin;
  if (f.query.trim()) out.query = f.query.trim();
  return out;
};

export const useRuns = create<RunsState>()((set, get) => {
  /** Answers older than the last first page asked for are dropped (a filter changed meanwhile). */
  let generation = 0;
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  let countTimer: ReturnType<typeof setTimeout> | undefined;
  const counts = (page: RunPage) => ({ total: page.total, matching: page.matching, workflowIds: page.workflowIds });

  /** The counts again, once events have settled: a new run changes them, a status change may. */
  const recount = () => {
    clearTimeout(countTimer);
    countTimer = setTimeout(() => {
      const asked = generation;
      void studio()
        .listRunPage({ filter: queryFilter(get().filter), limit: 0 })
        .then((page) => asked === generation && set(counts(page)))
        .catch(() => undefined);
    }, COUNT_SETTLE_MS);
  };

  /** Brings the whole work order of a run the pages do not hold (a retry of a run far down the history). */
  const fetchWorkOrder = async (runId: string) => {
    const page = await attempt('Could not load the run’s work order', () => studio().listRunPage({ workOrderOf: runId }));
    if (page) set((s) => withRows(s, { runs: merge(s.runs, page.runs) }));
  };

  return {
    runs: [],
    rows: [],
    filter: NO_FILTER,
    collapsed: new Set(),
    setFilter: (change) => {
      set((s) => withRows(s, { filter: { ...s.filter, ...change } }));
      clearTimeout(searchTimer);
      if (Object.keys(change).every((k) => k === 'query')) searchTimer = setTimeout(() => void get().load(), SEARCH_SETTLE_MS);
      else void get().load();
    },
    toggleCollapsed: (runId) =>
      set((s) => {
        const collapsed = new Set(s.collapsed);
        if (!collapsed.delete(runId)) collapsed.add(runId);
        return withRows(s, { collapsed });
      }),
    selectedRunId: null,
    loaded: false,
    starting: false,
    next: null,
    pages: 0,
    loadingMore: false,
    total: 0,
    matching: 0,
    workflowIds: [],
    load: async () => {
      const asked = ++generation;
      const { filter, pages } = get();
      const limit = RUN_PAGE * Math.max(1, Math.min(pages, 25));
      const page = await attempt('Could not load the runs', () => studio().listRunPage({ filter: queryFilter(filter), limit }));
      if (asked !== generation) return;
      if (!page) return set({ loaded: true });
      const { runs, selectedRunId } = get();
      // The selected run stays (its header and timeline read it from here); the rows hide it when filtered out.
      const keep = selectedRunId ? new Set(workOrderOf(runs, selectedRunId)) : new Set<string>();
      const known = indexOf(runs);
      const fresh = page.runs.map((r) => (known.has(r.id) ? fresher(known.get(r.id)!, r) : r));
      set((s) =>
        withRows(s, {
          runs: merge(runs.filter((r) => keep.has(r.id)), fresh),
          next: page.next,
          pages: Math.max(1, Math.ceil(limit / RUN_PAGE)),
          loaded: true,
          loadingMore: false,
          ...counts(page),
        }),
      );
    },
    loadMore: async () => {
      const { next, loadingMore, filter } = get();
      if (!next || loadingMore) return;
      const asked = generation;
      set({ loadingMore: true });
      const page = await attempt('Could not load more runs', () => studio().listRunPage({ filter: queryFilter(filter), after: next, limit: RUN_PAGE }));
      if (asked !== generation) return;
      if (!page) return set({ loadingMore: false });
      set((s) => {
        const more = { next: page.next, pages: s.pages + 1, loadingMore: false, ...counts(page) };
        // Runs an event brought may be on this page: then the page is merged in and all rows laid out again.
        const held = indexOf(s.runs);
        if (page.runs.some((r) => held.has(r.id))) return withRows(s, { runs: merge(s.runs, page.runs), ...more });
        return withRows(s, { runs: indexAppended(s.runs, page.runs), ...more }, page.runs);
      });
    },
    upsert: (run) => {
      const s = get();
      const existing = runById(s.runs, run.id);
      if (existing) {
        set(withRows(s, { runs: s.runs.map((r) => (r.id === run.id ? fresher(r, run) : r)) }));
        if (existing.status !== run.status) recount();
        return;
      }
      recount();
      // A run sorting below the pages held arrives with its page; one within them (a new run) is shown now.
      const frontier = s.next ? cursorNewest(s.next) : '';
      if (run.createdAt < frontier && s.selectedRunId !== run.id) return;
      set(withRows(s, { runs: merge(s.runs, [run]) }));
      const parent = run.retryOf ?? run.forkedFrom ?? run.replayOf;
      if (parent && !runById(s.runs, parent)) void fetchWorkOrder(run.id);
    },
    select: (runId) => set({ selectedRunId: runId }),
    startRun: async (workflowId) => {
      set({ starting: true });
      const run = await attempt(`Could not start a run of ${workflowId}`, () => studio().startRun(workflowId, {}));
      set({ starting: false });
      if (run) get().upsert(run);
      return run;
    },
  };
});
