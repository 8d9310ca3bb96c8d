// The browser-mode transport: the StudioApi over the server's HTTP wire format (src-main/shared/http.ts),
// events over Server-Sent Events. The token comes from ?token= once and is kept for reloads of this tab.
import { studioMethods } from '@shared/schemas';
import type { StudioApi, StudioClient, StudioEvent, StudioMethod } from '@shared/api';
import { API_CALL_PREFIX, API_EVENTS_PATH, TOKEN_HEADER, TOKEN_QUERY } from '@shared/http';

const TOKEN_STORAGE_KEY = 'snapshot-studio.token';

/** Takes the token from the address (then removes it there, so it stays out of history) or from this tab's storage. */
export function readToken(location: Location, storage: Storage, history: History): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get(TOKEN_QUERY);
  if (fromUrl) {
    storage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    url.searchParams.delete(TOKEN_QUERY);
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_STORAGE_KEY);
}

/** An error the server reported, keeping its code for callers that branch on it. */
export class ApiCallError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
  }
}

async function call(token: string, method: StudioMethod, args: unknown[]): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(API_CALL_PREFIX + method, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify(args),
    });
  } catch (err) {
    throw new ApiCallError('E_NETWORK', `${method}: the Snapshot Studio server did not answer (${(err as Error).message})`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiCallError('E_BAD_RESPONSE', `${method}: the server answered ${response.status} ${response.statusText} without a JSON body`);
  }
  if (body && typeof body === 'object' && 'error' in body) {
    const { code, message } = (body as { error: { code?: unknown; message?: unknown } }).error ?? {};
    throw new ApiCallError(typeof code === 'string' ? code : 'E_UNKNOWN', typeof message === 'string' ? message : `${method} failed (${response.status})`);
  }
  if (!response.ok || !body || typeof body !== 'object' || !('result' in body)) {
    throw new ApiCallError('E_BAD_RESPONSE', `${method}: unexpected answer from the server (${response.status})`);
  }
  return (body as { result: unknown }).result;
}

function subscribeToEvents(token: string, listener: (event: StudioEvent) => void): () => void {
  const source = new EventSource(`${API_EVENTS_PATH}?${TOKEN_QUERY}=${encodeURIComponent(token)}`);
  source.onmessage = (message) => {
    let event: StudioEvent;
    try {
      event = JSON.parse(message.data as string) as StudioEvent;
    } catch {
      console.warn('snapshot-studio: ignored an event that is not JSON', message.data);
      return;
    }
    listener(event);
  };
  return () => source.close();
}

export function createHttpClient(token: string): StudioClient {
  const api = Object.fromEntries(
    studioMethods.map((method) => [method, (...args: unknown[]) => call(token, method, args)]),
  ) as unknown as StudioApi;
  return { ...api, subscribe: (listener) => subscribeToEvents(token, listener) };
}
