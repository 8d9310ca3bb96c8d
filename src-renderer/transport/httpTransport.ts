// The browser-mode transport: the StudioApi over the server's HTTP wire format (src-main/shared/http.ts),
// events over Server-Sent Events. The token comes from ?token= once and is kept for reloads of this tab (token.ts).
import { studioMethods } from '@shared/schemas';
import type { StudioApi, StudioClient, StudioEvent } from '@shared/api';
import { API_EVENTS_PATH, TOKEN_QUERY } from '@shared/http';
import { callApi } from './httpCall';

export { ApiCallError } from './httpCall';

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
    studioMethods.map((method) => [method, (...args: unknown[]) => callApi(token, method, args)]),
  ) as unknown as StudioApi;
  return { ...api, subscribe: (listener) => subscribeToEvents(token, listener) };
}
