// Reads the rows of a Mastra LibSQL/SQLite file (table mastra_workflow_snapshot), read-only. Mastra 1.x
// stores the snapshot column as SQLite JSONB, 0.x as JSON text: json(snapshot) turns both into text.
import Database from 'better-sqlite3';
import { openSync, readSync, closeSync } from 'node:fs';
import type { Json } from '../../../shared/snapshot';
import { ImportError } from '../types';
import type { ForeignRecord } from './shared/records';

export const MASTRA_TABLE = 'mastra_workflow_snapshot';
const SQLITE_MAGIC = 'SQLite format 3\u0000';

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
}

function open(file: string, options: SqliteOptions): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
}

/** Whether the file has Mastra's table; false for anything it cannot open. */
export function hasMastraTable(file: string, options: SqliteOptions = {}): boolean {
  try {
    const db = open(file, options);
    try {
      return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(MASTRA_TABLE) !== undefined;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

interface RawRow {
  workflow_name: unknown;
  run_id: unknown;
  resourceId: unknown;
  createdAt: unknown;
  updatedAt: unknown;
  snapshot: unknown;
}

/** Each row as a Mastra row record `{workflowName, runId, resourceId?, createdAt, updatedAt, snapshot}`; row = SQLite rowid. */
export function readMastraDatabase(file: string, options: SqliteOptions = {}): ForeignRecord[] {
  let db: Database.Database;
  try {
    db = open(file, options);
  } catch (err) {
    throw new ImportError({ file }, `cannot open the SQLite file: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(MASTRA_TABLE);
    if (!table) throw new ImportError({ file, field: MASTRA_TABLE, expected: `a table ${MASTRA_TABLE}`, got: 'no such table' }, 'this SQLite file holds no Mastra workflow snapshots');
    const rowids = db.prepare(`SELECT rowid AS id FROM ${MASTRA_TABLE} ORDER BY rowid`).pluck().all() as number[];
    // One row at a time, so a row whose snapshot SQLite cannot read is named by its rowid.
    const select = db.prepare(
      `SELECT workflow_name, run_id, resourceId, createdAt, updatedAt, json(snapshot) AS snapshot FROM ${MASTRA_TABLE} WHERE rowid = ?`,
    );
    return rowids.map((row) => {
      let raw: RawRow;
      try {
        raw = select.get(row) as RawRow;
      } catch (err) {
        throw new ImportError(
          { file, row, field: 'snapshot', expected: 'JSON text or SQLite JSONB', got: err instanceof Error ? err.message : String(err) },
          'the snapshot column cannot be read as JSON',
        );
      }
      let snapshot: Json;
      try {
        snapshot = JSON.parse(String(raw.snapshot)) as Json;
      } catch {
        throw new ImportError({ file, row, field: 'snapshot', expected: 'JSON', got: String(raw.snapshot).slice(0, 40) }, 'the snapshot column is not JSON');
      }
      const value: { [key: string]: Json } = { workflowName: raw.workflow_name as Json, runId: raw.run_id as Json };
      if (raw.resourceId !== null && raw.resourceId !== undefined) value.resourceId = raw.resourceId as Json;
      value.createdAt = raw.createdAt as Json;
      value.updatedAt = raw.updatedAt as Json;
      value.snapshot = snapshot;
      return { value, source: { file, row } };
    });
  } finally {
    db.close();
  }
}
