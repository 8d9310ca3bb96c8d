// One call of the StudioApi over the server's HTTP wire format (src-main/shared/http.ts), and the error it
// reports. Apart from the client (httpTransport.ts) so a worker can call the server without the method
// table's schemas in its bundle.
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

export async function callApi(token: string, method: StudioMethod, args: unknown[]): Promise<unknown> {
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
