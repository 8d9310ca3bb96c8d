// Browser mode: the built renderer and the StudioApi over HTTP, events over Server-Sent Events.
// Listens on 127.0.0.1 only, requires the random token printed at start, checks the Host header (no DNS
// rebinding), sends no CORS headers, and limits body sizes, the bytes held across requests and slow bodies.
// Every other localhost port is the same *site* as this server, so its pages' requests carry our cookie: the
// cookie authorises only the page's own loads (and the event stream); API calls carry the token in a header,
// which another origin cannot set without a CORS preflight this server never grants, have a JSON (or, for an
// upload, octet-stream) content type, and come from our own origin (Origin, Sec-Fetch-Site).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { StudioEvent } from '../shared/api';
import { kindOf, StudioError, toErrorBody, type ErrorCode, type ErrorKind } from '../shared/errors';
import {
  API_CALL_PREFIX,
  API_DOWNLOAD_PREFIX,
  API_EVENTS_PATH,
  API_EXPORT_PATH,
  API_IMPORT_PATH,
  MAX_BODY_BYTES,
  MAX_HELD_BODY_BYTES,
  TOKEN_COOKIE,
  TOKEN_HEADER,
  TOKEN_QUERY,
} from '../shared/http';
import { dispatchApiCall } from '../shared/schemas';
import { refusedFromWindow } from '../shared/windowCalls';
import type { StudioService } from '../core/studio';
import { createFileExchange } from './fileExchange';
import { RENDERER_MEDIA_TYPES } from '../shared/rendererMediaTypes';


const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'",
};

export interface StudioServerOptions {
  service: StudioService;
  /** Folder of the built renderer (out/renderer). */
  rendererDir: string;
  port?: number;
  token?: string;
  /** The largest file an import upload may carry (default MAX_UPLOAD_BYTES). */
  maxUploadBytes?: number;
  /** The largest JSON body one call may send (default MAX_BODY_BYTES). */
  maxBodyBytes?: number;
  /** The bytes of unfinished JSON bodies held across all requests at once (default MAX_HELD_BODY_BYTES). */
  maxHeldBodyBytes?: number;
  /** A body that sends nothing for this long is refused with 408 (default 10 s). */
  bodyIdleMs?: number;
}

export interface StudioServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

function sameToken(given: string | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

/** The HTTP status of each kind of error. */
const STATUS_BY_KIND: Record<ErrorKind, number> = {
  'bad-input': 400,
  'not-found': 404,
  'no-match': 404,
  conflict: 409,
  refused: 403,
  unauthorized: 401,
  unprocessable: 422,
  'too-large': 413,
  timeout: 408,
  busy: 503,
  internal: 500,
};

/** Answers an error with its kind's status; HTTP's own refusals (405, 415) name theirs, which are more precise. */
function sendError(res: ServerResponse, code: ErrorCode, message: string, status = STATUS_BY_KIND[kindOf(code)]): void {
  sendJson(res, status, { error: { code, message } });
}

/** Errors after which the rest of the body is not read: the connection closes once the answer is sent. */
const CLOSES_CONNECTION = new Set<ErrorKind>(['too-large', 'timeout', 'busy']);

interface BodyLimits {
  maxBytes: number;
  idleMs: number;
  /** Shared by every request: bytes of bodies received and not yet handled. */
  held: { bytes: number; max: number };
}

/** Reads a JSON call's body within the limits: its own size, the bytes all requests hold together, and idle time. */
function readBody(req: IncomingMessage, limits: BodyLimits): Promise<string> {
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > limits.maxBytes) {
    return Promise.reject(new StudioError('E_BODY_TOO_LARGE', `the request body is ${announced} bytes; a call may send at most ${limits.maxBytes}`));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (err: Error | null, text?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(idle);
      limits.held.bytes -= size;
      req.removeListener('data', onData);
      if (err) {
        req.pause();
        reject(err);
      } else resolve(text!);
    };
    let idle = setTimeout(() => finish(new StudioError('E_BODY_TIMEOUT', `the request body stopped arriving for ${limits.idleMs} ms`)), limits.idleMs);
    const onData = (chunk: Buffer) => {
      clearTimeout(idle);
      idle = setTimeout(() => finish(new StudioError('E_BODY_TIMEOUT', `the request body stopped arriving for ${limits.idleMs} ms`)), limits.idleMs);
      if (size + chunk.length > limits.maxBytes) {
        return finish(new StudioError('E_BODY_TOO_LARGE', `the request body is over ${limits.maxBytes} bytes, the most a call may send`));
      }
      if (limits.held.bytes + chunk.length > limits.held.max) {
        return finish(new StudioError('E_BUSY', `the server holds ${limits.held.max} bytes of unfinished requests already; try again when they are done`));
      }
      size += chunk.length;
      limits.held.bytes += chunk.length;
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => finish(null, Buffer.concat(chunks).toString('utf8')));
    req.on('error', (err) => finish(err));
  });
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}

export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const { service, rendererDir } = options;
  const streams = new Set<ServerResponse>();
  const files = createFileExchange(service, { maxUploadBytes: options.maxUploadBytes });
  let port = 0;

  const unsubscribe = service.subscribe((event: StudioEvent) => {
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of streams) res.write(frame);
  });

  const serveStatic = (path: string, res: ServerResponse) => {
    const file = normalize(join(rendererDir, path === '/' ? '/index.html' : path));
    if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      sendError(res, 'E_NOT_FOUND', `no such file: ${path.slice(0, 200)}`);
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': RENDERER_MEDIA_TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
    });
    createReadStream(file).pipe(res);
  };

  const limits: BodyLimits = {
    maxBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    idleMs: options.bodyIdleMs ?? 10_000,
    held: { bytes: 0, max: options.maxHeldBodyBytes ?? MAX_HELD_BODY_BYTES },
  };

  /** Answers an error; after one that leaves the body unread, the connection closes once the answer is out. */
  const refuse = (res: ServerResponse, err: unknown) => {
    const body = toErrorBody(err);
    const closes = CLOSES_CONNECTION.has(kindOf(body.code));
    if (closes) res.setHeader('Connection', 'close');
    sendError(res, body.code, body.message);
    if (closes) res.once('finish', () => res.req.destroy());
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      sendError(res, 'E_HOST', `Host header must be 127.0.0.1:${port} or localhost:${port}`);
      return;
    }
    // Pages of other sites, and of other ports of this machine (the same site), are refused whatever they carry.
    const fetchSite = req.headers['sec-fetch-site'];
    if (fetchSite === 'cross-site' || fetchSite === 'same-site') {
      sendError(res, 'E_CROSS_SITE', `requests from other pages (Sec-Fetch-Site: ${fetchSite}) are refused`);
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) {
      sendError(res, 'E_ORIGIN', `requests from ${origin} are refused: only this server's own page may call it`);
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    let path: string;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      sendError(res, 'E_BAD_PATH', `the path ${JSON.stringify(url.pathname.slice(0, 200))} has a malformed %-encoding`);
      return;
    }
    const isApiCall = url.pathname.startsWith(API_CALL_PREFIX) || url.pathname === API_IMPORT_PATH || url.pathname === API_EXPORT_PATH;
    // An API call proves it comes from our page with the header; a cookie, which any same-site page's request
    // carries, or the query, authorise only the page's loads, the event stream and a download's one-time link.
    const given = isApiCall
      ? (req.headers[TOKEN_HEADER] as string | undefined)
      : ((req.headers[TOKEN_HEADER] as string | undefined) ?? url.searchParams.get(TOKEN_QUERY) ?? cookieValue(req.headers.cookie, TOKEN_COOKIE));
    if (!sameToken(given ?? undefined, token)) {
      sendError(
        res,
        'E_TOKEN',
        isApiCall
          ? `API calls carry the token in the ${TOKEN_HEADER} header: open the URL printed by \`snapshot-studio serve\``
          : 'missing or wrong token: open the URL printed by `snapshot-studio serve`',
      );
      return;
    }
    if (isApiCall) {
      if (req.method !== 'POST') {
        sendError(res, 'E_METHOD', 'API calls are POST requests', 405);
        return;
      }
      const expected = url.pathname === API_IMPORT_PATH ? 'application/octet-stream' : 'application/json';
      const got = mediaType(req.headers['content-type']);
      if (got !== expected) {
        sendError(res, 'E_CONTENT_TYPE', `${url.pathname} takes Content-Type ${expected}, got ${got || 'none'}`, 415);
        return;
      }
    }
    const answer = async (work: () => Promise<unknown>) => {
      try {
        sendJson(res, 200, { result: await work() });
      } catch (err) {
        refuse(res, err);
      }
    };
    const jsonBody = async () => {
      const text = await readBody(req, limits);
      try {
        return text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        throw new StudioError('E_BAD_JSON', 'the request body is not valid JSON');
      }
    };
    if (url.pathname.startsWith(API_CALL_PREFIX)) {
      await answer(async () => {
        const method = url.pathname.slice(API_CALL_PREFIX.length);
        const args = (await jsonBody()) ?? [];
        const refused = refusedFromWindow(method, args);
        if (refused) throw new StudioError('E_REFUSED', refused);
        return dispatchApiCall(service, method, args);
      });
      return;
    }
    if (url.pathname === API_IMPORT_PATH) {
      await answer(() => files.importUpload(req, url));
      return;
    }
    if (url.pathname === API_EXPORT_PATH) {
      await answer(async () => files.exportForDownload(await jsonBody()));
      return;
    }
    if (url.pathname.startsWith(API_DOWNLOAD_PREFIX) && req.method === 'GET') {
      if (!files.sendDownload(url.pathname.slice(API_DOWNLOAD_PREFIX.length), res, SECURITY_HEADERS)) {
        sendError(res, 'E_NOT_FOUND', 'no such export: each export is downloaded once, within 10 minutes');
      }
      return;
    }
    if (url.pathname === API_EVENTS_PATH) {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 'E_METHOD', 'only GET serves files', 405);
      return;
    }
    if (url.searchParams.has(TOKEN_QUERY)) {
      // The page's own scripts and styles load without the query: a strict, HTTP-only cookie carries the token.
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    serveStatic(path, res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendError(res, 'E_INTERNAL', (err as Error).message);
      else res.end();
    });
  });
  // A request (headers and body) that takes longer than this is dropped by Node itself.
  server.requestTimeout = 5 * 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      files.close();
      for (const res of streams) res.end();
      streams.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
