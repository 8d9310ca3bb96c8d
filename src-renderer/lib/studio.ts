// The one StudioClient the stores talk to, chosen at start by pickTransport and set here before the first render.
import type { StudioClient } from '../../src-main/shared/api';

let current: StudioClient | null = null;

export function setStudioClient(client: StudioClient): void {
  current = client;
}

export function studio(): StudioClient {
  if (!current) throw new Error('Snapshot Studio: no transport was chosen before the first call');
  return current;
}
