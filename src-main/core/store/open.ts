// Opens the store a `--db` names: a postgres:// or postgresql:// URL opens PostgreSQL, anything else is an
// SQLite file path.
import type { SnapshotStore } from './contract';
import type { OpenOptions } from './connection';
import { isPostgresUrl } from '../../shared/databaseUrls';
import { Store } from './store';

export { isPostgresUrl };

export async function openStore(db: string, options: OpenOptions = {}): Promise<SnapshotStore> {
  if (!isPostgresUrl(db)) return Store.open(db, options);
  // Loaded only for a URL: the pg client costs every SQLite command ~40 ms of start-up otherwise.
  const { PostgresStore } = await import('./postgres/postgresStore');
  return PostgresStore.open(db);
}
