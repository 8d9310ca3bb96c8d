// The sandboxed preload: exposes window.studio (the StudioApi methods plus subscribe) over the one IPC
// channel, and nothing else: never ipcRenderer, never the IPC event object.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { StudioApi, StudioClient, StudioEvent, StudioMethod } from '../shared/api';
import { bridgeMethods, STUDIO_CALL_CHANNEL, STUDIO_EVENT_CHANNEL, type IpcReply } from './channels';

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

const api: StudioClient = {
  ...methods,
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
