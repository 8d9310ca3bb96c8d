// Browser mode's access token: `serve` prints the address with ?token=…; the window keeps it in this tab's
// storage for reloads. Apart from the client (httpTransport.ts), so the entry script (main.tsx) can read it
// without loading the client.
import { TOKEN_QUERY } from '@shared/http';

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

/** The token readToken will return, read without changing the address or the storage. */
export function peekToken(location: Location, storage: Storage): string | null {
  return new URL(location.href).searchParams.get(TOKEN_QUERY) ?? storage.getItem(TOKEN_STORAGE_KEY);
}
