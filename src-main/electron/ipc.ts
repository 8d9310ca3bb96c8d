// Every IPC handler of the app: one call channel into the StudioApi, validated by the contract's zod schemas and
// refused for what a window may not ask (paths on this machine); the file channels, where the path comes from the
// person (a save or open dialog main shows, or a File they dropped); all answered only for the main frame of our
// own windows. Core events are forwarded to those windows.
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { ExportResult, ImportedCodeConsent, ImportSummary, StudioApi, StudioEvent, StudioInfo } from '../shared/api';
import { kindOf, StudioError, toErrorBody } from '../shared/errors';
import { dispatchApiCall, parseApiCall } from '../shared/schemas';
import { refusedFromWindow } from '../shared/windowCalls';
import {
  STUDIO_CALL_CHANNEL,
  STUDIO_EVENT_CHANNEL,
  STUDIO_EXPORT_CHANNEL,
  STUDIO_IMPORT_DIALOG_CHANNEL,
  STUDIO_IMPORT_FILE_CHANNEL,
  STUDIO_OPEN_DATABASE_CHANNEL,
  type IpcReply,
} from './channels';
import { isAppUrl, studioWindows } from './windows';

/** The part of StudioService the Electron shell uses. */
export interface StudioBackend extends StudioApi {
  subscribe(listener: (event: StudioEvent) => void): () => void;
}

/** The one sender check: the top frame of one of our windows, still showing our page. */
export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.detached || frame.parent !== null) return false;
  const window = studioWindows().find((w) => w.webContents === event.sender);
  if (!window) return false;
  const main = event.sender.mainFrame;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return isAppUrl(frame.url);
}

const EXPORT_FILTERS = [{ name: 'Snapshot Studio export', extensions: ['gz', 'ndjson'] }];
const IMPORT_FILTERS = [
  { name: 'Snapshot exports and databases', extensions: ['gz', 'ndjson', 'json', 'jsonl', 'db', 'sqlite', 'sqlite3'] },
  { name: 'All files', extensions: ['*'] },
];

export interface ShellActions {
  /** Open database…: switches the app to another database (a file or a postgres:// URL). */
  openDatabase?(database: string): Promise<StudioInfo>;
}

/** Registers every channel and starts forwarding events; returns what undoes all of it. */
export function registerStudioIpc(service: StudioBackend, shell: ShellActions = {}): () => void {
  /** Registers a channel answered with an IpcReply: the sender checked first, errors kept with their code. */
  function handle(channel: string, what: (args: unknown[]) => string, run: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void {
    ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<IpcReply> => {
      if (!isTrustedSender(event)) {
        console.warn(`ipc: dropped ${what(args)} from a frame that is not ours (${event.senderFrame?.url ?? 'gone'})`);
        return { ok: false, error: { code: 'E_UNTRUSTED_SENDER', message: 'this frame may not call Snapshot Studio' } };
      }
      try {
        return { ok: true, result: await run(event, ...args) };
      } catch (err) {
        const error = toErrorBody(err);
        if (kindOf(error.code) === 'internal') console.error(`ipc: ${what(args)} failed:`, err);
        return { ok: false, error };
      }
    });
  }

  handle(STUDIO_CALL_CHANNEL, ([method]) => `a call to ${JSON.stringify(method)}`, async (event, method, args) => {
    const refused = refusedFromWindow(String(method), args);
    if (refused) throw new StudioError('E_REFUSED', refused);
    const result = await dispatchApiCall(service, method, args);
    if (method === 'consentToImportedCode') return confirmImportedCode(event, result as ImportedCodeConsent);
    return result;
  });

  handle(STUDIO_EXPORT_CHANNEL, () => 'an export', async (event, options, suggestedName): Promise<ExportResult | null> => {
    if (!options || typeof options !== 'object' || Array.isArray(options)) {
      throw new StudioError('E_BAD_ARGUMENT', 'export: options must be an object that says which runs (runIds, workflowId or since)');
    }
    // The page's `out`, if it slipped one in, is replaced by the person's choice; the rest is checked before asking.
    parseApiCall('exportRuns', [{ ...options, out: 'chosen in the save dialog' }]);
    const name = typeof suggestedName === 'string' ? suggestedName.replace(/[\\/]/g, '_').slice(0, 120) : 'runs.ssx.ndjson.gz';
    const window = BrowserWindow.fromWebContents(event.sender);
    const dialogOptions = { title: 'Export runs', defaultPath: name, filters: EXPORT_FILTERS };
    const chosen = window ? await dialog.showSaveDialog(window, dialogOptions) : await dialog.showSaveDialog(dialogOptions);
    if (chosen.canceled || !chosen.filePath) return null;
    return (await dispatchApiCall(service, 'exportRuns', [{ ...options, out: chosen.filePath }])) as ExportResult;
  });

  handle(STUDIO_IMPORT_FILE_CHANNEL, () => 'an import of a dropped file', async (_event, path, format): Promise<ImportSummary> => {
    if (typeof path !== 'string' || path === '') throw new StudioError('E_BAD_ARGUMENT', 'import: expected the path of one file the person dropped or picked');
    return (await dispatchApiCall(service, 'importFiles', [{ files: [path], format }])) as ImportSummary;
  });

  handle(STUDIO_IMPORT_DIALOG_CHANNEL, () => 'an import through the open dialog', async (event, format): Promise<ImportSummary | null> => {
    parseApiCall('importFiles', [{ files: ['chosen in the open dialog'], format }]);
    const window = BrowserWindow.fromWebContents(event.sender);
    const dialogOptions = { title: 'Import runs', properties: ['openFile' as const, 'multiSelections' as const], filters: IMPORT_FILTERS };
    const chosen = window ? await dialog.showOpenDialog(window, dialogOptions) : await dialog.showOpenDialog(dialogOptions);
    if (chosen.canceled || chosen.filePaths.length === 0) return null;
    return (await dispatchApiCall(service, 'importFiles', [{ files: chosen.filePaths, format }])) as ImportSummary;
  });

  if (shell.openDatabase) {
    const openDatabase = shell.openDatabase;
    handle(STUDIO_OPEN_DATABASE_CHANNEL, () => 'a change of database', async (_event, database): Promise<StudioInfo> => {
      if (typeof database !== 'string' || database.trim() === '') {
        throw new StudioError('E_BAD_ARGUMENT', 'open database: expected an SQLite file path or a postgres:// URL');
      }
      return openDatabase(database.trim());
    });
  }

  const unsubscribe = service.subscribe((event) => {
    for (const window of studioWindows()) {
      if (!window.webContents.isDestroyed()) window.webContents.send(STUDIO_EVENT_CHANNEL, event);
    }
  });
  return () => {
    for (const channel of [STUDIO_CALL_CHANNEL, STUDIO_EXPORT_CHANNEL, STUDIO_IMPORT_FILE_CHANNEL, STUDIO_IMPORT_DIALOG_CHANNEL]) ipcMain.removeHandler(channel);
    if (shell.openDatabase) ipcMain.removeHandler(STUDIO_OPEN_DATABASE_CHANNEL);
    unsubscribe();
  };
}

/** The page gets the one-time consent only when the person, in a native dialog the page cannot draw or click,
 * chose to run the imported code. */
async function confirmImportedCode(event: IpcMainInvokeEvent, consent: ImportedCodeConsent): Promise<ImportedCodeConsent> {
  const window = BrowserWindow.fromWebContents(event.sender);
  const box = {
    type: 'warning' as const,
    title: 'Run imported code?',
    message: `Run the code of ${consent.workflowId} that came with an import?`,
    detail: consent.warning,
    buttons: ['Run imported code', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
  const { response } = window ? await dialog.showMessageBox(window, box) : await dialog.showMessageBox(box);
  if (response !== 0) throw new StudioError('E_CONSENT_DECLINED', `you chose not to run the code that came with the import of ${consent.workflowId}`);
  return consent;
}
