// Reads the rows of a Mastra LibSQL/SQLite file (table mastra_workflow_snapshot), read-only. Mastra 1.x
// stores the snapshot column as SQLite JSONB, 0.x as JSON text: json(snapshot) turns both into text.
// A foreign database is hostile until read: the rows are read by a worker thread under a heap limit (see
// sqliteReaderSource.ts), never on the thread that serves requests, and within limits on rows and bytes
// per file, each named in the error that refuses a file past it.
import Database from 'better-sqlite3';
import { openSync, readSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Json } from '../../../shared/snapshot';
import type { ErrorHint } from '../../../shared/errors';
import { ImportError, type ImportSource } from '../types';
import type { ForeignRecord } from './shared/records';
import { SQLITE_READER_SOURCE } from './sqliteReaderSource';

export const MASTRA_TABLE = 'mastra_workflow_snapshot';
const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** How much of a foreign SQLite file an import reads. */
export interface SqliteLimits {
  /** Rows of the Mastra table per file. */
  maxRows: number;
  /** Stored bytes of one snapshot value (its JSON text, or JSONB that json() writes as at most 6 times as much). */
  maxValueBytes: number;
  /** Stored bytes of any other column of a row (names, ids, times). */
  maxFieldBytes: number;
  /** Stored bytes of every value of the file together. */
  maxFileBytes: number;
  /** What the file's values cost once parsed (their text, and a few dozen bytes per object, array and member). */
  maxParsedBytes: number;
  /** The reading worker's heap (V8 old generation), in MB: what no value can take more of. */
  workerHeapMb: number;
}

/**
 * Chosen so that an import of the largest file these allow stays under the import benchmark's 400 MB peak:
 * the parsed rows are held until they are staged, and one snapshot's JSONB may grow sixfold in json().
 */
export const DEFAULT_SQLITE_LIMITS: SqliteLimits = {
  maxRows: 100_000,
  maxValueBytes: 8 * 1024 * 1024,
  maxFieldBytes: 64 * 1024,
  maxFileBytes: 64 * 1024 * 1024,
  maxParsedBytes: 128 * 1024 * 1024,
  workerHeapMb: 192,
};

export function isSqliteHead(head: string): boolean {
  return head.startsWith(SQLITE_MAGIC);
}

export function isSqliteFile(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(16);
    readSync(fd, buf, 0, 16, 0);
    return buf.toString('latin1') === SQLITE_MAGIC;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface SqliteOptions {
  /** better_sqlite3.node built for the running runtime (Electron), as the store is opened with. */
  nativeBinding?: string;
  /** Limits on what one file may hold (DEFAULT_SQLITE_LIMITS for those not given). */
  limits?: Partial<SqliteLimits>;
}

function open(file: string, options: SqliteOptions): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
}

/** Whether the file has Mastra's table; false for anything it cannot open. Reads the schema only. */
export function hasMastraTable(file: string, options: SqliteOptions = {}): boolean {
  try {
    const db = open(file, options);
    try {
      return db.prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?").get(MASTRA_TABLE) !== undefined;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

/**
 * What is wrong with an SQLite file no adapter claimed, as the kind of file it is (never its bytes):
 * "an SQLite database that is damaged: <SQLite's reason>" or one without Mastra's table.
 */
export function describeSqliteFile(file: string, options: SqliteOptions = {}): { kind: string; reason: string } {
  try {
    const db = open(file, options);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } finally {
      db.close();
    }
  } catch (err) {
    return { kind: `an SQLite database that is damaged: ${err instanceof Error ? err.message : String(err)}`, reason: 'the SQLite database is damaged' };
  }
  return {
    kind: `an SQLite database without a ${MASTRA_TABLE} table, nor LangGraph's checkpoints and writes tables`,
    reason: 'this SQLite database holds no Mastra workflow snapshots and no LangGraph checkpoints',
  };
}

let betterSqlitePath: string | undefined;
/** Rows the reader may be ahead of the main thread: what the main thread takes in at most one turn. */
const ROW_WINDOW = 32;

type ReaderMessage =
  | { type: 'row'; value: Json; source: ImportSource }
  | { type: 'refused'; where: ImportError['where']; reason: string; hints?: ErrorHint[] }
  | { type: 'done'; rows: number };

/** Each row as a Mastra row record `{workflowName, runId, resourceId?, createdAt, updatedAt, snapshot}`; row = SQLite rowid. */
export function readMastraDatabase(file: string, options: SqliteOptions = {}): Promise<ForeignRecord[]> {
  return readSqliteRecords(file, SQLITE_READER_SOURCE, { table: MASTRA_TABLE }, options);
}

/**
 * Runs a reader (see sqliteReaderSource.ts) on a worker thread under the heap limit and gives the records
 * it posted, in order; its refusal becomes the ImportError it names. `data` is added to its workerData.
 */
export function readSqliteRecords(file: string, source: string, data: { [key: string]: unknown }, options: SqliteOptions = {}): Promise<ForeignRecord[]> {
  const limits = { ...DEFAULT_SQLITE_LIMITS, ...options.limits };
  betterSqlitePath ??= createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const records: ForeignRecord[] = [];
    const received = new SharedArrayBuffer(4);
    const taken = new Int32Array(received);
    let settled = false;
    const settle = (err: ImportError | null) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve(records);
    };
    const worker = new Worker(source, {
      eval: true,
      workerData: { ...data, file, betterSqlitePath, nativeBinding: options.nativeBinding, limits, received, window: ROW_WINDOW },
      resourceLimits: { maxOldGenerationSizeMb: limits.workerHeapMb, maxYoungGenerationSizeMb: 16 },
    });
    worker.on('message', (msg: ReaderMessage) => {
      if (settled) return;
      if (msg.type === 'row') {
        records.push({ value: msg.value, source: msg.source });
        Atomics.add(taken, 0, 1);
        Atomics.notify(taken, 0);
      }
      else if (msg.type === 'refused') {
        settle(new ImportError(msg.where, msg.reason, msg.hints));
        void worker.terminate();
      } else settle(null);
    });
    worker.on('error', (err: Error & { code?: string }) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        settle(new ImportError({ file, expected: `values that parse within ${limits.workerHeapMb} MB`, got: 'more' }, 'reading the file needs more memory than an import may take'));
      } else settle(new ImportError({ file }, `the SQLite reader failed (${err.message})`));
    });
    worker.on('exit', (code) => settle(new ImportError({ file }, `the SQLite reader stopped before the end of the file (exit code ${code})`)));
  });
}
