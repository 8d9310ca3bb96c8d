// Schema version 6: the run a process drives is held by a lease (an owner id and an expiry, in ms since the
// epoch by the database's clock, renewed while it runs) instead of a process id, which means nothing on
// another host. runner_pid stays for builds before this one; nothing writes it now.
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion6(db: Database): void {
  db.exec(`
    ALTER TABLE runs ADD COLUMN lease_owner TEXT;
    ALTER TABLE runs ADD COLUMN lease_expires_at INTEGER;
  `);
}
