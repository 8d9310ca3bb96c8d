// The store providers the storage suites run against, one `describe.each(providers)` per suite: SQLite files
// in a temporary folder, and databases on the test run's PostgreSQL server (postgresSetup.ts, postgres.ts). Without a server
// (its binaries missing, outside CI) the PostgreSQL entries are left out and the reason printed.
import { join } from 'node:path';
import type { SnapshotStore } from '../../src-main/core/store/contract';
import type { PostgresStore } from '../../src-main/core/store/postgres/postgresStore';
import { Store } from '../../src-main/core/store/store';
import { createDatabase, postgresServer } from './postgres';
import { tempDir } from './tmp';

export interface Provider {
  name: 'sqlite' | 'postgres';
  /** A new, empty database: a file path or a postgres:// URL. */
  newDatabase(): Promise<string>;
}

/** The test run's server URL (superuser), or undefined (with the reason printed) when the Postgres suites are skipped. */
export function pgServerUrl(): string | undefined {
  return postgresServer()?.url;
}

/** A new empty database on the test run's server; its URL. */
export function freshPgDatabase(admin: string): Promise<string> {
  return createDatabase({ url: admin }, 'studio');
}

/** SQLite, and PostgreSQL when the run has a server. Call at the top of a test file (it registers cleanup). */
export function storeProviders(): Provider[] {
  const dir = tempDir('studio-providers-');
  let n = 0;
  const providers: Provider[] = [{ name: 'sqlite', newDatabase: async () => join(dir, `db-${++n}.db`) }];
  const admin = pgServerUrl();
  if (admin) providers.push({ name: 'postgres', newDatabase: () => freshPgDatabase(admin) });
  return providers;
}

/** Runs SQL (with `?` placeholders) on either provider's connection, for what tests do behind the store's back. */
export async function sqlOn(store: SnapshotStore, text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (store instanceof Store) {
    const statement = store.db.prepare(text);
    return statement.reader ? (statement.all(...params) as Record<string, unknown>[]) : (statement.run(...params), []);
  }
  let n = 0;
  return (await (store as PostgresStore).pool.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as Record<string, unknown>[];
}
