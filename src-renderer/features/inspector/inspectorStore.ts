// The one snapshot document shown in the Inspector, with the log lines its step had written by then.
import { create } from 'zustand';
import type { LogLine, SnapshotRef } from '@shared/api';
import type { SnapshotDocument } from '@shared/snapshot';
import { studio } from '../../lib/studio';
import { attempt } from '../../lib/attempt';

interface InspectorState {
  ref: SnapshotRef | null;
  doc: SnapshotDocument | null;
  logs: LogLine[];
  loading: boolean;
  open(runId: string, seq: number): Promise<void>;
  clear(): void;
}

export const useInspector = create<InspectorState>()((set, get) => ({
  ref: null,
  doc: null,
  logs: [],
  loading: false,
  open: async (runId, seq) => {
    const ref = { runId, seq };
    set({ ref, loading: true });
    const doc = await attempt(`Could not load snapshot #${seq}`, () => studio().getSnapshot(runId, seq));
    if (get().ref !== ref) return; // a newer selection won
    const stepId = doc?.stepId;
    const logs = stepId ? await attempt('Could not load the step’s logs', () => studio().listLogs(runId, { stepId })) : [];
    if (get().ref !== ref) return;
    set({ doc: doc ?? null, logs: (logs ?? []).filter((l) => !doc || l.at <= doc.at), loading: false });
  },
  clear: () => set({ ref: null, doc: null, logs: [], loading: false }),
}));
