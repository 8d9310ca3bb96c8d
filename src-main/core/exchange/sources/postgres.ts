// Production stores in PostgreSQL as import sources, read in place: a LangGraph PostgresSaver database
// (tables checkpoints, checkpoint_blobs, checkpoint_writes, checkpoint_migrations) or a Mastra PostgresStore
// (table mastra_workflow_snapshot), in the schema the person names (public by default). Read-only by
// construction: one connection, every read inside a single READ ONLY transaction, rolled back at the end.
// The source's size is checked before its values are read, with the limits of a foreign SQLite file.
import type pg from 'pg';
import { shownDatabaseUrl } from '../../../shared/databaseUrls';
import type { Json } from '../../../shared/snapshot';
import { mastraRuns } from '../adapters/mastra';
import { DEFAULT_SQLITE_LIMITS, type SqliteLimits } from '../adapters/mastraDatabase';
import type { LgCheckpoint, LgValue } from '../adapters/langgraph/checkpoints';
import { uuid6Time } from '../adapters/langgraph/checkpoints';
import type { ThreadFilter } from '../adapters/langgraph/sqliteFile';
import { langgraphRuns } from '../adapters/langgraph/threads';
import { ImportError, type ImportedRun } from '../types';

export const LANGGRAPH_PG_TABLES = ['checkpoints', 'checkpoint_blobs', 'checkpoint_writes'] as const;
export const MASTRA_PG_TABLE = 'mastra_workflow_snapshot';

export { isPostgresUrl } from '../../../shared/databaseUrls';

/** The URL as it may be shown: without its password (see shownDatabaseUrl). */
export const shownUrl = shownDatabaseUrl;

export interface PostgresSourceOptions {
  format?: 'langgraph' | 'mastra';
  schema?: string;
  filter?: ThreadFilter;
  limits?: Partial<SqliteLimits>;
  connectTimeoutMs?: number;
}

export interface SourceRead {
  format: 'langgraph' | 'mastra';
  runs: ImportedRun[];
  unreadable: number;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

function mb(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round((n / 1024 / 1024) * 10) / 10} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} bytes`;
}

/** Connects, or says where it could not and why (host, port, reason). */
async function connect(url: string, timeoutMs: number): Promise<pg.Client> {
  const file = shownUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ImportError({ file, expected: 'postgres://user@host:port/database', got: 'a URL that cannot be parsed' }, 'not a PostgreSQL URL');
  }
  const host = parsed.hostname || 'localhost';
  const port = parsed.port || '5432';
  // Loaded here, not with the module: pg (and the undici it pulls in) costs every CLI command ~40 ms at start.
  const { default: Pg } = await import('pg');
  const client = new Pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, application_name: 'snapshot-studio import' });
  // A server that goes away mid-read must fail the read, not the process.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    await client.end().catch(() => {});
    const e = err as Error & { code?: string };
    throw new ImportError({ file }, `cannot connect to PostgreSQL at ${host}:${port}: ${e.code && !e.message.includes(e.code) ? `${e.code} ` : ''}${e.message || 'no reason given'}`);
  }
  return client;
}

/** Reads a source, detected from its tables unless `format` says which. Writes nothing: see the file's head. */
export async function readPostgresSource(url: string, options: PostgresSourceOptions = {}): Promise<SourceRead> {
  const file = shownUrl(url);
  const schema = options.schema ?? 'public';
  const limits = { ...DEFAULT_SQLITE_LIMITS, ...options.limits };
  const client = await connect(url, options.connectTimeoutMs ?? 10_000);
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // Times without a zone (Mastra's "createdAt") are read as UTC, as Mastra writes them.
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    const tables = new Set(
      (await client.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'", [schema])).rows.map((r) => r.name),
    );
    const isLangGraph = LANGGRAPH_PG_TABLES.every((t) => tables.has(t));
    const isMastra = tables.has(MASTRA_PG_TABLE);
    const format = options.format ?? (isLangGraph ? 'langgraph' : isMastra ? 'mastra' : undefined);
    const lookedFor = `LangGraph's ${[...LANGGRAPH_PG_TABLES, 'checkpoint_migrations'].join(', ')} or Mastra's ${MASTRA_PG_TABLE}, in schema "${schema}"`;
    if (!format || (format === 'langgraph' && !isLangGraph) || (format === 'mastra' && !isMastra)) {
      const found = tables.size === 0 ? 'no tables' : `only ${[...tables].sort().slice(0, 8).join(', ')}${tables.size > 8 ? ', …' : ''}`;
      throw new ImportError({ file, expected: format === 'langgraph' ? `LangGraph's tables in schema "${schema}"` : format === 'mastra' ? `${MASTRA_PG_TABLE} in schema "${schema}"` : lookedFor, got: found }, 'this database holds none of the tables an import reads');
    }
    const q = (table: string) => `${quoteIdent(schema)}.${quoteIdent(table)}`;
    if (format === 'mastra') return { format, ...(await readMastra(client, q(MASTRA_PG_TABLE), file, limits)) };
    const checkpoints = await readLangGraph(client, q, file, options.filter ?? {}, limits);
    return { format, ...langgraphRuns(checkpoints) };
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    await client.end().catch(() => {});
  }
}

function refuseTooMuch(file: string, table: string, rows: number, bytes: number, limits: SqliteLimits): void {
  if (rows > limits.maxRows) {
    throw new ImportError({ file, field: table, expected: `at most ${limits.maxRows} rows per import`, got: `${rows} rows` }, 'the source holds more than an import reads at once: import fewer threads or a shorter time', [{ use: 'threads' }, { use: 'since' }]);
  }
  if (bytes > limits.maxFileBytes) {
    throw new ImportError({ file, field: table, expected: `at most ${mb(limits.maxFileBytes)} of values per import`, got: mb(bytes) }, 'the source holds more than an import reads at once: import fewer threads or a shorter time', [{ use: 'threads' }, { use: 'since' }]);
  }
}

/** A stored value: JSON the LangGraph.js serializer wrote, or what this build cannot read (type and size). */
function decode(type: string | null, bytes: Buffer | null, where: { file: string; thread: string; checkpoint: string; channel: string; field: string }): LgValue {
  if (bytes === null) return { json: null };
  if (type !== null && type !== 'json') return { unreadable: { type, bytes: bytes.length } };
  try {
    return { json: JSON.parse(bytes.toString('utf8')) as Json };
  } catch {
    throw new ImportError(
      { file: where.file, field: where.field, expected: 'JSON (LangGraph.js serializer)', got: 'bytes that are not JSON' },
      `a corrupted checkpoint blob: thread ${JSON.stringify(where.thread)}, checkpoint ${where.checkpoint}, channel ${JSON.stringify(where.channel)}`,
    );
  }
}

async function readLangGraph(client: pg.Client, q: (t: string) => string, file: string, filter: ThreadFilter, limits: SqliteLimits): Promise<LgCheckpoint[]> {
  const latest = (await client.query<{ thread_id: string; last: string }>(`SELECT thread_id, max(checkpoint_id) AS last FROM ${q('checkpoints')} GROUP BY thread_id ORDER BY thread_id`)).rows;
  const threads = latest
    .filter((t) => !filter.threads || filter.threads.includes(t.thread_id))
    .filter((t) => filter.since === undefined || (uuid6Time(t.last) ?? 0) >= filter.since)
    .map((t) => t.thread_id);
  if (threads.length === 0) return [];
  const size = async (table: string, columns: string[]) =>
    (await client.query<{ rows: string; bytes: string | null }>(`SELECT count(*) AS rows, sum(${columns.map((c) => `coalesce(octet_length(${c}), 0)`).join(' + ')}) AS bytes FROM ${q(table)} WHERE thread_id = ANY($1)`, [threads])).rows[0];
  const sizes = [await size('checkpoints', ['checkpoint::text', 'metadata::text']), await size('checkpoint_blobs', ['blob']), await size('checkpoint_writes', ['blob'])];
  refuseTooMuch(file, 'checkpoints', sizes.reduce((n, s) => n + Number(s.rows), 0), sizes.reduce((n, s) => n + Number(s.bytes ?? 0), 0), limits);

  const blobs = new Map<string, { type: string; blob: Buffer | null }>();
  const key = (thread: string, ns: string, channel: string, version: string) => JSON.stringify([thread, ns, channel, version]);
  for (const b of (await client.query<{ thread_id: string; checkpoint_ns: string; channel: string; version: string; type: string; blob: Buffer | null }>(`SELECT thread_id, checkpoint_ns, channel, version, type, blob FROM ${q('checkpoint_blobs')} WHERE thread_id = ANY($1)`, [threads])).rows) {
    blobs.set(key(b.thread_id, b.checkpoint_ns, b.channel, b.version), { type: b.type, blob: b.blob });
  }
  const writes = new Map<string, LgCheckpoint['writes']>();
  type WriteRow = { thread_id: string; checkpoint_ns: string; checkpoint_id: string; task_id: string; idx: number; channel: string; type: string | null; blob: Buffer | null };
  for (const w of (await client.query<WriteRow>(`SELECT thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, blob FROM ${q('checkpoint_writes')} WHERE thread_id = ANY($1) ORDER BY thread_id, checkpoint_ns, checkpoint_id, task_id, idx`, [threads])).rows) {
    const k = JSON.stringify([w.thread_id, w.checkpoint_ns, w.checkpoint_id]);
    const list = writes.get(k) ?? [];
    list.push({ taskId: w.task_id, idx: w.idx, channel: w.channel, value: decode(w.type, w.blob, { file, thread: w.thread_id, checkpoint: w.checkpoint_id, channel: w.channel, field: 'checkpoint_writes.blob' }) });
    writes.set(k, list);
  }
  type CheckpointRow = { thread_id: string; checkpoint_ns: string; checkpoint_id: string; parent_checkpoint_id: string | null; checkpoint: string; metadata: string };
  const rows = (await client.query<CheckpointRow>(`SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint::text AS checkpoint, metadata::text AS metadata FROM ${q('checkpoints')} WHERE thread_id = ANY($1) ORDER BY thread_id, checkpoint_ns, checkpoint_id`, [threads])).rows;
  return rows.map((r, i) => {
    const body = JSON.parse(r.checkpoint) as { [key: string]: Json };
    // Python's saver keeps small values inline; LangGraph.js keeps every channel in checkpoint_blobs, by version.
    const values: { [key: string]: Json } = { ...(typeof body.channel_values === 'object' && body.channel_values !== null && !Array.isArray(body.channel_values) ? body.channel_values : {}) };
    const versions = typeof body.channel_versions === 'object' && body.channel_versions !== null && !Array.isArray(body.channel_versions) ? body.channel_versions : {};
    for (const [channel, version] of Object.entries(versions)) {
      const blob = blobs.get(key(r.thread_id, r.checkpoint_ns, channel, String(version)));
      if (!blob || blob.type === 'empty') continue;
      const value = decode(blob.type, blob.blob, { file, thread: r.thread_id, checkpoint: r.checkpoint_id, channel, field: 'checkpoint_blobs.blob' });
      values[channel] = 'json' in value ? value.json : { $langgraph: 'unreadable value', serialization: value.unreadable.type, bytes: value.unreadable.bytes };
    }
    return {
      thread: r.thread_id,
      ns: r.checkpoint_ns,
      id: r.checkpoint_id,
      parent: r.parent_checkpoint_id,
      checkpoint: { json: { ...body, channel_values: values } },
      metadata: { json: JSON.parse(r.metadata) as Json },
      writes: writes.get(JSON.stringify([r.thread_id, r.checkpoint_ns, r.checkpoint_id])) ?? [],
      source: { file, row: i + 1 },
    };
  });
}

async function readMastra(client: pg.Client, table: string, file: string, limits: SqliteLimits): Promise<{ runs: ImportedRun[]; unreadable: number }> {
  const size = (await client.query<{ rows: string; bytes: string | null }>(`SELECT count(*) AS rows, sum(octet_length(snapshot::text)) AS bytes FROM ${table}`)).rows[0];
  refuseTooMuch(file, MASTRA_PG_TABLE, Number(size.rows), Number(size.bytes ?? 0), limits);
  type Row = { workflow_name: string; run_id: string; resourceId: string | null; snapshot: string; createdAt: string; updatedAt: string };
  const rows = (await client.query<Row>(`SELECT workflow_name, run_id, "resourceId", snapshot::text AS snapshot, "createdAt"::text AS "createdAt", "updatedAt"::text AS "updatedAt" FROM ${table} ORDER BY "createdAt", workflow_name, run_id`)).rows;
  // "2026-11-21 14:22:00.05" (timestamp, UTC as set above) or "…+00" (timestamptz) as ISO 8601.
  const iso = (v: string) => {
    const t = v.replace(' ', 'T');
    const d = new Date(/[zZ]|[+-]\d\d(:?\d\d)?$/.test(t) ? t.replace(/([+-]\d\d)$/, '$1:00') : `${t}Z`);
    return Number.isNaN(d.getTime()) ? v : d.toISOString();
  };
  const records = rows.map((r, i) => ({
    value: { workflowName: r.workflow_name, runId: r.run_id, ...(r.resourceId !== null ? { resourceId: r.resourceId } : {}), createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt), snapshot: r.snapshot } as Json,
    source: { file, row: i + 1 },
  }));
  return { runs: mastraRuns(records), unreadable: 0 };
}
