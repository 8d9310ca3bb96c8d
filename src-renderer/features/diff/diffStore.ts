// The comparison of two snapshots, computed by core when the person asks for it.
import { create } from 'zustand';
import type { SnapshotDiff, SnapshotRef } from '../../../src-main/shared/api';
import { studio } from '../../lib/studio';
import { attempt } from '../errors/errorStore';

interface DiffState {
  pair: [SnapshotRef, SnapshotRef] | null;
  diff: SnapshotDiff | null;
  loading: boolean;
  /** "Only changes" is the default, as in Redux DevTools. */
  showUnchanged: boolean;
  compare(a: SnapshotRef, b: SnapshotRef): Promise<void>;
  setShowUnchanged(show: boolean): void;
  clear(): void;
}

export const useDiff = create<DiffState>()((set, get) => ({
  pair: null,
  diff: null,
  loading: false,
  showUnchanged: false,
  compare: async (a, b) => {
    const pair: [SnapshotRef, SnapshotRef] = [a, b];
    set({ pair, diff: null, loading: true });
    const diff = await attempt(`Could not compare #${a.seq} with #${b.seq}`, () => studio().diffSnapshots(a, b));
    if (get().pair !== pair) return;
    set({ diff: diff ?? null, loading: false });
  },
  setShowUnchanged: (show) => set({ showUnchanged: show }),
  clear: () => set({ pair: null, diff: null, loading: false }),
}));
