// Schema version 2: which process is driving a run, so crash recovery takes over only orphaned runs
// (a run whose driving process is gone) and never one that another live process is running.
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion2(db: Database): void {
  db.exec(`
    ALTER TABLE runs ADD COLUMN runner_pid INTEGER;
    CREATE INDEX runs_unfinished ON runs (status) WHERE status IN ('pending', 'running', 'error', 'waiting');
  `);
}
