// Pane sizes the person dragged, kept across reloads of this window.
import { create } from 'zustand';

const STORAGE_KEY = 'snapshot-studio.layout';

export interface Layout {
  runsWidth: number;
  timelineWidth: number;
  /** Share of the detail column's height given to the Inspector (the Diff gets the rest). */
  inspectorShare: number;
}

const DEFAULT_LAYOUT: Layout = { runsWidth: 240, timelineWidth: 560, inspectorShare: 0.45 };

export const LIMITS = {
  runsWidth: [180, 480],
  timelineWidth: [340, 900],
  inspectorShare: [0.12, 0.88],
} as const satisfies Record<keyof Layout, readonly [number, number]>;

const clamp = (key: keyof Layout, value: number) => Math.min(LIMITS[key][1], Math.max(LIMITS[key][0], value));

function restore(): Layout {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<Layout>;
    const layout = { ...DEFAULT_LAYOUT };
    for (const key of Object.keys(layout) as (keyof Layout)[]) {
      if (typeof saved[key] === 'number' && Number.isFinite(saved[key])) layout[key] = clamp(key, saved[key]);
    }
    return layout;
  } catch {
    return { ...DEFAULT_LAYOUT };
  }
}

interface LayoutState extends Layout {
  resize(key: keyof Layout, value: number): void;
}

export const useLayout = create<LayoutState>()((set, get) => ({
  ...restore(),
  resize: (key, value) => {
    set({ [key]: clamp(key, value) } as Pick<Layout, typeof key>);
    const { runsWidth, timelineWidth, inspectorShare } = get();
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify({ runsWidth, timelineWidth, inspectorShare }));
    } catch {
      // Storage can be unavailable (private modes); the layout then lasts until reload.
    }
  },
}));
