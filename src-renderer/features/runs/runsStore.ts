// The history, newest work first, read a page of work orders at a time (the core groups and filters, so
// 10,000 runs cost the window one page), kept current by events and by a refresh when the window is shown.
// Its rows are laid out a page at a time (historyPages): a next page's rows are added after those held, and the
// pages far from the rows in view are dropped to their row count and read again when scrolled back to, so
// scrolling a long history neither groups every run held again nor holds every run it passed.
import { create } from 'zustand';
import type { RunPage, RunPageQuery, RunSummary } from '@shared/api';
import { NO_FILTER, parentOf, workOrderOf, type RunFilter, type RunRowModel } from '@shared/workOrders';
import { studio } from '../../lib/studio';
import { attempt } from '../../lib/attempt';
import { keepNearestPages } from '../../lib/pageWindow';
import {
  cutIntoPages,
  dropped,
  layOut,
  pageFor,
  pageOfRow,
  place,
  rowAt,
  rowIndexOf,
  rowStarts,
  sortsAfter,
  upTo,
  workOrderCursor,
  workOrders,
  type HistoryPage,
  type PageRead,
} from './historyPages';
import { RUN_PAGE } from '../../transport/firstCalls';

/** Work orders per page (a few screens of rows), as the entry script (main.tsx) asks for the first one before this code loads. */
export { RUN_PAGE };
/** Pages held at most (page 0 and those nearest the rows in view): about 4,000 runs, however far the list is scrolled. */
export const MAX_HELD_PAGES = 8;
/** Typing in the search waits this long before asking the core (the rows already filter what is held). */
const SEARCH_SETTLE_MS = 150;
/** After events bring runs the pages did not have, the counts are read again at most this often. */
const COUNT_SETTLE_MS = 300;
/** Dropped pages scrolled back into view are read this long after the scroll stops on them, not for every page it passes. */
const PAGE_READ_DELAY_MS = 50;

interface RunsState {
  /** The runs of the pages held, and the selected run's work order wherever its page is. */
  runs: RunSummary[];
  /** The history read so far, page by page, in the list's order; pages far from the rows in view dropped. */
  pages: HistoryPage[];
  /** Where each page's rows start in the list (rowStarts); the last entry is `rowCount`. */
  rowStarts: number[];
  /** Rows of the list, those of dropped pages included. */
  rowCount: number;
  /** The selected run's work order, held while its page is dropped (its header and timeline read it). */
  selectedWorkOrder: RunSummary[];
  filter: RunFilter;
  /** Work orders folded by the person. */
  collapsed: ReadonlySet<string>;
  setFilter(change: Partial<RunFilter>): void;
  toggleCollapsed(runId: string): void;
  selectedRunId: string | null;
  loaded: boolean;
  starting: boolean;
  /** Cursor of the next page; null when every work order matching the filter has been read. */
  next: string | null;
  loadingMore: boolean;
  /** Runs in the database, runs matching the filter, and every workflow with runs (the core's counts). */
  total: number;
  matching: number;
  workflowIds: string[];
  /** Reads the first pages again (as many as were read, up to 25, so a refresh keeps the scroll). */
  load(): Promise<void>;
  /** Reads the next page, when there is one and none is on its way. */
  loadMore(): Promise<void>;
  /** The list shows rows [first, last]: pages far from them are dropped, dropped ones among them read again. */
  showRows(first: number, last: number): void;
  upsert(run: RunSummary): void;
  /** Marks a run selected; app/selection.ts opens it in the other views. */
  select(runId: string): void;
  /** Starts a run of a workflow and holds it; resolves to it (undefined when it failed, said in the error bar). */
  startRun(workflowId: string): Promise<RunSummary | undefined>;
}

/** The row at a list index: undefined while its page is dropped. */
export const runRowAt = (s: Pick<RunsState, 'pages' | 'rowStarts'>, index: number): RunRowModel | undefined => rowAt(s.pages, s.rowStarts, index);

/** The list index of a run's row; -1 when no page held shows it. */
export const runRowIndex = (s: Pick<RunsState, 'pages' | 'rowStarts'>, runId: string): number => rowIndexOf(s.pages, s.rowStarts, runId);

/**
 * The runs held by id, for the `runs` array it was built from: views look a run up on every change of the store
 * (a page of the history arriving), and a scan for each would cost the frame. Built once per array.
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

/** The held run of that id (undefined when none is held), without scanning every run. */
export function runById(runs: readonly RunSummary[], runId: string | null | undefined): RunSummary | undefined {
  return runId ? indexOf(runs).get(runId) : undefined;
}

/** Keeps whichever copy of a run was updated last, so a slow list answer cannot undo a newer event. */
function fresher(a: RunSummary, b: RunSummary): RunSummary {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? a : b;
  return a.snapshotCount >= b.snapshotCount ? a : b;
}

/** `runs` with each run replaced by the fresher of its copy there and the one in `known`. */
const freshest = (runs: RunSummary[], known: ReadonlyMap<string, RunSummary>) => runs.map((r) => (known.has(r.id) ? fresher(known.get(r.id)!, r) : r));

/** The selected run's work order in `runs` (empty when `runs` does not hold the run). */
function workOrderIn(runs: readonly RunSummary[], runId: string): RunSummary[] {
  const ids = new Set(workOrderOf(runs, runId));
  return runs.filter((r) => ids.has(r.id));
}

/**
 * `change` with what follows from its pages: where their rows start, the next cursor, the runs held (the pages'
 * and the selected run's work order, taken from its page when one holds it).
 */
function withPages(s: RunsState, pages: HistoryPage[], change: Partial<RunsState> = {}): Partial<RunsState> {
  const selectedRunId = change.selectedRunId !== undefined ? change.selectedRunId : s.selectedRunId;
  const held = pages.flatMap((p) => p.runs ?? []);
  let selectedWorkOrder = change.selectedWorkOrder ?? s.selectedWorkOrder;
  if (!selectedRunId) selectedWorkOrder = [];
  else {
    const page = pages.find((p) => p.runs?.some((r) => r.id === selectedRunId));
    if (page) selectedWorkOrder = workOrderIn(page.runs!, selectedRunId);
  }
  const ids = new Set(held.map((r) => r.id));
  const extra = selectedWorkOrder.filter((r) => !ids.has(r.id));
  // The same array while the same runs are held (a run selected in the list): views reading `runs` keep theirs.
  const same = pages === s.pages && extra.length === 0 && s.runs.length === held.length;
  const runs = same ? s.runs : held.concat(extra);
  const starts = rowStarts(pages);
  return { ...change, pages, rowStarts: starts, rowCount: starts[starts.length - 1], next: pages.at(-1)?.next ?? null, runs, selectedWorkOrder };
}

/**
 * `pages` with a page read (a next page, or a dropped one read again) at `at`, its work orders that pages held
 * or events brought merged with those copies and put where they now sort.
 */
function admit(s: RunsState, pages: HistoryPage[], at: number, read: PageRead): HistoryPage[] {
  const others = new Map<string, RunSummary>();
  pages.forEach((p, i) => i !== at && p.runs?.forEach((r) => others.set(r.id, r)));
  for (const r of s.selectedWorkOrder) if (!others.has(r.id)) others.set(r.id, r);
  const orders = workOrders(read.runs);
  const overlapping = orders.filter((order) => order.some((r) => others.has(r.id)));
  const own = orders.filter((order) => !overlapping.includes(order)).flat();
  const out = pages.slice();
  out[at] = layOut({ ...read, runs: own }, s.filter, s.collapsed);
  let placed = out;
  for (const order of overlapping) {
    const copies = new Map(order.map((r) => [r.id, others.has(r.id) ? fresher(others.get(r.id)!, r) : r]));
    // The copy held may know runs of the work order this answer does not (a retry an event brought).
    for (const r of workOrderIn([...others.values(), ...order], order[0].id)) if (!copies.has(r.id)) copies.set(r.id, r);
    placed = place(placed, [...copies.values()], s.filter, s.collapsed);
  }
  return placed;
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
  let readTimer: ReturnType<typeof setTimeout> | undefined;
  /** The pages in view (and one either side), as last shown. */
  let wanted = { from: 0, to: -1 };
  /** Dropped pages being read again, by the cursor they are read after. */
  const reading = new Set<string | null>();
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

  /** Puts a work order where it now sorts, and holds it as the selected run's when it is. */
  const placeWorkOrder = (order: RunSummary[]) =>
    set((s) => {
      const selected = s.selectedRunId && order.some((r) => r.id === s.selectedRunId) ? { selectedWorkOrder: order } : {};
      return withPages(s, place(s.pages, order, s.filter, s.collapsed), selected);
    });

  /** Brings the whole work order of a run the pages do not hold (a retry of a run far down the history). */
  const fetchWorkOrder = async (runId: string) => {
    const page = await attempt('Could not load the run’s work order', () => studio().listRunPage({ workOrderOf: runId }));
    if (!page || page.runs.length === 0) return;
    placeWorkOrder(freshest(page.runs, indexOf(get().runs)));
  };

  /** Reads a dropped page again by its cursor; what the history gained in its range meanwhile becomes a page of its own. */
  const readAgain = async (after: string | null) => {
    if (reading.has(after)) return;
    reading.add(after);
    const asked = generation;
    try {
      const { filter } = get();
      const page = await attempt('Could not load the runs', () => studio().listRunPage({ filter: queryFilter(filter), limit: RUN_PAGE, ...(after === null ? {} : { after }) }));
      if (!page || asked !== generation) return;
      set((s) => {
        const at = s.pages.findIndex((p) => p.after === after);
        const old = s.pages[at];
        if (!old || old.runs) return {};
        const pages = s.pages.slice();
        // Its range is (after, old.next]: runs that left it (a retried work order, now at the top) take the runs of
        // the next page's range with them, which are cut off; a range that now holds more than a page is split.
        // The last page's range is open: what it gained is read as the next page.
        const last = at === pages.length - 1;
        const endsEarly = page.next !== null && (last || (old.next !== null && sortsAfter(old.next, page.next)));
        const runs = freshest(upTo(page.runs, old.next), indexOf(s.runs));
        if (endsEarly && !last) pages.splice(at + 1, 0, { after: page.next, next: old.next, runs: null, rows: null, rowCount: Math.max(1, old.rowCount - runs.length) });
        return withPages(s, admit(s, pages, at, { after, next: endsEarly ? page.next : old.next, runs }), counts(page));
      });
    } finally {
      reading.delete(after);
    }
  };

  /** Reads the dropped pages wanted (in view, or next to it). */
  const readWanted = () => {
    const { pages } = get();
    for (let i = Math.max(0, wanted.from); i <= Math.min(pages.length - 1, wanted.to); i++) if (!pages[i].runs) void readAgain(pages[i].after);
  };

  return {
    runs: [],
    pages: [],
    rowStarts: [0],
    rowCount: 0,
    selectedWorkOrder: [],
    filter: NO_FILTER,
    collapsed: new Set(),
    setFilter: (change) => {
      set((s) => {
        const filter = { ...s.filter, ...change };
        return withPages(s, s.pages.map((p) => (p.runs ? layOut({ ...p, runs: p.runs }, filter, s.collapsed) : p)), { filter });
      });
      clearTimeout(searchTimer);
      if (Object.keys(change).every((k) => k === 'query')) searchTimer = setTimeout(() => void get().load(), SEARCH_SETTLE_MS);
      else void get().load();
    },
    toggleCollapsed: (runId) =>
      set((s) => {
        const collapsed = new Set(s.collapsed);
        if (!collapsed.delete(runId)) collapsed.add(runId);
        return withPages(s, s.pages.map((p) => (p.runs?.some((r) => r.id === runId) ? layOut({ ...p, runs: p.runs }, s.filter, collapsed) : p)), { collapsed });
      }),
    selectedRunId: null,
    loaded: false,
    starting: false,
    next: null,
    loadingMore: false,
    total: 0,
    matching: 0,
    workflowIds: [],
    load: async () => {
      const asked = ++generation;
      const { filter, pages } = get();
      const limit = RUN_PAGE * Math.max(1, Math.min(pages.length, 25));
      const page = await attempt('Could not load the runs', () => studio().listRunPage({ filter: queryFilter(filter), limit }));
      if (asked !== generation) return;
      if (!page) return set({ loaded: true });
      set((s) => {
        const read = cutIntoPages(freshest(page.runs, indexOf(s.runs)), null, page.next, RUN_PAGE).map((p) => layOut(p, s.filter, s.collapsed));
        // The selected run stays (its header and timeline read it from here), among the rows when its page is read.
        const ids = new Set(page.runs.map((r) => r.id));
        const missing = s.selectedWorkOrder.length > 0 && !s.selectedWorkOrder.some((r) => ids.has(r.id));
        const laid = missing ? place(read, s.selectedWorkOrder, s.filter, s.collapsed) : read;
        return withPages(s, laid, { loaded: true, loadingMore: false, ...counts(page) });
      });
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
        if (s.next !== next) return { loadingMore: false };
        const read = { after: next, next: page.next, runs: freshest(page.runs, indexOf(s.runs)) };
        return withPages(s, admit(s, s.pages, s.pages.length, read), { loadingMore: false, ...counts(page) });
      });
    },
    showRows: (first, last) => {
      const s = get();
      if (s.pages.length === 0) return;
      const from = pageOfRow(s.rowStarts, first);
      const to = pageOfRow(s.rowStarts, Math.max(first, last));
      wanted = { from: from - 1, to: to + 1 };
      const held = new Map<number, true>();
      s.pages.forEach((p, i) => p.runs && held.set(i, true));
      const keep = keepNearestPages(held, Math.round((from + to) / 2), MAX_HELD_PAGES);
      // Never the pages in view, however many (pages whose rows all went to a filter take no room).
      const drop = s.pages.map((p, i) => p.runs !== null && !keep.has(i) && (i < from || i > to));
      if (drop.includes(true)) set(withPages(s, s.pages.map((p, i) => (drop[i] ? dropped(p) : p))));
      if (s.pages.some((p, i) => !p.runs && i >= wanted.from && i <= wanted.to)) {
        clearTimeout(readTimer);
        readTimer = setTimeout(readWanted, PAGE_READ_DELAY_MS);
      }
    },
    upsert: (run) => {
      const s = get();
      const known = runById(s.runs, run.id);
      if (!known || known.status !== run.status) recount();
      const copy = known ? fresher(known, run) : run;
      // Its work order as held (in a page, or as the selected run's), with this copy of it.
      const parent = parentOf(run);
      const around = s.pages.find((p) => p.runs?.some((r) => r.id === run.id || r.id === parent))?.runs ?? s.selectedWorkOrder;
      const order = workOrderIn([...around.filter((r) => r.id !== run.id), copy], run.id);
      // A run sorting below the pages read arrives with its page, one in a dropped page when it is read again; one
      // within the pages held (a new run at the top, a retry's work order moved up) is shown now.
      const target = s.pages[pageFor(s.pages, workOrderCursor(order))];
      if (!known && !target?.runs && s.selectedRunId !== run.id) return;
      placeWorkOrder(order);
      if (parent && !order.some((r) => r.id === parent)) void fetchWorkOrder(run.id);
    },
    select: (runId) =>
      set((s) => {
        // Its work order is taken from its page when one holds it (withPages), not from every run held.
        const inPage = s.pages.some((p) => p.runs?.some((r) => r.id === runId));
        return withPages(s, s.pages, { selectedRunId: runId, selectedWorkOrder: inPage ? [] : workOrderIn(s.runs, runId) });
      }),
    startRun: async (workflowId) => {
      set({ starting: true });
      const run = await attempt(`Could not start a run of ${workflowId}`, () => studio().startRun(workflowId, {}));
      set({ starting: false });
      if (run) get().upsert(run);
      return run;
    },
  };
});
