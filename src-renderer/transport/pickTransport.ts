// Chooses how the renderer reaches core, once, at start: the only place that knows which shell it runs in.
import type { StudioClient } from '@shared/api';
import { desktopFileExchange, httpFileExchange, type DesktopFileBridge, type FileExchange } from './fileExchange';
import { createHttpClient, readToken } from './httpTransport';
import { preloadClient } from './preloadTransport';

/**
 * Who asks the person before imported code runs: the desktop app's main process shows a dialog of its own when
 * the consent is requested (the page cannot draw or click it); in browser mode the window asks.
 */
export type ConsentAskedBy = 'shell' | 'window';

export type TransportChoice = { client: StudioClient; files: FileExchange; token?: string; consentAskedBy: ConsentAskedBy } | { problem: string };

export function pickTransport(win: Window = window): TransportChoice {
  const fromPreload = preloadClient(win);
  // The file helpers through preloadClient too, so their errors keep their codes as the contract's do.
  if (fromPreload) return { client: fromPreload, files: desktopFileExchange(fromPreload as unknown as DesktopFileBridge), consentAskedBy: 'shell' };
  const token = readToken(win.location, win.sessionStorage, win.history);
  if (!token) {
    return {
      problem: 'No access token. Open the address that `snapshot-studio serve` printed, including its ?token=… part.',
    };
  }
  return { client: createHttpClient(token), files: httpFileExchange(token, win.document), token, consentAskedBy: 'window' };
}
