// One call of the StudioApi over the server's HTTP wire format (src-main/shared/http.ts), and the error it
// reports. Apart from the client (httpTransport.ts) so a worker can call the server, and the entry script
// (main.tsx) ask the first calls, without the method table's schemas in their bundles.
import type { StudioMethod } from '@shared/api';
import { API_CALL_PREFIX, TOKEN_HEADER } from '@shared/http';

/** An error the server reported, keeping its code for callers that branch on it. */
export class ApiCallError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
  }
}

function send(token: string, method: StudioMethod, body: string): Promise<Response> {
  return fetch(API_CALL_PREFIX + method, { method: 'POST', headers: { 'content-type': 'application/json', [TOKEN_HEADER]: token }, body });
}

/** An answer asked for before anyone called for it, by the call it answers (method, arguments and token). */
const early = new Map<string, Promise<Response>>();
const callKey = (token: string, method: StudioMethod, body: string) => `${token}\n${method}\n${body}`;
/** An early answer is taken within this long, or dropped: a later call asks afresh. */
const EARLY_KEPT_MS = 10_000;

/**
 * Sends these calls now, before anything calls for them; the first callApi of each (same method, same
 * arguments) takes its answer instead of asking again. The entry script (main.tsx) asks for the window's
 * first calls this way, so their answers travel while the app's code loads.
 */
export function askEarly(token: string, calls: readonly (readonly [StudioMethod, readonly unknown[]])[]): void {
  for (const [method, args] of calls) {
    const body = JSON.stringify(args);
    const key = callKey(token, method, body);
    const answer = send(token, method, body);
    // A failure reaches the call that takes the answer; one nobody takes is not an unhandled rejection.
    answer.catch(() => undefined);
    early.set(key, answer);
    setTimeout(() => early.get(key) === answer && early.delete(key), EARLY_KEPT_MS);
  }
}

function takeEarly(token: string, method: StudioMethod, body: string): Promise<Response> | undefined {
  const key = callKey(token, method, body);
  const answer = early.get(key);
  early.delete(key);
  return answer;
}

export async function callApi(token: string, method: StudioMethod, args: unknown[]): Promise<unknown> {
  let response: Response;
  try {
    const body = JSON.stringify(args);
    response = await (takeEarly(token, method, body) ?? send(token, method, body));
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
