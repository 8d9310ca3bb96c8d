// Schema version 3: retention. Pruning removes the oldest snapshots of finished runs, so a run's snapshots
// start at runs.first_seq (still contiguous up to last_seq); settings keeps the retention policy.
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion3(db: Database): void {
  db.exec(`
    ALTER TABLE runs ADD COLUMN first_seq INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `);
}
