// Chooses how the renderer reaches core, once, at start: the only place that knows which shell it runs in.
import type { StudioClient } from '../../src-main/shared/api';
import { createHttpClient, readToken } from './httpTransport';
import { preloadClient } from './preloadTransport';

export type TransportChoice = { client: StudioClient; token?: string } | { problem: string };

export function pickTransport(win: Window = window): TransportChoice {
  const fromPreload = preloadClient(win);
  if (fromPreload) return { client: fromPreload };
  const token = readToken(win.location, win.sessionStorage, win.history);
  if (!token) {
    return {
      problem: 'No access token. Open the address that `snapshot-studio serve` printed, including its ?token=… part.',
    };
  }
  return { client: createHttpClient(token), token };
}
