// Opens the store a `--db` names: a postgres:// or postgresql:// URL opens PostgreSQL, anything else is an
// SQLite file path.
import type { SnapshotStore } from './contract';
import type { OpenOptions } from './connection';
import { isPostgresUrl } from './postgres/connect';
import { PostgresStore } from './postgres/postgresStore';
import { Store } from './store';

export { isPostgresUrl };

export async function openStore(db: string, options: OpenOptions = {}): Promise<SnapshotStore> {
  return isPostgresUrl(db) ? PostgresStore.open(db, { readOnly: options.readOnly }) : Store.open(db, options);
}
