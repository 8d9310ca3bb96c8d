// The sandboxed preload: exposes window.studio (the StudioApi methods plus subscribe) over the one call channel,
// and three file helpers whose paths never reach the page: an import of a File the person dropped or picked (its
// path learnt here, from webUtils), an import through main's open dialog, and an export through main's save
// dialog; and Open database… (the menu asks the window, which hands main the file or URL the person typed).
// Nothing else: never ipcRenderer, never the IPC event object.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ExchangeFormat, ExportOptions, ExportResult, ImportSummary, StudioApi, StudioClient, StudioEvent, StudioInfo, StudioMethod } from '../shared/api';
import { studioMethods } from '../shared/schemas';
import {
  STUDIO_ASK_DATABASE_CHANNEL,
  STUDIO_CALL_CHANNEL,
  STUDIO_EVENT_CHANNEL,
  STUDIO_EXPORT_CHANNEL,
  STUDIO_IMPORT_DIALOG_CHANNEL,
  STUDIO_IMPORT_FILE_CHANNEL,
  STUDIO_OPEN_DATABASE_CHANNEL,
  type IpcReply,
} from './channels';

/** The error the renderer sees. contextBridge copies only an Error's message (custom properties such as
 * `code` are dropped on the way to the page), so the code also leads the message: "E_BAD_ARGUMENT: …". */
function studioError(body: { code: string; message: string }): Error & { code: string } {
  const err = new Error(`${body.code}: ${body.message}`) as Error & { code: string };
  err.name = 'StudioError';
  err.code = body.code;
  return err;
}

async function invoke(channel: string, what: string, ...args: unknown[]): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(channel, ...args)) as IpcReply | undefined;
  if (reply?.ok === true) return reply.result;
  throw studioError(reply?.ok === false ? reply.error : { code: 'E_IPC', message: `no reply to ${what} from the main process` });
}

const methods = Object.fromEntries(
  studioMethods.map((method: StudioMethod) => [method, (...args: unknown[]) => invoke(STUDIO_CALL_CHANNEL, method, method, args)]),
) as unknown as StudioApi;

/** The path on disk behind a File the person dropped or picked. A page cannot make a File with a path of its
 * choice (one it builds has none), so a path from here is one the person gave. */
function pathOfGivenFile(file: unknown): string {
  if (typeof file !== 'object' || file === null) {
    throw studioError({ code: 'E_BAD_ARGUMENT', message: 'import: expected a file the person dropped or picked, not a path' });
  }
  let path: string;
  try {
    path = webUtils.getPathForFile(file as File); // throws for anything that is not a File
  } catch {
    throw studioError({ code: 'E_BAD_ARGUMENT', message: 'import: expected a file the person dropped or picked' });
  }
  if (!path) {
    const name = (file as File).name || 'this file';
    throw studioError({ code: 'E_NO_PATH', message: `${name} has no path on disk; save it as a file, then import that` });
  }
  return path;
}

/** What the desktop shell adds to the contract for files: the renderer's FileExchange uses these. */
export interface DesktopFiles {
  /** Imports a File the person dropped or picked. */
  importGivenFile(file: File, format?: ExchangeFormat | 'auto'): Promise<ImportSummary>;
  /** Shows an open dialog and imports what the person chose; null when they cancelled. */
  importWithDialog(format?: ExchangeFormat | 'auto'): Promise<ImportSummary | null>;
  /** Shows a save dialog and exports there; null when the person cancelled. */
  exportWithDialog(options: Omit<ExportOptions, 'out'>, suggestedName: string): Promise<ExportResult | null>;
}

const files: DesktopFiles = {
  async importGivenFile(file, format = 'auto') {
    const path = pathOfGivenFile(file);
    return (await invoke(STUDIO_IMPORT_FILE_CHANNEL, 'an import', path, format)) as ImportSummary;
  },
  async importWithDialog(format = 'auto') {
    return (await invoke(STUDIO_IMPORT_DIALOG_CHANNEL, 'an import', format)) as ImportSummary | null;
  },
  async exportWithDialog(options, suggestedName) {
    // The path is main's to choose: an `out` from the page is not even sent.
    const { out: _out, ...choice } = (options ?? {}) as ExportOptions;
    return (await invoke(STUDIO_EXPORT_CHANNEL, 'an export', choice, suggestedName)) as ExportResult | null;
  },
};

/** The desktop app's Open database…: the menu asks, the window answers with what the person typed. */
export interface DesktopDatabase {
  /** Switches the app to this database (an SQLite file path or a postgres:// URL); reload the window after. */
  openDatabase(database: string): Promise<StudioInfo>;
  /** Calls `listener` each time the menu's Open database… is chosen; returns the unsubscribe. */
  onOpenDatabaseAsked(listener: () => void): () => void;
}

const database: DesktopDatabase = {
  async openDatabase(db) {
    return (await invoke(STUDIO_OPEN_DATABASE_CHANNEL, 'a change of database', db)) as StudioInfo;
  },
  onOpenDatabaseAsked(listener) {
    if (typeof listener !== 'function') throw new TypeError('studio.onOpenDatabaseAsked expects a function');
    const forward = () => listener();
    ipcRenderer.on(STUDIO_ASK_DATABASE_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(STUDIO_ASK_DATABASE_CHANNEL, forward);
    };
  },
};

const api: StudioClient & DesktopFiles & DesktopDatabase = {
  ...methods,
  ...files,
  ...database,
  subscribe(listener: (event: StudioEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('studio.subscribe expects a function');
    const forward = (_event: IpcRendererEvent, studioEvent: StudioEvent) => listener(studioEvent);
    ipcRenderer.on(STUDIO_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(STUDIO_EVENT_CHANNEL, forward);
    };
  },
};

/** The type of window.studio in Electron. */
export type StudioBridge = typeof api;

contextBridge.exposeInMainWorld('studio', api);
