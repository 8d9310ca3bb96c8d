// The one StudioClient the stores talk to, chosen at start by pickTransport and set here before the first render.
import type { StudioClient } from '../../src-main/shared/api';

let current: StudioClient | null = null;
let token: string | undefined;

/** `httpToken`: in browser mode, lets web workers call the server themselves (e.g. the diff worker). */
export function setStudioClient(client: StudioClient, httpToken?: string): void {
  current = client;
  token = httpToken;
}

/** The HTTP token when the app talks to a server (browser mode); undefined in Electron. */
export function workerToken(): string | undefined {
  return token;
}

export function studio(): StudioClient {
  if (!current) throw new Error('Snapshot Studio: no transport was chosen before the first call');
  return current;
}
