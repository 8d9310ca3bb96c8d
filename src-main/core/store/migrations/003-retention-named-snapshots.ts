// Schema version 3: retention and named snapshots. Pruning removes the oldest snapshots of finished runs, so
// a run's snapshots start at runs.first_seq (still contiguous up to last_seq); settings keeps the retention
// policy. A named snapshot freezes a workflow version with a configuration (and an input) under a name.
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion3(db: Database): void {
  db.exec(`
    ALTER TABLE runs ADD COLUMN first_seq INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE named_snapshots (
      name TEXT PRIMARY KEY,
      workflow_id TEXT NOT NULL,
      workflow_version TEXT NOT NULL REFERENCES workflow_versions (hash),
      config TEXT NOT NULL,
      input TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE INDEX named_snapshots_by_workflow ON named_snapshots (workflow_id, created_at);
  `);
}
