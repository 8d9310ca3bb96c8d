// The workspace's workflows, the files that failed to load, and which workflow the Run button starts.
import { create } from 'zustand';
import type { WorkflowProblem, WorkflowSummary } from '@shared/api';
import { studio } from '../../lib/studio';
import { attempt } from '../../lib/attempt';

interface WorkflowsState {
  workspace: string | null;
  workflows: WorkflowSummary[];
  problems: WorkflowProblem[];
  selectedId: string | null;
  loaded: boolean;
  load(): Promise<void>;
  select(id: string): void;
}

export const useWorkflows = create<WorkflowsState>()((set, get) => ({
  workspace: null,
  workflows: [],
  problems: [],
  selectedId: null,
  loaded: false,
  load: async () => {
    const list = await attempt('Could not load the workflows', () => studio().listWorkflows());
    if (!list) return set({ loaded: true });
    const previous = get().selectedId;
    const stillThere = list.workflows.some((w) => w.id === previous);
    set({
      workspace: list.workspace,
      workflows: list.workflows,
      problems: list.problems,
      selectedId: stillThere ? previous : (list.workflows[0]?.id ?? null),
      loaded: true,
    });
  },
  select: (id) => set({ selectedId: id }),
}));
