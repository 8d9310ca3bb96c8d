// The list of runs, newest first, kept current by events and by a refresh when the window is shown again.
import { create } from 'zustand';
import type { RunSummary } from '../../../src-main/shared/api';
import { studio } from '../../lib/studio';
import { attempt } from '../errors/errorStore';
import { useTimeline } from '../timeline/timelineStore';
import { useRunVersion } from '../versions/runVersionStore';
import { NO_FILTER, type RunFilter } from './workOrders';

interface RunsState {
  runs: RunSummary[];
  filter: RunFilter;
  /** Work orders folded by the person. */
  collapsed: ReadonlySet<string>;
  setFilter(change: Partial<RunFilter>): void;
  toggleCollapsed(runId: string): void;
  selectedRunId: string | null;
  loaded: boolean;
  starting: boolean;
  load(): Promise<void>;
  upsert(run: RunSummary): void;
  select(runId: string): void;
  startRun(workflowId: string): Promise<void>;
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function newestFirst(runs: RunSummary[]): RunSummary[] {
  return [...runs].sort((a, b) => cmp(b.createdAt, a.createdAt) || cmp(b.id, a.id));
}

/** Keeps whichever copy of a run was updated last, so a slow list answer cannot undo a newer event. */
function fresher(a: RunSummary, b: RunSummary): RunSummary {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? a : b;
  return a.snapshotCount >= b.snapshotCount ? a : b;
}

export const useRuns = create<RunsState>()((set, get) => ({
  runs: [],
  filter: NO_FILTER,
  collapsed: new Set(),
  setFilter: (change) => set((s) => ({ filter: { ...s.filter, ...change } })),
  toggleCollapsed: (runId) =>
    set((s) => {
      const collapsed = new Set(s.collapsed);
      if (!collapsed.delete(runId)) collapsed.add(runId);
      return { collapsed };
    }),
  selectedRunId: null,
  loaded: false,
  starting: false,
  load: async () => {
    const runs = await attempt('Could not load the runs', () => studio().listRuns());
    if (!runs) return set({ loaded: true });
    const known = new Map(get().runs.map((r) => [r.id, r]));
    set({ runs: newestFirst(runs.map((r) => (known.has(r.id) ? fresher(known.get(r.id)!, r) : r))), loaded: true });
  },
  upsert: (run) =>
    set((s) => {
      const existing = s.runs.find((r) => r.id === run.id);
      if (!existing) return { runs: newestFirst([...s.runs, run]) };
      return { runs: s.runs.map((r) => (r.id === run.id ? fresher(r, run) : r)) };
    }),
  select: (runId) => {
    if (get().selectedRunId === runId) return;
    set({ selectedRunId: runId });
    void useTimeline.getState().open(runId);
    const run = get().runs.find((r) => r.id === runId);
    if (run) void useRunVersion.getState().open(run);
  },
  startRun: async (workflowId) => {
    set({ starting: true });
    const run = await attempt(`Could not start a run of ${workflowId}`, () => studio().startRun(workflowId, {}));
    set({ starting: false });
    if (!run) return;
    get().upsert(run);
    get().select(run.id);
  },
}));
