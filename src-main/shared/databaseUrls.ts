// Production databases named by URL as import sources: a LangGraph PostgresSaver or a Mastra Postgres store, as
// postgres:// or postgresql://. What may be shown of such a URL (never its password), and what a window may name:
// a database reached over the network only. A window never makes this machine read a path (windowCalls.ts): no
// file, no file: or sqlite: URL, no Unix socket (a host that is a folder), and none of the driver's parameters
// that read files (sslcert, sslkey, sslrootcert) or put the host elsewhere (host, hostaddr). Shared by the
// shells, which refuse the rest before the core sees it, and the window's Import dialog, which says so first.

const SCHEME = /^postgres(ql)?:\/\//i;

/** A postgres:// or postgresql:// URL (any case), which import reads as a database rather than a file. */
export function isPostgresUrl(text: string): boolean {
  return SCHEME.test(text);
}

/** The URL as it may be shown, logged or stored: its password (in the user part or a parameter) as ***. */
export function shownDatabaseUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    for (const key of [...url.searchParams.keys()]) if (/pass/i.test(key)) url.searchParams.set(key, '***');
    return url.toString();
  } catch {
    return 'a postgres:// URL that cannot be parsed';
  }
}

/** The connection parameters a window's URL may carry: how to use TLS, how long to wait, the name the server logs. */
export const WINDOW_URL_PARAMETERS: readonly string[] = ['sslmode', 'ssl', 'connect_timeout', 'application_name'];

/**
 * Why a window may not import from `text`, or null when it may: a postgres:// or postgresql:// URL of a host on the
 * network, with no parameter but WINDOW_URL_PARAMETERS. The reason never repeats the URL (it may hold a password).
 */
export function windowDatabaseUrlProblem(text: string): string | null {
  if (!isPostgresUrl(text)) return 'only a postgres:// or postgresql:// URL is read from a window';
  // The driver re-encodes a URL with spaces or stray % before parsing it: only what both read alike is taken.
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]|%(?![0-9a-f]{2})/i.test(text)) return 'the URL holds spaces, control characters or a stray %: encode them (%20, %25)';
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'the URL cannot be parsed: postgres://user:password@host:port/database';
  }
  if (url.hostname === '') return 'the URL names no host: postgres://user:password@host:port/database (a socket on this machine is not read from a window)';
  if (url.hostname.includes('%') || url.hostname.startsWith('/')) return 'the URL\'s host is a path on this machine (a Unix socket), which a window may not name: give a host name or address';
  for (const key of new Set(url.searchParams.keys())) {
    if (!WINDOW_URL_PARAMETERS.includes(key)) {
      const named = /^[a-z_]{1,40}$/i.test(key) ? `the URL's parameter ${key}` : 'one of the URL\'s parameters';
      return `${named} is not read from a window (only ${WINDOW_URL_PARAMETERS.join(', ')} are): a parameter may name files on this machine`;
    }
  }
  return null;
}
