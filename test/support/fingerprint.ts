// The sha256 of an SQLite store's file with its WAL checkpointed into it: equal before and after an operation
// when the operation left the database byte for byte as it was.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Store } from '../../src-main/core/store/store';

export function databaseFingerprint(store: Store): string {
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  return createHash('sha256').update(readFileSync(store.db.name)).digest('hex');
}
