// Browser mode: the built renderer and the StudioApi over HTTP, events over Server-Sent Events.
// Listens on 127.0.0.1 only, requires the random token printed at start, checks the Host header
// (no DNS rebinding), sends no CORS headers, and limits body sizes.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { StudioEvent } from '../shared/api';
import { StudioError, toErrorBody } from '../shared/errors';
import {
  API_CALL_PREFIX,
  API_DOWNLOAD_PREFIX,
  API_EVENTS_PATH,
  API_EXPORT_PATH,
  API_IMPORT_PATH,
  MAX_BODY_BYTES,
  TOKEN_COOKIE,
  TOKEN_HEADER,
  TOKEN_QUERY,
} from '../shared/http';
import { dispatchApiCall } from '../shared/schemas';
import type { StudioService } from '../core/service';
import { createFileExchange } from './fileExchange';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

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

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

const STATUS_BY_CODE: Record<string, number> = {
  E_UNKNOWN_METHOD: 404,
  E_BAD_ARGUMENT: 400,
  E_BAD_CONFIG: 400,
  E_BAD_JSON: 400,
  E_NO_RUN: 404,
  E_NO_SNAPSHOT: 404,
  E_UNKNOWN_WORKFLOW: 404,
  E_BODY_TOO_LARGE: 413,
  E_IMPORT: 422,
};

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new StudioError('E_BODY_TOO_LARGE', `request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
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

  const serveStatic = (url: URL, res: ServerResponse) => {
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = normalize(join(rendererDir, rel));
    if (!file.startsWith(rendererDir + sep) || !existsSync(file) || !statSync(file).isFile()) {
      sendError(res, 404, 'E_NOT_FOUND', `no such file: ${url.pathname}`);
      return;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
    });
    createReadStream(file).pipe(res);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      sendError(res, 403, 'E_HOST', `Host header must be 127.0.0.1:${port} or localhost:${port}`);
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    const given =
      (req.headers[TOKEN_HEADER] as string | undefined) ?? url.searchParams.get(TOKEN_QUERY) ?? cookieValue(req.headers.cookie, TOKEN_COOKIE);
    if (!sameToken(given ?? undefined, token)) {
      sendError(res, 401, 'E_TOKEN', 'missing or wrong token: open the URL printed by `snapshot-studio serve`');
      return;
    }
    const answer = async (work: () => Promise<unknown>) => {
      if (req.method !== 'POST') {
        sendError(res, 405, 'E_METHOD', 'API calls are POST requests');
        return;
      }
      try {
        sendJson(res, 200, { result: await work() });
      } catch (err) {
        const body = toErrorBody(err);
        if (body.code === 'E_BODY_TOO_LARGE') res.setHeader('Connection', 'close');
        sendJson(res, STATUS_BY_CODE[body.code] ?? (err instanceof StudioError ? 400 : 500), { error: body });
      }
    };
    const jsonBody = async () => {
      const text = await readBody(req);
      try {
        return text.trim() === '' ? undefined : (JSON.parse(text) as unknown);
      } catch {
        throw new StudioError('E_BAD_JSON', 'the request body is not valid JSON');
      }
    };
    if (url.pathname.startsWith(API_CALL_PREFIX)) {
      await answer(async () => dispatchApiCall(service, url.pathname.slice(API_CALL_PREFIX.length), (await jsonBody()) ?? []));
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
        sendError(res, 404, 'E_NOT_FOUND', 'no such export: each export is downloaded once, within 10 minutes');
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
      sendError(res, 405, 'E_METHOD', 'only GET serves files');
      return;
    }
    if (url.searchParams.has(TOKEN_QUERY)) {
      // The page's own scripts and styles load without the query: a strict, HTTP-only cookie carries the token.
      res.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    serveStatic(url, res);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendError(res, 500, 'E_INTERNAL', (err as Error).message);
      else res.end();
    });
  });
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
