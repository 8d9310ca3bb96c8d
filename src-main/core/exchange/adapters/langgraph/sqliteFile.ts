// Reads a LangGraph SqliteSaver file (tables `checkpoints` and `writes`) read-only, on a worker thread under
// the same limits and checks as Mastra's files (sqliteReaderSource.ts): the schema first, then every value's
// stored size, then the chosen threads' checkpoints one at a time, each posted with its writes. A value the
// JSON serializer wrote is parsed there; one of another serialisation is posted as its type and size only.
import type { ImportSource } from '../../types';
import { readSqliteRecords, type SqliteOptions } from '../mastraDatabase';
import { sqliteReaderSource } from '../sqliteReaderSource';
import type { LgCheckpoint } from './checkpoints';

export const LANGGRAPH_TABLES = ['checkpoints', 'writes'] as const;

/** Which threads to read: by id, and those with a checkpoint at or after a time. */
export interface ThreadFilter {
  threads?: string[];
  /** Epoch ms. */
  since?: number;
}

const READER = sqliteReaderSource(String.raw`
const CHECKPOINT_COLUMNS = ['thread_id', 'checkpoint_ns', 'checkpoint_id', 'parent_checkpoint_id', 'type', 'checkpoint', 'metadata'];
const WRITE_COLUMNS = ['thread_id', 'checkpoint_ns', 'checkpoint_id', 'task_id', 'idx', 'channel', 'type', 'value'];
const BLOBS = new Set(['checkpoint', 'metadata', 'value']);
const { threads, since } = workerData;

function checkShape(db) {
  const entries = refuseComputed(db, ['checkpoints', 'writes']);
  for (const [table, columns] of [['checkpoints', CHECKPOINT_COLUMNS], ['writes', WRITE_COLUMNS]]) {
    if (!entries.some((e) => e.type === 'table' && e.name === table)) {
      throw new Refused({ file, field: table, expected: 'tables checkpoints and writes (a LangGraph SqliteSaver file)', got: 'no table ' + table }, 'this SQLite file holds no LangGraph checkpoints');
    }
    const names = new Set(db.prepare('SELECT name FROM pragma_table_xinfo(?)').all(table).map((c) => c.name));
    const missing = columns.filter((c) => !names.has(c));
    if (missing.length > 0) {
      throw new Refused({ file, field: table, expected: 'columns ' + columns.join(', '), got: 'no ' + missing.join(', ') }, 'the table ' + table + ' is not the shape LangGraph writes');
    }
  }
}

/** When a UUIDv6 was made (epoch ms), or undefined. */
function idTime(id) {
  const hex = String(id).replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex) || hex[12] !== '6') return undefined;
  return Number(BigInt('0x' + hex.slice(0, 12) + hex.slice(13, 16)) / 10000n) - 12219292800000;
}

let budget = limits.maxParsedBytes;
/** A stored value as { json } or { unreadable: { type, bytes } }; text that should be JSON and is not is refused, naming where. */
function decode(type, text, bytes, where) {
  if (text === null || text === undefined) return { json: null };
  if (type !== null && type !== 'json') return { unreadable: { type: String(type), bytes } };
  budget -= parsedCost(text);
  if (budget < 0) {
    throw new Refused({ file, row: where.row, field: where.field, expected: 'at most ' + mb(limits.maxParsedBytes) + ' of parsed values per file', got: 'more' }, 'the file holds more than an import reads from one file: import fewer threads, or split it', [{ use: 'threads' }]);
  }
  try {
    return { json: JSON.parse(text) };
  } catch {
    throw new Refused(
      { file, row: where.row, field: where.field, expected: 'JSON (LangGraph.js serializer)', got: 'bytes that are not JSON' },
      'a corrupted checkpoint blob: thread ' + JSON.stringify(where.thread) + ', checkpoint ' + where.checkpoint + ', channel ' + JSON.stringify(where.channel),
    );
  }
}

function read() {
  const db = openReadOnly();
  try {
    try {
      checkShape(db);
    } catch (err) {
      if (err instanceof Refused) throw err;
      throw new Refused({ file, expected: 'an SQLite database', got: sqliteProblem(err) }, 'cannot read the SQLite file');
    }
    const rows = db.prepare('SELECT (SELECT count(*) FROM checkpoints) + (SELECT count(*) FROM writes)').pluck().get();
    if (rows > limits.maxRows) {
      throw new Refused({ file, field: 'checkpoints', expected: 'at most ' + limits.maxRows + ' checkpoints and writes per file', got: rows + ' rows' }, 'the file holds more than an import reads from one file: import fewer threads', [{ use: 'threads' }]);
    }
    // The threads to read, from the keys alone: by id, and by the time in their checkpoint ids.
    const chosen = [];
    const latest = new Map();
    for (const [thread, id] of db.prepare('SELECT thread_id, checkpoint_id FROM checkpoints').raw().iterate()) {
      const t = idTime(id) || 0;
      if (!latest.has(thread) || latest.get(thread) < t) latest.set(thread, t);
    }
    for (const [thread, t] of [...latest].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (threads && !threads.includes(thread)) continue;
      if (since !== null && since !== undefined && t < since) continue;
      chosen.push(thread);
    }
    // Every chosen value's stored size before any is read.
    let total = 0;
    const sized = (table, columns) => {
      const sql = 'SELECT rowid, ' + columns.map((c) => 'octet_length(' + quote(c) + ')').join(', ') + ' FROM ' + table + ' WHERE thread_id = ?';
      const statement = db.prepare(sql).raw();
      for (const thread of chosen) {
        for (const r of statement.iterate(thread)) {
          columns.forEach((c, i) => {
            const bytes = r[i + 1] || 0;
            const max = BLOBS.has(c) ? limits.maxValueBytes : limits.maxFieldBytes;
            if (bytes > max) throw new Refused({ file, row: r[0], field: table + '.' + c, expected: 'at most ' + mb(max), got: mb(bytes) }, 'the value is larger than an import reads');
            total += bytes;
          });
        }
      }
    };
    sized('checkpoints', CHECKPOINT_COLUMNS);
    sized('writes', WRITE_COLUMNS);
    if (total > limits.maxFileBytes) {
      throw new Refused({ file, field: 'checkpoints', expected: 'at most ' + mb(limits.maxFileBytes) + ' of values per file', got: mb(total) }, 'the file holds more than an import reads from one file: import fewer threads', [{ use: 'threads' }]);
    }
    const checkpoints = db.prepare(
      'SELECT rowid AS row, thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, type, CAST(checkpoint AS TEXT) AS checkpoint, octet_length(checkpoint) AS cbytes, CAST(metadata AS TEXT) AS metadata, octet_length(metadata) AS mbytes FROM checkpoints WHERE thread_id = ? ORDER BY checkpoint_ns, checkpoint_id',
    );
    const writes = db.prepare(
      'SELECT rowid AS row, task_id, idx, channel, type, CAST(value AS TEXT) AS value, octet_length(value) AS bytes FROM writes WHERE thread_id = ? AND checkpoint_ns = ? AND checkpoint_id = ? ORDER BY task_id, idx',
    );
    let posted = 0;
    for (const thread of chosen) {
      for (const c of checkpoints.all(thread)) {
        const at = { thread, checkpoint: c.checkpoint_id, row: c.row };
        const value = {
          thread,
          ns: c.checkpoint_ns,
          id: c.checkpoint_id,
          parent: c.parent_checkpoint_id,
          checkpoint: decode(c.type, c.checkpoint, c.cbytes, { ...at, field: 'checkpoints.checkpoint', channel: '(the checkpoint: every channel)' }),
          metadata: decode(c.type, c.metadata, c.mbytes, { ...at, field: 'checkpoints.metadata', channel: '(metadata)' }),
          writes: writes.all(thread, c.checkpoint_ns, c.checkpoint_id).map((w) => ({
            taskId: w.task_id,
            idx: w.idx,
            channel: w.channel,
            value: decode(w.type, w.value, w.bytes, { thread, checkpoint: c.checkpoint_id, row: w.row, field: 'writes.value', channel: w.channel }),
          })),
        };
        post({ type: 'row', value, source: { file, row: c.row } });
        posted++;
      }
    }
    return posted;
  } finally {
    db.close();
  }
}
`);

/** The checkpoints of the chosen threads, each with its writes; row = the checkpoint's SQLite rowid. */
export async function readLangGraphSqlite(file: string, filter: ThreadFilter = {}, options: SqliteOptions = {}): Promise<LgCheckpoint[]> {
  const records = await readSqliteRecords(file, READER, { threads: filter.threads ?? null, since: filter.since ?? null }, options);
  return records.map(({ value, source }) => ({ ...(value as unknown as Omit<LgCheckpoint, 'source'>), source: source as ImportSource }));
}
