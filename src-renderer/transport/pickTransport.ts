// Chooses how the renderer reaches core, once, at start: the only place that knows which shell it runs in.
import type { StudioClient, StudioInfo } from '@shared/api';
import { desktopFileExchange, httpFileExchange, type DesktopFileBridge, type FileExchange } from './fileExchange';
import { createHttpClient } from './httpTransport';
import { readToken } from './token';
import { preloadClient } from './preloadTransport';

/**
 * Who asks the person before imported code runs: the desktop app's main process shows a dialog of its own when
 * the consent is requested (the page cannot draw or click it); in browser mode the window asks.
 */
export type ConsentAskedBy = 'shell' | 'window';

/** The desktop app's File › Open database…: the menu asks the window, the window hands main what the person typed. */
export interface DatabaseSwitch {
  /** Switches the app to this database (an SQLite file path or a postgres:// URL); the window reloads after. */
  open(database: string): Promise<StudioInfo>;
  /** Calls `listener` each time the menu asks; returns the unsubscribe. */
  onAsked(listener: () => void): () => void;
}

export type TransportChoice =
  | { client: StudioClient; files: FileExchange; token?: string; consentAskedBy: ConsentAskedBy; database?: DatabaseSwitch }
  | { problem: string };

interface DesktopDatabaseBridge {
  openDatabase?(database: string): Promise<StudioInfo>;
  onOpenDatabaseAsked?(listener: () => void): () => void;
}

function desktopDatabase(client: DesktopDatabaseBridge): DatabaseSwitch | undefined {
  const { openDatabase, onOpenDatabaseAsked } = client;
  if (!openDatabase || !onOpenDatabaseAsked) return undefined;
  return { open: (database) => openDatabase(database), onAsked: (listener) => onOpenDatabaseAsked(listener) };
}

export function pickTransport(win: Window = window): TransportChoice {
  const fromPreload = preloadClient(win);
  // The file helpers through preloadClient too, so their errors keep their codes as the contract's do.
  if (fromPreload) {
    return {
      client: fromPreload,
      files: desktopFileExchange(fromPreload as unknown as DesktopFileBridge),
      consentAskedBy: 'shell',
      database: desktopDatabase(fromPreload as unknown as DesktopDatabaseBridge),
    };
  }
  const token = readToken(win.location, win.sessionStorage, win.history);
  if (!token) {
    return {
      problem: 'No access token. Open the address that `snapshot-studio serve` printed, including its ?token=… part.',
    };
  }
  return { client: createHttpClient(token), files: httpFileExchange(token, win.document), token, consentAskedBy: 'window' };
}
