// The selected run's snapshots: paged in from the store, appended live, one selected, up to two checked to compare.
import { create } from 'zustand';
import type { SnapshotSummary } from '../../../src-main/shared/api';
import { studio } from '../../lib/studio';
import { attempt } from '../errors/errorStore';
import { useDiff } from '../diff/diffStore';
import { useInspector } from '../inspector/inspectorStore';

export const TIMELINE_PAGE_SIZE = 250;

interface TimelineState {
  runId: string | null;
  /** Loaded snapshots in seq order, from the first one on, without gaps. */
  items: SnapshotSummary[];
  /** Snapshots the run has in total, as far as we know. */
  total: number;
  loading: boolean;
  selectedSeq: number | null;
  /** Checked for comparison, in the order they were checked. */
  checked: number[];
  open(runId: string): Promise<void>;
  loadMore(): Promise<void>;
  /** Fetches what was added since the last page, e.g. by a run in another process. */
  catchUp(): Promise<void>;
  snapshotAdded(runId: string, snapshot: SnapshotSummary): void;
  select(seq: number): void;
  move(by: number): void;
  toggleChecked(seq: number): void;
  compare(): void;
}

/** Merges two seq-ordered lists, one copy per seq. */
function mergeBySeq(a: SnapshotSummary[], b: SnapshotSummary[]): SnapshotSummary[] {
  const bySeq = new Map<number, SnapshotSummary>();
  for (const s of a) bySeq.set(s.seq, s);
  for (const s of b) bySeq.set(s.seq, s);
  return [...bySeq.values()].sort((x, y) => x.seq - y.seq);
}

const isComplete = (s: { items: SnapshotSummary[]; total: number }) => s.items.length >= s.total;

export const useTimeline = create<TimelineState>()((set, get) => {
  async function fetchPage(runId: string, offset: number): Promise<void> {
    set({ loading: true });
    const page = await attempt('Could not load the snapshots', () =>
      studio().listSnapshots(runId, { offset, limit: TIMELINE_PAGE_SIZE }),
    );
    if (get().runId !== runId) return; // another run was selected meanwhile
    if (!page) return set({ loading: false });
    set((s) => {
      const items = mergeBySeq(s.items, page.items);
      return { items, total: Math.max(page.total, items.length), loading: false };
    });
  }

  return {
    runId: null,
    items: [],
    total: 0,
    loading: false,
    selectedSeq: null,
    checked: [],
    open: async (runId) => {
      set({ runId, items: [], total: 0, selectedSeq: null, checked: [] });
      useInspector.getState().clear();
      useDiff.getState().clear();
      await fetchPage(runId, 0);
    },
    loadMore: async () => {
      const s = get();
      if (!s.runId || s.loading || isComplete(s)) return;
      await fetchPage(s.runId, s.items.length);
    },
    catchUp: async () => {
      const s = get();
      if (!s.runId || s.loading || !isComplete(s)) return;
      await fetchPage(s.runId, s.items.length);
    },
    snapshotAdded: (runId, snapshot) =>
      set((s) => {
        if (s.runId !== runId || s.items.some((i) => i.seq === snapshot.seq)) return s;
        // Only append to a timeline loaded to its end; otherwise paging brings it in order.
        if (!isComplete(s)) return { total: s.total + 1 };
        const items = mergeBySeq(s.items, [snapshot]);
        return { items, total: Math.max(s.total + 1, items.length) };
      }),
    select: (seq) => {
      const { runId, selectedSeq } = get();
      if (!runId || seq === selectedSeq) return;
      set({ selectedSeq: seq });
      void useInspector.getState().open(runId, seq);
    },
    move: (by) => {
      const { items, selectedSeq } = get();
      if (items.length === 0) return;
      const index = items.findIndex((i) => i.seq === selectedSeq);
      const next = index === -1 ? (by > 0 ? 0 : items.length - 1) : Math.min(items.length - 1, Math.max(0, index + by));
      get().select(items[next].seq);
      if (next >= items.length - 1) void get().loadMore();
    },
    toggleChecked: (seq) =>
      set((s) => ({ checked: s.checked.includes(seq) ? s.checked.filter((c) => c !== seq) : [...s.checked, seq] })),
    compare: () => {
      const { runId, checked } = get();
      if (!runId || checked.length !== 2) return;
      const [a, b] = [...checked].sort((x, y) => x - y);
      void useDiff.getState().compare({ runId, seq: a }, { runId, seq: b });
    },
  };
});
