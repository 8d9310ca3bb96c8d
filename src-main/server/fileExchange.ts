// Import and export for browser mode. The core reads and writes paths on this machine, and a browser has
// files, not paths: an upload is streamed to a temp folder (size-limited) and imported from there, an
// export is written to a temp folder and handed out once as a download. Temp folders are removed after use;
// messages name the person's file, never the temp path.
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExportOptions, ExportResult, ImportSummary, StudioApi } from '../shared/api';
import { StudioError } from '../shared/errors';
import { API_DOWNLOAD_PREFIX, MAX_UPLOAD_BYTES } from '../shared/http';
import { dispatchApiCall } from '../shared/schemas';
import { readOnlyError } from '../core/store/readOnly';

const TEMP_PREFIX = 'snapshot-studio-';
/** An export not downloaded within this time is deleted. */
const DOWNLOAD_TTL_MS = 10 * 60_000;

/** A file name safe to create: its last path segment, only ordinary characters, never empty or dotted away. */
export function safeFileName(name: string, fallback: string): string {
  const cleaned = basename(name.replace(/\\/g, '/'))
    .replace(/[^\w.+@()-]+/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 120);
  return cleaned || fallback;
}

function tempFolder(kind: string): string {
  return mkdtempSync(join(tmpdir(), `${TEMP_PREFIX}${kind}-`));
}

/** Replaces the temp folder in an error's message, so it names the person's file. */
function withoutFolder(err: unknown, folder: string): unknown {
  if (!(err instanceof Error)) return err;
  const message = err.message.split(folder + sep).join('');
  if (message === err.message) return err;
  return err instanceof StudioError ? new StudioError(err.code, message) : new Error(message);
}

/** Streams the body to `file`, refusing (413) past `limit` bytes. */
async function receive(req: IncomingMessage, file: string, limit: number): Promise<void> {
  const tooLarge = () => new StudioError('E_BODY_TOO_LARGE', `the file is over ${Math.round(limit / 1024 / 1024)} MB, the most one upload may carry`);
  // Refused before a byte is read when the size is announced (browsers do for a File body).
  if (Number(req.headers['content-length'] ?? 0) > limit) throw tooLarge();
  let size = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limit) done(tooLarge());
      else done(null, chunk);
    },
  });
  await pipeline(req, counter, createWriteStream(file));
}

export interface FileExchange {
  /** POST /api/import?name=…&format=… with the file as the body. */
  importUpload(req: IncomingMessage, url: URL): Promise<ImportSummary>;
  /** POST /api/export with {options, fileName}: writes the export and answers with where to download it. */
  exportForDownload(body: unknown): Promise<ExportResult & { download: string }>;
  /** GET /api/download/<id>: sends the file once, then deletes it. */
  sendDownload(id: string, res: ServerResponse, headers: Record<string, string>): boolean;
  close(): void;
}

export function createFileExchange(service: StudioApi, options: { maxUploadBytes?: number } = {}): FileExchange {
  const downloads = new Map<string, { folder: string; file: string; timer: NodeJS.Timeout }>();
  const forget = (id: string) => {
    const entry = downloads.get(id);
    if (!entry) return;
    clearTimeout(entry.timer);
    downloads.delete(id);
    rmSync(entry.folder, { recursive: true, force: true });
  };

  return {
    async importUpload(req, url) {
      const name = safeFileName(url.searchParams.get('name') ?? '', 'upload.ssx.ndjson');
      const format = url.searchParams.get('format') ?? 'auto';
      // Read-only: refused before a byte of the upload is received.
      const info = await service.getStudioInfo();
      if (info.readOnly) throw readOnlyError(info.database, `importing ${name}`);
      const folder = tempFolder('upload');
      try {
        const file = join(folder, name);
        await receive(req, file, options.maxUploadBytes ?? MAX_UPLOAD_BYTES);
        const summary = (await dispatchApiCall(service, 'importFiles', [{ files: [file], format }])) as ImportSummary;
        return { ...summary, formats: summary.formats.map((f) => ({ ...f, file: f.file === file ? name : basename(f.file) })) };
      } catch (err) {
        throw withoutFolder(err, folder);
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    },

    async exportForDownload(body) {
      const { options, fileName } = (body ?? {}) as { options?: Omit<ExportOptions, 'out'>; fileName?: unknown };
      if (!options || typeof options !== 'object') throw new StudioError('E_BAD_ARGUMENT', 'export: expected {"options": {...}, "fileName": "..."}');
      let name = safeFileName(typeof fileName === 'string' ? fileName : '', 'runs.ssx.ndjson.gz');
      if (!/\.ssx\.ndjson(\.gz)?$/.test(name)) name += '.ssx.ndjson.gz';
      const folder = tempFolder('export');
      const file = join(folder, name);
      try {
        const result = (await dispatchApiCall(service, 'exportRuns', [{ ...options, out: file }])) as ExportResult;
        const id = randomBytes(16).toString('base64url');
        downloads.set(id, { folder, file, timer: setTimeout(() => forget(id), DOWNLOAD_TTL_MS).unref() });
        return { ...result, file: name, download: API_DOWNLOAD_PREFIX + id };
      } catch (err) {
        rmSync(folder, { recursive: true, force: true });
        throw withoutFolder(err, folder);
      }
    },

    sendDownload(id, res, headers) {
      const entry = downloads.get(id);
      if (!entry) return false;
      clearTimeout(entry.timer);
      downloads.delete(id);
      const name = basename(entry.file);
      res.writeHead(200, {
        ...headers,
        'Content-Type': name.endsWith('.gz') ? 'application/gzip' : 'application/x-ndjson',
        'Content-Length': String(statSync(entry.file).size),
        'Content-Disposition': `attachment; filename="${name}"`,
        'Cache-Control': 'no-store',
      });
      const stream = createReadStream(entry.file);
      const cleanUp = () => rmSync(entry.folder, { recursive: true, force: true });
      stream.on('close', cleanUp);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
      return true;
    },

    close() {
      for (const id of [...downloads.keys()]) forget(id);
    },
  };
}
