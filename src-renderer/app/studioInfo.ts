// What the window knows of the studio itself, read once at start: whether it is read-only (--read-only) and which
// database it has open. Actions that would write are offered only once the window knows they may be.
import { create } from 'zustand';
import type { StudioInfo } from '@shared/api';
import { attempt } from '../lib/attempt';
import { studio } from '../lib/studio';

interface StudioInfoState {
  info: StudioInfo | null;
  loaded: boolean;
  load(): Promise<void>;
}

export const useStudioInfo = create<StudioInfoState>()((set) => ({
  info: null,
  loaded: false,
  load: async () => {
    const info = await attempt('Could not read what the studio has open', () => studio().getStudioInfo());
    set({ info: info ?? null, loaded: true });
  },
}));

/** Whether to offer actions that write: not before the window knows, never when the studio is read-only. */
export function useCanWrite(): boolean {
  return useStudioInfo((s) => s.loaded && s.info?.readOnly !== true);
}
