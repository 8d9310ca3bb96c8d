// The one snapshot document shown in full in the Inspector.
import { create } from 'zustand';
import type { SnapshotRef } from '../../../src-main/shared/api';
import type { SnapshotDocument } from '../../../src-main/shared/snapshot';
import { studio } from '../../lib/studio';
import { attempt } from '../errors/errorStore';

interface InspectorState {
  ref: SnapshotRef | null;
  doc: SnapshotDocument | null;
  loading: boolean;
  open(runId: string, seq: number): Promise<void>;
  clear(): void;
}

export const useInspector = create<InspectorState>()((set, get) => ({
  ref: null,
  doc: null,
  loading: false,
  open: async (runId, seq) => {
    const ref = { runId, seq };
    set({ ref, loading: true });
    const doc = await attempt(`Could not load snapshot #${seq}`, () => studio().getSnapshot(runId, seq));
    if (get().ref !== ref) return; // a newer selection won
    set({ doc: doc ?? null, loading: false });
  },
  clear: () => set({ ref: null, doc: null, loading: false }),
}));
