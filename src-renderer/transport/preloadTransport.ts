// The Electron transport: the preload exposes a ready StudioClient as window.studio.
import type { StudioClient } from '../../src-main/shared/api';

declare global {
  interface Window {
    studio?: StudioClient;
  }
}

export function preloadClient(win: Window): StudioClient | null {
  return win.studio ?? null;
}
