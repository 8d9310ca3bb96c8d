// Every IPC handler of the app: one call channel into the StudioApi, validated by the contract's zod
// schemas, answered only for the main frame of our own windows; core events forwarded to those windows.
import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { StudioApi, StudioEvent } from '../shared/api';
import { toErrorBody } from '../shared/errors';
import { dispatchApiCall } from '../shared/schemas';
import { STUDIO_CALL_CHANNEL, STUDIO_EVENT_CHANNEL, STUDIO_SAVE_DIALOG_CHANNEL, type IpcReply } from './channels';
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

/** Registers the call channel and starts forwarding events; returns what undoes both. */
export function registerStudioIpc(service: StudioBackend): () => void {
  ipcMain.handle(STUDIO_CALL_CHANNEL, async (event, method: unknown, args: unknown): Promise<IpcReply> => {
    if (!isTrustedSender(event)) {
      console.warn(`ipc: dropped a call to ${JSON.stringify(method)} from a frame that is not ours (${event.senderFrame?.url ?? 'gone'})`);
      return { ok: false, error: { code: 'E_UNTRUSTED_SENDER', message: 'this frame may not call Snapshot Studio' } };
    }
    try {
      return { ok: true, result: await dispatchApiCall(service, method, args) };
    } catch (err) {
      const error = toErrorBody(err);
      if (error.code === 'E_INTERNAL') console.error(`ipc: ${String(method)} failed:`, err);
      return { ok: false, error };
    }
  });
  // The save dialog for an export: the renderer gets a path only from the person's own choice.
  ipcMain.handle(STUDIO_SAVE_DIALOG_CHANNEL, async (event, suggestedName: unknown): Promise<string | null> => {
    if (!isTrustedSender(event)) return null;
    const name = typeof suggestedName === 'string' ? suggestedName.replace(/[\\/]/g, '_').slice(0, 120) : 'runs.ssx.ndjson.gz';
    const window = BrowserWindow.fromWebContents(event.sender);
    const options = { defaultPath: name, filters: [{ name: 'Snapshot Studio export', extensions: ['gz', 'ndjson'] }] };
    const chosen = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
    return chosen.canceled || !chosen.filePath ? null : chosen.filePath;
  });
  const unsubscribe = service.subscribe((event) => {
    for (const window of studioWindows()) {
      if (!window.webContents.isDestroyed()) window.webContents.send(STUDIO_EVENT_CHANNEL, event);
    }
  });
  return () => {
    ipcMain.removeHandler(STUDIO_CALL_CHANNEL);
    ipcMain.removeHandler(STUDIO_SAVE_DIALOG_CHANNEL);
    unsubscribe();
  };
}
