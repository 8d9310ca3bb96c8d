// The named snapshots: a workflow version frozen with a configuration and an input under a name, listed
// newest first, saved from a run, deleted by name. Running one is a run action (runControls/runActions.ts).
import { create } from 'zustand';
import type { NamedSnapshot } from '@shared/api';
import { studio } from '../../lib/studio';
import { attempt } from '../../lib/attempt';

interface NamedState {
  /** Every named snapshot, newest first, as the core lists them. */
  items: NamedSnapshot[];
  loaded: boolean;
  /** The name whose configuration and input are shown. */
  selected: string | null;
  /** Show only the named snapshots of the selected run's workflow. */
  onlyWorkflow: boolean;
  load(): Promise<void>;
  select(name: string | null): void;
  setOnlyWorkflow(on: boolean): void;
  /** Saves a run's workflow version, configuration and input under a name; resolves whether it was saved. */
  saveRun(name: string, runId: string): Promise<boolean>;
  /** Deletes one by name; resolves whether it was deleted. */
  remove(name: string): Promise<boolean>;
}

export const useNamed = create<NamedState>()((set, get) => {
  // A list answer older than the last one asked for is dropped, so a slow load cannot undo a save or a delete.
  let asked = 0;
  return {
    items: [],
    loaded: false,
    selected: null,
    onlyWorkflow: false,
    load: async () => {
      const ticket = ++asked;
      const items = await attempt('Could not list the named snapshots', () => studio().listNamedSnapshots());
      if (ticket !== asked) return;
      if (!items) return set({ loaded: true });
      const { selected } = get();
      set({ items, loaded: true, selected: selected !== null && items.some((n) => n.name === selected) ? selected : null });
    },
    select: (name) => set({ selected: name }),
    setOnlyWorkflow: (on) => set({ onlyWorkflow: on }),
    saveRun: async (name, runId) => {
      const action = `Could not save the named snapshot "${name}"`;
      const saved = await attempt(action, async () => {
        // The run's own configuration and input, as it started with them, and the version it ran.
        const run = await studio().getRun(runId);
        return studio().createNamedSnapshot(name, { workflowId: run.workflowId, version: run.workflowVersion, config: run.config, input: run.input });
      });
      if (!saved) return false;
      await get().load();
      set({ selected: saved.name });
      return true;
    },
    remove: async (name) => {
      const gone = await attempt(`Could not delete the named snapshot "${name}"`, () => studio().deleteNamedSnapshot(name));
      await get().load();
      return gone !== undefined;
    },
  };
});

/** The named snapshots shown: all of them, or those of one workflow when the filter is on and a workflow is known. */
export function shownNamed(items: NamedSnapshot[], onlyWorkflow: boolean, workflowId: string | null): NamedSnapshot[] {
  return onlyWorkflow && workflowId ? items.filter((n) => n.workflowId === workflowId) : items;
}
