// Opens a PostgreSQL store from a URL: connects (a failure names host, port and the server's reason),
// refuses a database of another application or from a newer build untouched, then runs the numbered
// migrations each in a transaction, recorded in schema_migrations. Concurrent openers take turns on an
// advisory lock, so two processes starting on an empty database migrate it once.
import type pg from 'pg';
import { StudioError } from '../../../shared/errors';
import { LATEST_PG_VERSION, OUR_TABLES, pgMigrations } from './migrations';

/** An arbitrary key of our own for pg_advisory_xact_lock: "SSTU" in ASCII. */
const MIGRATION_LOCK = 0x53535455;

export { isPostgresUrl } from '../../../shared/databaseUrls';

/** The URL without its password, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'a postgres:// URL that cannot be parsed';
  }
}

export function hostAndPort(url: string): string {
  try {
    const u = new URL(url);
    const socketHost = u.searchParams.get('host');
    return `${socketHost ?? (u.hostname || 'localhost')}:${u.port || '5432'}`;
  } catch {
    return url;
  }
}

/** BIGINT and NUMERIC answers (seqs, sizes, counts, sums) as numbers: they stay far below 2^53 here. */
const typesOf = (pg: typeof import('pg').default) => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 || oid === 1700 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
});

/** The pg client, loaded when a PostgreSQL database is first opened (SQLite commands never pay for it). */
export async function loadPg(): Promise<typeof import('pg').default> {
  return (await import('pg')).default;
}

export async function openPool(url: string): Promise<pg.Pool> {
  const pg = await loadPg();
  const pool = new pg.Pool({ connectionString: url, types: typesOf(pg), max: 10 });
  // An idle client whose server went away must not crash the process: the next query reports it.
  pool.on('error', () => undefined);
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end().catch(() => undefined);
    const reason = (err as Error).message || (err as NodeJS.ErrnoException).code || String(err);
    throw new StudioError('E_DB_CONNECT', `cannot connect to PostgreSQL at ${hostAndPort(url)}: ${reason}`);
  }
  return pool;
}

/** Refuses a database that is not ours or is newer; migrates one that is older (or empty). */
export async function migrate(pool: pg.Pool, url: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const tables = (await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`)).rows.map((r) => r.name);
    const foreign = tables.filter((t) => !OUR_TABLES.includes(t));
    let version = 0;
    if (tables.includes('schema_migrations')) {
      const rows = (await client.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
      const ours = rows.every((r) => r.version > LATEST_PG_VERSION || pgMigrations.find((m) => m.version === r.version)?.name === r.name);
      if (!ours) throw notOurs(url, 'its schema_migrations table records migrations this application never had');
      version = Math.max(0, ...rows.map((r) => r.version));
    } else if (tables.length > 0) {
      throw notOurs(url, `it holds tables that are not Snapshot Studio's (${foreign.slice(0, 5).join(', ') || tables.slice(0, 5).join(', ')})`);
    }
    if (version > LATEST_PG_VERSION) {
      throw new StudioError(
        'E_DB_TOO_NEW',
        `${describeUrl(url)} was written by a newer Snapshot Studio (database version ${version}; this build knows up to ${LATEST_PG_VERSION}). It was left untouched: open it with a newer build.`,
      );
    }
    if (version === LATEST_PG_VERSION) {
      await client.query('COMMIT');
      return;
    }
    if (version === 0) await client.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
    for (const m of pgMigrations) {
      if (m.version <= version) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

function notOurs(url: string, why: string): StudioError {
  return new StudioError('E_DB_FOREIGN', `${describeUrl(url)} is not a Snapshot Studio database: ${why}. It was left untouched: use an empty database or one Snapshot Studio made.`);
}
