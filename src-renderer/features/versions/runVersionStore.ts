// Which workflow version the selected run is seen with: the one it ran with (read-only, its steps and
// config schema), or — after "Switch to latest version" — the workspace's newest one.
import { create } from 'zustand';
import type { WorkflowVersionDetail, WorkflowVersionSummary } from '@shared/api';
import { studio } from '../../lib/studio';
import { attempt } from '../../lib/attempt';

/** A place in a version's source, e.g. a stack frame's line, for the Versions view to show. */
export interface SourcePosition {
  version: string;
  line: number;
  column: number;
}

interface RunVersionState {
  runId: string | null;
  workflowId: string | null;
  /** The version the run ran with, with its source, steps and config schema. */
  runVersion: WorkflowVersionDetail | null;
  /** Every version of the run's workflow, newest first. */
  versions: WorkflowVersionSummary[];
  showLatest: boolean;
  open(run: { id: string; workflowId: string; workflowVersion: string }): Promise<void>;
  switchToLatest(on: boolean): void;
  /** Lists the versions again, e.g. after a workflow file was saved. */
  refreshVersions(): Promise<void>;
  /** A position the Versions view is asked to show; it takes it (sets null) when it shows it. */
  reveal: SourcePosition | null;
  revealSource(at: SourcePosition | null): void;
  /** A version with its source, read once per hash (a version never changes). */
  versionDetail(hash: string): Promise<WorkflowVersionDetail | undefined>;
}

export const useRunVersion = create<RunVersionState>()((set, get) => {
  const details = new Map<string, Promise<WorkflowVersionDetail | undefined>>();
  return {
    runId: null,
    workflowId: null,
    runVersion: null,
    versions: [],
    showLatest: false,
    open: async (run) => {
      if (get().runId === run.id) return;
      set({ runId: run.id, workflowId: run.workflowId, runVersion: null, versions: [], showLatest: false });
      const [detail, versions] = await Promise.all([
        attempt('Could not load the run’s workflow version', () => studio().getVersion(run.workflowVersion)),
        attempt('Could not list the workflow’s versions', () => studio().listVersions(run.workflowId)),
      ]);
      if (get().runId !== run.id) return;
      set({ runVersion: detail ?? null, versions: versions ?? [] });
    },
    switchToLatest: (on) => set({ showLatest: on }),
    reveal: null,
    revealSource: (at) => set({ reveal: at }),
    refreshVersions: async () => {
      const { workflowId } = get();
      if (!workflowId) return;
      const versions = await attempt('Could not list the workflow’s versions', () => studio().listVersions(workflowId));
      if (versions && get().workflowId === workflowId) set({ versions });
    },
    versionDetail: (hash) => {
      if (!details.has(hash)) details.set(hash, attempt(`Could not load version ${hash.slice(0, 8)}`, () => studio().getVersion(hash)));
      return details.get(hash)!;
    },
  };
});
