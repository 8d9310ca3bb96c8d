// The one StudioClient the stores talk to, chosen at start by pickTransport and set here before the first render.
import type { StudioClient } from '@shared/api';
import type { FileExchange } from '../transport/fileExchange';
import type { ConsentAskedBy } from '../transport/pickTransport';

let current: StudioClient | null = null;
let token: string | undefined;
let exchange: FileExchange | null = null;
let consentAskedBy: ConsentAskedBy = 'window';

/** `httpToken`: in browser mode, lets web workers call the server themselves (e.g. the diff worker). */
export function setStudioClient(client: StudioClient, httpToken?: string, files?: FileExchange, consent: ConsentAskedBy = 'window'): void {
  current = client;
  token = httpToken;
  exchange = files ?? null;
  consentAskedBy = consent;
}

/** Whether the window asks before imported code runs, or the shell does when the consent is requested. */
export function importedCodeConsentAskedBy(): ConsentAskedBy {
  return consentAskedBy;
}

/** How files reach the core in this shell (upload and download, or paths and a save dialog). */
export function fileExchange(): FileExchange {
  if (!exchange) throw new Error('Snapshot Studio: this window has no way to exchange files with the core');
  return exchange;
}

/** The HTTP token when the app talks to a server (browser mode); undefined in Electron. */
export function workerToken(): string | undefined {
  return token;
}

export function studio(): StudioClient {
  if (!current) throw new Error('Snapshot Studio: no transport was chosen before the first call');
  return current;
}
