// Lines in and out of a file, gzip or not, with memory that does not grow with the file: the reader holds
// one line at a time (and refuses one longer than a limit before buffering it whole); the writer waits for
// the disk when its buffer is full, and writes to a temporary name renamed into place only when complete.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, createReadStream, createWriteStream, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Readable, Writable } from 'node:stream';
import { constants, createGunzip, createGzip, gunzipSync, type ZlibOptions } from 'node:zlib';
import { StudioError } from '../../shared/errors';
import { ImportError } from './types';

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
const HEAD_BYTES = 64 * 1024;

function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

function readStart(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/**
 * The first bytes of a file (up to 64 KB), for format detection: gzip files are inflated as far as their
 * first chunk goes (a truncated or bogus stream gives what could be read, never an error).
 */
export function readHeadBytes(file: string): { bytes: Buffer; gzip: boolean } {
  let head: Buffer;
  try {
    head = readStart(file, HEAD_BYTES);
  } catch (err) {
    throw new ImportError({ file }, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const gzip = isGzip(head);
  if (gzip) {
    try {
      head = gunzipSync(head.subarray(0, 16 * 1024), { finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: 16 * 1024 * 1024 });
    } catch {
      head = Buffer.alloc(0);
    }
  }
  return { bytes: head.subarray(0, HEAD_BYTES), gzip };
}

/** The first bytes of a file as text (see readHeadBytes). */
export function readHead(file: string): string {
  return readHeadBytes(file).bytes.toString('utf8');
}

export interface LineReadOptions {
  maxLineBytes?: number;
  /** Called with the bytes read from disk so far (compressed bytes for gzip). */
  onBytes?(bytesRead: number): void;
}

export interface RawLine {
  /** 1-based. */
  number: number;
  /** The line's bytes, without its newline. */
  bytes: Buffer;
}

/**
 * Every line of a file (gunzipped when it starts like gzip), refusing one longer than maxLineBytes: the lines
 * of each chunk read together (a turn of the event loop per line would cost more than most lines do).
 */
export async function* readLineBatches(file: string, options: LineReadOptions = {}): AsyncGenerator<RawLine[]> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const gz = isGzip(readStart(file, 2));
  const raw = createReadStream(file, { highWaterMark: 256 * 1024 });
  let bytesRead = 0;
  const counted = (n: number) => {
    bytesRead += n;
    options.onBytes?.(bytesRead);
  };
  let source: Readable = raw;
  if (gz) {
    // Inflating runs on libuv's threads: a deeper buffer of its output lets it run ahead while this thread
    // parses lines (with the 16 KB default it waits for the parser at every chunk). Its input side keeps
    // the default, so the bytes read from disk (the progress) stay close to what was parsed.
    // (zlib passes these on to its Transform; @types/node does not list them.)
    const gunzip = createGunzip({ chunkSize: 256 * 1024, readableHighWaterMark: 2 * 1024 * 1024 } as ZlibOptions);
    raw.on('error', (err) => gunzip.destroy(err));
    // pipe() reads raw by 'data' events already: listening too changes nothing.
    raw.on('data', (chunk: Buffer | string) => counted(chunk.length));
    source = raw.pipe(gunzip);
  }
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let number = 0;
  const tooLong = () =>
    new ImportError({ file, line: number + 1, expected: `a line of at most ${max} bytes`, got: `more than ${max}` }, 'the line is too long');
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (!gz) counted(chunk.length);
      const { batch, start, long } = splitLines(chunk, pending, pendingBytes, number, max);
      number += batch.length;
      if (batch.length) {
        pending = [];
        pendingBytes = 0;
      }
      // The lines before a long one are read first: an error of theirs comes first.
      if (batch.length) yield batch;
      if (long) throw tooLong();
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        if (pendingBytes + rest.length > max) throw tooLong();
        pending.push(rest);
        pendingBytes += rest.length;
      }
    }
  } catch (err) {
    if (err instanceof ImportError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (gz && e.code?.startsWith('Z_')) {
      const what = e.code === 'Z_BUF_ERROR' ? 'the gzip stream is truncated' : 'the gzip stream is corrupt';
      throw new ImportError({ file, line: number + 1, expected: 'a complete gzip stream', got: e.message }, `${what}: the file was cut short or damaged`);
    }
    throw new ImportError({ file, line: number + 1 }, `cannot read the file (${e.code ?? e.message})`);
  } finally {
    // The consumer may stop early (a bad line): release the file and the inflater at once.
    source.destroy();
    raw.destroy();
  }
  if (pendingBytes) yield [{ number: ++number, bytes: Buffer.concat(pending) }];
}

/**
 * The whole lines of a chunk (the first one after `pending`, the start of a line cut by the last read), numbered
 * on from `number`; where the rest starts; and whether a line past `max` bytes stopped it. (A function of its
 * own: its loop runs for every line, and alone it compiles small.)
 */
function splitLines(chunk: Buffer, pending: Buffer[], pendingBytes: number, number: number, max: number): { batch: RawLine[]; start: number; long: boolean } {
  const batch: RawLine[] = [];
  let start = 0;
  for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
    const part = chunk.subarray(start, nl);
    const cut = batch.length === 0 ? pendingBytes : 0;
    if (cut + part.length > max) return { batch, start, long: true };
    const bytes = cut ? Buffer.concat([...pending, part]) : part;
    start = nl + 1;
    batch.push({ number: number + batch.length + 1, bytes });
  }
  return { batch, start, long: false };
}

export interface LineWriter {
  /** Writes one line (a newline is added), waiting while the stream's buffer is full. */
  write(line: string): Promise<void>;
  /** sha256 of every byte written so far, newlines included. */
  digest(): string;
  /** Finishes the file and moves it into place. */
  close(): Promise<void>;
  /** Drops the partial file. */
  abort(): Promise<void>;
}

/** Lines are handed to the file (and gzip) this many characters at a time: per write, a stream and zlib cost more than a line. */
const WRITE_CHUNK = 256 * 1024;

/** Writes lines to `file` (gzip when it ends in .gz) through a temporary file beside it. */
export function openLineWriter(file: string): LineWriter {
  const temp = `${file}.partial-${randomBytes(4).toString('hex')}`;
  const out = createWriteStream(temp, { flags: 'wx' });
  // Level 3: on export lines as fast as level 1 and 7 % larger than level 4, which costs three times the CPU.
  const gzip = file.endsWith('.gz') ? createGzip({ level: 3 }) : null;
  const head: Writable = gzip ?? out;
  const done = gzip ? pipeline(gzip, out) : once(out, 'finish').then(() => undefined);
  let failure: Error | null = null;
  done.catch((err: Error) => {
    failure = err;
  });
  const hash = createHash('sha256');
  const fail = (err: Error) => new StudioError('E_EXPORT_OUT', `cannot write ${file} (${(err as NodeJS.ErrnoException).code ?? err.message})`);
  /** Lines not yet handed to the stream, each with its newline. */
  let pending = '';
  /** Hands the pending lines on; whether the stream's buffer is full. */
  const flush = (): boolean => {
    if (pending === '') return false;
    const bytes = Buffer.from(pending, 'utf8');
    pending = '';
    hash.update(bytes);
    return !head.write(bytes);
  };
  return {
    async write(line) {
      if (failure) throw fail(failure);
      pending += `${line}\n`;
      if (pending.length < WRITE_CHUNK) return;
      if (flush()) await Promise.race([once(head, 'drain'), done]).catch(() => undefined);
      if (failure) throw fail(failure);
    },
    digest: () => {
      // The stream's buffer may fill past its mark here: the next write waits for it to drain.
      flush();
      return hash.copy().digest('hex');
    },
    async close() {
      flush();
      head.end();
      try {
        await done;
      } catch (err) {
        rmSync(temp, { force: true });
        throw fail(err as Error);
      }
      renameSync(temp, file);
    },
    async abort() {
      pending = '';
      head.destroy();
      out.destroy();
      await done.catch(() => undefined);
      rmSync(temp, { force: true });
    },
  };
}
