// The app:// protocol the window loads its page from, instead of file:// (which would give the page the privileges
// of every file on the disk): one origin, app://studio, serving the built renderer's folder and nothing outside it.
import { net, protocol } from 'electron';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RENDERER_MEDIA_TYPES } from '../shared/rendererMediaTypes';

export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;


/** Must run before the app is ready. Standard and secure give the page an origin of its own and a secure
 * context (workers, fetch of its own assets); nothing here lets it bypass the CSP or reach other schemes. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** The file under `root` that an app:// URL names, or null for another host or a way out of `root`. */
export function fileForAppUrl(root: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username || parsed.password) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null; // a malformed %-encoding
  }
  // Encoded separators, backslashes and NULs name nothing a built renderer has; refusing them outright is simpler
  // than proving each harmless.
  if (path.includes('\0') || path.includes('\\') || /%2f|%5c/i.test(parsed.pathname)) return null;
  const file = resolve(root, `.${path === '/' ? '/index.html' : path}`);
  const inside = relative(root, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..')) return null;
  return file;
}

/** Serves `rendererDir` on app://studio (after the app is ready), every response with our CSP. */
export function serveRenderer(rendererDir: string, csp: string): void {
  const root = resolve(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const headers = { 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff' };
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('method not allowed', { status: 405, headers });
    const file = fileForAppUrl(root, request.url);
    if (!file) return new Response('not found', { status: 404, headers });
    // A folder or a missing file: net.fetch may answer an error or throw, and the page gets a 404 either way.
    const found = await net.fetch(pathToFileURL(file).href).catch(() => null);
    if (!found?.ok) return new Response('not found', { status: 404, headers });
    const type = RENDERER_MEDIA_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    return new Response(request.method === 'HEAD' ? null : found.body, { status: 200, headers: { ...headers, 'Content-Type': type } });
  });
}
