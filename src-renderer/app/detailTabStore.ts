// Which view of the selected run the detail column shows; a store of its own so a view can open another
// (the Inspector opens Versions at a stack frame's line) without importing the tab strip that mounts it.
import { create } from 'zustand';

export type DetailTab = 'inspector' | 'graph' | 'config' | 'versions' | 'named';

export const useDetailTab = create<{ tab: DetailTab; show(tab: DetailTab): void }>()((set) => ({
  tab: 'inspector',
  show: (tab) => set({ tab }),
}));
