// The selected run's snapshots as a sparse, paged list: only the pages the person scrolls to are fetched
// (listSnapshots(offset, limit)), so a run of 100,000 snapshots opens as fast as one of ten. Live snapshots
// arrive by events; one is selected, any number checked (the last two checked are compared). What a selection
// opens elsewhere (the inspector, the diff) is app/selection.ts's to tell.
import { create } from 'zustand';
import type { SnapshotSummary } from '@shared/api';
import type { SnapshotDocument } from '@shared/snapshot';
import { studio } from '../../lib/studio';
import { keepNearestPages, pagesCovering } from '../../lib/pageWindow';
import { attempt } from '../../lib/attempt';

export const TIMELINE_PAGE_SIZE = 500;
/** Pages kept in memory (10,000 rows); those farthest from the rows in view are dropped first. */
export const TIMELINE_MAX_PAGES = 20;
/**
 * Pages in view are fetched at most this often while the list scrolls: a fast scroll asks only for the
 * pages it is on when the timer fires, not for every page it passed, and no request starts inside a frame.
 */
const PAGE_FETCH_DELAY_MS = 50;

interface TimelineState {
  runId: string | null;
  /** Loaded pages by page number (index / TIMELINE_PAGE_SIZE); snapshot i has seq firstSeq + i. */
  pages: ReadonlyMap<number, SnapshotSummary[]>;
  /** Snapshots the run has in total, as far as we know. */
  total: number;
  /** The seq of the run's first snapshot kept: 1, or later when retention pruned the oldest. */
  firstSeq: number;
  /** The first page is on its way. */
  loading: boolean;
  /** The run's newest snapshot in outline (getSnapshotOutline, cut down in core: no state or step data), for the waterfall, the graph and the run header. */
  latest: SnapshotDocument | null;
  selectedSeq: number | null;
  /** Checked for comparison, in the order they were checked. */
  checked: number[];
  open(runId: string): Promise<void>;
  /** Fetches, shortly, the pages covering snapshot indexes [start, end] that are not loaded yet (the latest range asked wins). */
  ensureRange(start: number, end: number): void;
  /** Fetches what was added since the last known total, e.g. by a run in another process. */
  catchUp(): Promise<void>;
  snapshotAdded(runId: string, snapshot: SnapshotSummary): void;
  select(seq: number): void;
  /** Selects the snapshot `by` rows from the selected one (the first or last when none is), within the run. */
  move(by: number): void;
  toggleChecked(seq: number): void;
}

export function rowAt(pages: ReadonlyMap<number, SnapshotSummary[]>, index: number): SnapshotSummary | undefined {
  return pages.get(Math.floor(index / TIMELINE_PAGE_SIZE))?.[index % TIMELINE_PAGE_SIZE];
}

const LATEST_REFRESH_MS = 300;

export const useTimeline = create<TimelineState>()((set, get) => {
  const inFlight = new Set<string>();
  let latestTimer: ReturnType<typeof setTimeout> | undefined;
  let fetchTimer: ReturnType<typeof setTimeout> | undefined;
  /** The snapshot indexes in view (with a margin), as last asked by ensureRange. */
  let wanted = { start: 0, end: -1 };

  async function fetchPage(runId: string, page: number): Promise<void> {
    const key = `${runId}:${page}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    try {
      const result = await attempt('Could not load the snapshots', () =>
        studio().listSnapshots(runId, { offset: page * TIMELINE_PAGE_SIZE, limit: TIMELINE_PAGE_SIZE }),
      );
      if (get().runId !== runId || !result) return; // another run was selected meanwhile
      if (page === 0 && result.items.length > 0) set({ firstSeq: result.items[0].seq });
      set((s) => {
        const pages = new Map(s.pages);
        // Events may have filled the page further while the answer travelled: keep the longer copy.
        const known = pages.get(page);
        pages.set(page, known && known.length > result.items.length ? known : result.items);
        const inView = Math.floor(Math.max(0, wanted.start + wanted.end) / 2 / TIMELINE_PAGE_SIZE);
        return {
          pages: keepNearestPages(pages, inView, TIMELINE_MAX_PAGES),
          total: Math.max(s.total, result.total, page * TIMELINE_PAGE_SIZE + result.items.length),
        };
      });
    } finally {
      inFlight.delete(key);
    }
  }

  async function refreshLatest(runId: string): Promise<void> {
    // The total is the open run's: a refresh asked for a run no longer open has nothing to read.
    const { total, firstSeq } = get().runId === runId ? get() : { total: 0, firstSeq: 1 };
    if (total === 0) return;
    const newest = firstSeq + total - 1;
    // Cut down in core (outlineOf): the window never receives, nor parses, the newest snapshot's state.
    const doc = await attempt('Could not load the latest snapshot', () => studio().getSnapshotOutline(runId, newest));
    if (doc && get().runId === runId && (get().latest?.seq ?? 0) <= doc.seq) set({ latest: doc });
  }

  function fetchWanted(): void {
    const { runId, pages, total } = get();
    if (!runId) return;
    for (const page of pagesCovering(wanted.start, wanted.end, total, TIMELINE_PAGE_SIZE)) {
      const loaded = pages.get(page);
      const rows = Math.min(TIMELINE_PAGE_SIZE, total - page * TIMELINE_PAGE_SIZE);
      if (!loaded || loaded.length < rows) void fetchPage(runId, page);
    }
  }

  /** Reads the open run's newest snapshot soon; one read for a burst of events, of whichever run is open then. */
  function scheduleLatest(): void {
    if (latestTimer) return;
    latestTimer = setTimeout(() => {
      latestTimer = undefined;
      const { runId } = get();
      if (runId) void refreshLatest(runId);
    }, LATEST_REFRESH_MS);
  }

  return {
    runId: null,
    pages: new Map(),
    total: 0,
    firstSeq: 1,
    loading: false,
    latest: null,
    selectedSeq: null,
    checked: [],
    open: async (runId) => {
      set({ runId, pages: new Map(), total: 0, firstSeq: 1, latest: null, selectedSeq: null, checked: [], loading: true });
      wanted = { start: 0, end: TIMELINE_PAGE_SIZE - 1 };
      await fetchPage(runId, 0);
      if (get().runId !== runId) return;
      set({ loading: false });
      await refreshLatest(runId);
    },
    ensureRange: (start, end) => {
      wanted = { start, end };
      fetchTimer ??= setTimeout(() => {
        fetchTimer = undefined;
        fetchWanted();
      }, PAGE_FETCH_DELAY_MS);
    },
    catchUp: async () => {
      const { runId, total } = get();
      if (!runId) return;
      await fetchPage(runId, Math.floor(total / TIMELINE_PAGE_SIZE));
      await refreshLatest(runId);
    },
    snapshotAdded: (runId, snapshot) => {
      if (get().runId !== runId) return;
      set((s) => {
        const index = snapshot.seq - s.firstSeq;
        const page = Math.floor(index / TIMELINE_PAGE_SIZE);
        const rows = s.pages.get(page) ?? (index % TIMELINE_PAGE_SIZE === 0 ? [] : undefined);
        const total = Math.max(s.total, index + 1);
        // Only a page loaded up to this snapshot can take it in place; otherwise paging brings it later.
        if (!rows || rows.length !== index % TIMELINE_PAGE_SIZE) return { total };
        const pages = new Map(s.pages);
        pages.set(page, [...rows, snapshot]);
        return { pages, total };
      });
      scheduleLatest();
    },
    select: (seq) => {
      const { runId, selectedSeq } = get();
      if (!runId || seq === selectedSeq) return;
      set({ selectedSeq: seq });
    },
    move: (by) => {
      const { total, firstSeq, selectedSeq } = get();
      if (total === 0) return;
      const last = firstSeq + total - 1;
      const next = selectedSeq === null ? (by > 0 ? firstSeq : last) : Math.min(last, Math.max(firstSeq, selectedSeq + by));
      get().select(next);
    },
    toggleChecked: (seq) =>
      set((s) => ({ checked: s.checked.includes(seq) ? s.checked.filter((c) => c !== seq) : [...s.checked, seq] })),
  };
});
