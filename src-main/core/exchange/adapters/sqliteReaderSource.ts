// The code of the worker that reads a foreign SQLite file (Mastra's mastra_workflow_snapshot), kept as a
// string so it runs from any build (tsx, vitest, the Electron bundle) with `new Worker(source, { eval: true })`,
// as the step worker does. It runs off the thread that serves requests, under a heap limit, and reads
// nothing SQLite would have to compute: the file's schema is checked first (no view, no trigger, no
// generated column, anywhere), then every value's stored size (octet_length() reads it from the record
// header, not the value), then the rows one at a time, each posted to the main thread as soon as it is read.
//
// Why not SQLITE_LIMIT_LENGTH: better-sqlite3 has no sqlite3_limit() call (it fixes the limit at V8's
// largest string, ~1 GB) and SQLite has no pragma for it. With every computed column refused, what SQLite
// can make of a stored value is json(): the text of a JSONB value, at most 6 bytes per stored byte (a
// control character stored raw is written \u00XX), which the per-value limit bounds.
//
// The reader of each kind of file is the shared prelude (SQLITE_READER_PRELUDE: posting, refusals, the
// computed-content checks, the parsed-cost estimate) followed by its own read() and the common ending.
//
// Messages to the main thread:
//   { type: 'row', value, source: { file, row } }     one row, as a Mastra row record
//   { type: 'refused', where, reason, hints }         an ImportError to throw (where: ImportSource and field, expected, got)
//   { type: 'done', rows }
// Rows go one message each, at most workerData.window ahead of what the main thread has taken (counted in
// the shared workerData.received).
import { closingQuote } from '../untrustedInput';

/** What every reader starts with: workerData, posting within the window, refusals and the checks on the file. */
export const SQLITE_READER_PRELUDE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { file, table, betterSqlitePath, nativeBinding, limits, received, window } = workerData;
// received[0]: rows the main thread has taken. The reader stays at most 'window' rows ahead of it, so the
// main thread never has more than that many rows to take in one turn (it takes every message queued when
// it looks), and rows do not pile up in the queue.
const taken = new Int32Array(received);
let sent = 0;
function post(message) {
  parentPort.postMessage(message);
  sent++;
  for (let seen = Atomics.load(taken, 0); sent - seen > window; seen = Atomics.load(taken, 0)) Atomics.wait(taken, 0, seen, 200);
}
const Database = require(betterSqlitePath);

class Refused extends Error {
  constructor(where, reason, hints) {
    super(reason);
    this.where = where;
    this.hints = hints || [];
  }
}

const mb = (n) => (n >= 1024 * 1024 ? (Math.round((n / 1024 / 1024) * 10) / 10) + ' MB' : n >= 1024 ? Math.round(n / 1024) + ' KB' : n + ' bytes');
const quote = (name) => '"' + String(name).replace(/"/g, '""') + '"';

/** What SQLite says of a file it cannot read, as a kind of file: never the file's bytes. */
function sqliteProblem(err) {
  const code = err && typeof err.code === 'string' ? err.code : '';
  const message = err && err.message ? String(err.message) : String(err);
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB') || code === 'SQLITE_IOERR_SHORT_READ') {
    return 'an SQLite database that is damaged: ' + message;
  }
  return 'an SQLite database SQLite cannot read: ' + message;
}

/**
 * Refuses what SQLite would compute when a table is read, rather than return what is stored: a view, a
 * trigger or a generated column anywhere in the file, and a virtual table among the tables read. Gives the
 * schema entries.
 */
function refuseComputed(db, tables) {
  const entries = db.prepare('SELECT type, name, tbl_name AS tbl, sql FROM sqlite_master ORDER BY rowid').all();
  for (const e of entries) {
    if (e.type === 'view') {
      throw new Refused({ file, field: e.name, expected: 'tables only', got: 'a view' }, 'a view "' + e.name + '" is refused: an import reads stored values, never what a view computes');
    }
    if (e.type === 'trigger') {
      throw new Refused({ file, field: e.name, expected: 'tables only', got: 'a trigger on ' + e.tbl }, 'a trigger "' + e.name + '" is refused: an import reads stored values, never runs what a file brings');
    }
  }
  for (const e of entries) {
    if (e.type !== 'table') continue;
    const isVirtual = /^\s*create\s+virtual\s+table/i.test(e.sql || '');
    if (isVirtual) {
      if (tables.includes(e.name)) throw new Refused({ file, field: e.name, expected: 'an ordinary table', got: 'a virtual table' }, 'the table ' + e.name + ' is a virtual table: an import reads stored rows only');
      continue;
    }
    const columns = db.prepare('SELECT name, hidden FROM pragma_table_xinfo(?)').all(e.name);
    for (const c of columns) {
      if (c.hidden === 2 || c.hidden === 3) {
        throw new Refused(
          { file, field: e.name + '.' + c.name, expected: 'stored columns only', got: 'a generated column' },
          'the generated column "' + c.name + '" of table "' + e.name + '" is refused: an import reads stored values, never what a column computes',
        );
      }
    }
  }
  return entries;
}

/** Opens the file read-only with nothing SQLite may do beyond reading stored values. */
function openReadOnly() {
  let db;
  try {
    db = new Database(file, nativeBinding ? { readonly: true, fileMustExist: true, nativeBinding } : { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new Refused({ file, expected: 'an SQLite database', got: sqliteProblem(err) }, 'cannot open the SQLite file');
  }
  // Nothing the schema names may call a function not marked harmless (defence in depth: computed columns are refused anyway).
  db.pragma('trusted_schema = OFF');
  db.pragma('query_only = ON');
  db.pragma('cell_size_check = ON');
  db.pragma('mmap_size = 0');
  return db;
}

const closingQuote = ${closingQuote.toString()};

/**
 * What JSON text costs in memory once parsed, roughly and from above, without parsing it: the text, 48
 * bytes per object or array and 24 per member or item (a pointer and, for most, a small heap value).
 */
function parsedCost(text) {
  let containers = 0;
  let members = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip the string.
      const end = closingQuote(text, i);
      if (end === -1) return Infinity;
      i = end;
    } else if (c === 123 || c === 91) {
      containers++;
      members++;
    } else if (c === 44) members++;
  }
  return text.length + 48 * containers + 24 * members;
}

`;

/** What every reader ends with: run read(), then say done or why it refused. */
const SQLITE_READER_END = String.raw`
try {
  const rows = read();
  parentPort.postMessage({ type: 'done', rows });
} catch (err) {
  if (err instanceof Refused) parentPort.postMessage({ type: 'refused', where: err.where, reason: err.message, hints: err.hints });
  else parentPort.postMessage({ type: 'refused', where: { file, expected: 'an SQLite database', got: sqliteProblem(err) }, reason: 'cannot read the SQLite file' });
}
`;

/** A reader of a foreign SQLite file: the prelude, its own read() (returning how many rows it posted), the ending. */
export function sqliteReaderSource(read: string): string {
  return SQLITE_READER_PRELUDE + read + SQLITE_READER_END;
}

/** The reader of a Mastra file (table mastra_workflow_snapshot, named in workerData.table). */
export const SQLITE_READER_SOURCE = sqliteReaderSource(String.raw`
function checkSchema(db) {
  const entries = refuseComputed(db, [table]);
  const own = entries.find((e) => e.type === 'table' && e.name === table);
  if (!own) {
    throw new Refused({ file, field: table, expected: 'a table ' + table, got: 'no such table' }, 'this SQLite file holds no Mastra workflow snapshots');
  }
  const list = db.prepare("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = ?").get(table);
  if (list && list.wr) throw new Refused({ file, field: table, expected: 'a table with rowids', got: 'a WITHOUT ROWID table' }, 'the table ' + table + ' is not the shape Mastra writes');
  const names = new Set(db.prepare('SELECT name FROM pragma_table_xinfo(?)').all(table).map((c) => c.name));
  const missing = ['workflow_name', 'run_id', 'snapshot', 'createdAt', 'updatedAt'].filter((c) => !names.has(c));
  if (missing.length > 0) {
    throw new Refused({ file, field: table, expected: 'columns workflow_name, run_id, resourceId?, snapshot, createdAt, updatedAt', got: 'no ' + missing.join(', ') }, 'the table ' + table + ' is not the shape Mastra writes');
  }
  // The rowid names the row in errors; a column may take its name, so use a name no column took.
  const rowid = ['rowid', '_rowid_', 'oid'].find((n) => ![...names].some((c) => String(c).toLowerCase() === n));
  if (!rowid) throw new Refused({ file, field: table, expected: 'a table with rowids', got: 'columns named rowid, _rowid_ and oid' }, 'the table ' + table + ' is not the shape Mastra writes');
  return { rowid, hasResourceId: names.has('resourceId') };
}

const COLUMNS = ['workflow_name', 'run_id', 'resourceId', 'createdAt', 'updatedAt', 'snapshot'];

function read() {
  const db = openReadOnly();
  try {
    let shape;
    try {
      shape = checkSchema(db);
    } catch (err) {
      if (err instanceof Refused) throw err;
      throw new Refused({ file, expected: 'an SQLite database', got: sqliteProblem(err) }, 'cannot read the SQLite file');
    }
    const t = quote(table);
    const present = COLUMNS.filter((c) => c !== 'resourceId' || shape.hasResourceId);
    let count;
    try {
      count = db.prepare('SELECT count(*) FROM ' + t).pluck().get();
    } catch (err) {
      throw new Refused({ file, field: table, expected: 'an SQLite database', got: sqliteProblem(err) }, 'cannot read the table ' + table);
    }
    if (count > limits.maxRows) {
      throw new Refused(
        { file, field: table, expected: 'at most ' + limits.maxRows + ' rows per file', got: count + ' rows' },
        'the file holds more rows than an import reads from one file: export fewer runs into it, or split it',
      );
    }
    // Every value's stored size before any value is read: octet_length() takes it from the record header.
    const sizes = db.prepare('SELECT ' + shape.rowid + ' AS id, ' + present.map((c) => 'octet_length(' + quote(c) + ')').join(', ') + ' FROM ' + t + ' ORDER BY ' + shape.rowid).raw();
    const rowids = [];
    let total = 0;
    try {
      for (const r of sizes.iterate()) {
        const row = r[0];
        rowids.push(row);
        for (let i = 0; i < present.length; i++) {
          const bytes = r[i + 1] || 0;
          const max = present[i] === 'snapshot' ? limits.maxValueBytes : limits.maxFieldBytes;
          if (bytes > max) {
            throw new Refused(
              { file, row, field: present[i], expected: 'at most ' + mb(max), got: mb(bytes) },
              'the value is larger than an import reads (' + (present[i] === 'snapshot' ? 'one snapshot' : 'the ' + present[i] + ' column') + ')',
            );
          }
          total += bytes;
        }
      }
    } catch (err) {
      if (err instanceof Refused) throw err;
      throw new Refused({ file, field: table, expected: 'an SQLite database', got: sqliteProblem(err) }, 'cannot read the table ' + table);
    }
    if (total > limits.maxFileBytes) {
      throw new Refused(
        { file, field: table, expected: 'at most ' + mb(limits.maxFileBytes) + ' of values per file', got: mb(total) },
        'the file holds more than an import reads from one file: export fewer runs into it, or split it',
      );
    }
    // One row at a time, so a row whose snapshot SQLite cannot read is named by its rowid; json() turns
    // Mastra 1.x's JSONB and 0.x's JSON text alike into text.
    const select = db.prepare(
      'SELECT ' + present.filter((c) => c !== 'snapshot').map(quote).join(', ') + ', json(snapshot) AS snapshot FROM ' + t + ' WHERE ' + shape.rowid + ' = ?',
    );
    let budget = limits.maxParsedBytes;
    for (const row of rowids) {
      let raw;
      try {
        raw = select.get(row);
      } catch (err) {
        const code = err && typeof err.code === 'string' ? err.code : '';
        if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB') || code === 'SQLITE_TOOBIG') {
          throw new Refused({ file, row, field: 'snapshot', expected: 'JSON text or SQLite JSONB', got: sqliteProblem(err) }, 'the snapshot column cannot be read');
        }
        throw new Refused({ file, row, field: 'snapshot', expected: 'JSON text or SQLite JSONB', got: err && err.message ? String(err.message) : String(err) }, 'the snapshot column cannot be read as JSON');
      }
      if (!raw) continue;
      const text = String(raw.snapshot);
      // What the value costs once parsed, from its text and before it is parsed: a small text may parse
      // into millions of objects ([[],[],…]), and every row is held until the import is staged.
      budget -= parsedCost(text);
      if (budget < 0) {
        throw new Refused(
          { file, row, field: 'snapshot', expected: 'at most ' + mb(limits.maxParsedBytes) + ' of parsed values per file', got: 'more' },
          'the file holds more than an import reads from one file: export fewer runs into it, or split it',
        );
      }
      let snapshot;
      try {
        snapshot = JSON.parse(text);
      } catch {
        throw new Refused({ file, row, field: 'snapshot', expected: 'JSON', got: 'text that is not JSON' }, 'the snapshot column is not JSON');
      }
      const value = { workflowName: raw.workflow_name, runId: raw.run_id };
      if (raw.resourceId !== null && raw.resourceId !== undefined) value.resourceId = raw.resourceId;
      value.createdAt = raw.createdAt;
      value.updatedAt = raw.updatedAt;
      value.snapshot = snapshot;
      post({ type: 'row', value, source: { file, row } });
    }
    return rowids.length;
  } finally {
    db.close();
  }
}

`);
