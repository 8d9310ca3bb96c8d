// The sandboxed preload: exposes window.studio (the StudioApi methods plus subscribe) over the one IPC
// channel, and two file helpers the core's path-based import and export need (a dropped or picked File's
// path, a save dialog); nothing else: never ipcRenderer, never the IPC event object.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { StudioApi, StudioClient, StudioEvent, StudioMethod } from '../shared/api';
import { bridgeMethods, STUDIO_CALL_CHANNEL, STUDIO_EVENT_CHANNEL, STUDIO_SAVE_DIALOG_CHANNEL, type IpcReply } from './channels';

/** The error the renderer sees. contextBridge copies only an Error's message (custom properties such as
 * `code` are dropped on the way to the page), so the code also leads the message: "E_BAD_ARGUMENT: …". */
function studioError(body: { code: string; message: string }): Error & { code: string } {
  const err = new Error(`${body.code}: ${body.message}`) as Error & { code: string };
  err.name = 'StudioError';
  err.code = body.code;
  return err;
}

async function call(method: StudioMethod, args: unknown[]): Promise<unknown> {
  const reply = (await ipcRenderer.invoke(STUDIO_CALL_CHANNEL, method, args)) as IpcReply | undefined;
  if (reply?.ok === true) return reply.result;
  throw studioError(reply?.ok === false ? reply.error : { code: 'E_IPC', message: `no reply to ${method} from the main process` });
}

const methods = Object.fromEntries(bridgeMethods.map((method) => [method, (...args: unknown[]) => call(method, args)])) as unknown as StudioApi;

/** What the desktop shell adds to the contract for files: the renderer's FileExchange uses these. */
export interface DesktopFiles {
  /** The path on disk of a File the person dropped or picked ('' for one that has none, e.g. made in the page). */
  pathForFile(file: File): string;
  /** A save dialog for an export; the chosen path, or null when cancelled. */
  chooseExportFile(suggestedName: string): Promise<string | null>;
}

const files: DesktopFiles = {
  pathForFile(file) {
    return webUtils.getPathForFile(file);
  },
  async chooseExportFile(suggestedName) {
    if (typeof suggestedName !== 'string') throw new TypeError('studio.chooseExportFile expects a file name');
    const chosen = (await ipcRenderer.invoke(STUDIO_SAVE_DIALOG_CHANNEL, suggestedName)) as unknown;
    return typeof chosen === 'string' ? chosen : null;
  },
};

const api: StudioClient & DesktopFiles = {
  ...methods,
  ...files,
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
