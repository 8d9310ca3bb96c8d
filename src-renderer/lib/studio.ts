// The one StudioClient the stores talk to, chosen at start by pickTransport and set here before the first render.
import { createStore } from 'zustand/vanilla';
import type { StudioClient } from '@shared/api';
import type { FileExchange } from '../transport/fileExchange';
import type { ConsentAskedBy, DatabaseSwitch } from '../transport/pickTransport';

interface Transport {
  client: StudioClient | null;
  /** In browser mode, lets web workers call the server themselves (e.g. the diff worker). */
  token: string | undefined;
  files: FileExchange | null;
  consentAskedBy: ConsentAskedBy;
  /** The desktop app's Open database…; null in browser mode. */
  database: DatabaseSwitch | null;
}

const transport = createStore<Transport>()(() => ({ client: null, token: undefined, files: null, consentAskedBy: 'window', database: null }));

/** `httpToken`: in browser mode, lets web workers call the server themselves (e.g. the diff worker). */
export function setStudioClient(client: StudioClient, httpToken?: string, files?: FileExchange, consent: ConsentAskedBy = 'window', database?: DatabaseSwitch): void {
  transport.setState({ client, token: httpToken, files: files ?? null, consentAskedBy: consent, database: database ?? null });
}

/** The desktop app's Open database…, or null where there is none (browser mode). */
export function databaseSwitch(): DatabaseSwitch | null {
  return transport.getState().database;
}

/** Whether the window asks before imported code runs, or the shell does when the consent is requested. */
export function importedCodeConsentAskedBy(): ConsentAskedBy {
  return transport.getState().consentAskedBy;
}

/** How files reach the core in this shell (upload and download, or paths and a save dialog). */
export function fileExchange(): FileExchange {
  const { files } = transport.getState();
  if (!files) throw new Error('Snapshot Studio: this window has no way to exchange files with the core');
  return files;
}

/** The HTTP token when the app talks to a server (browser mode); undefined in Electron. */
export function workerToken(): string | undefined {
  return transport.getState().token;
}

export function studio(): StudioClient {
  const { client } = transport.getState();
  if (!client) throw new Error('Snapshot Studio: no transport was chosen before the first call');
  return client;
}
