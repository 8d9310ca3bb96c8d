// Schema version 8: each run row carries `change_seq`, the database's count of run changes when it last changed
// (inserted, or its status, last snapshot or update time moved), kept by triggers and indexed. SQLite lets one
// writer at a time, and the trigger reads the highest number inside the writer's transaction, so the numbers
// grow in commit order. Another process's writes are then found by `change_seq > last seen` (otherProcesses.ts)
// instead of reading every run's status, last snapshot and update time at start and at each poll: 100,000 runs
// cost ~0.1 s a scan. Rows from before are numbered by rowid.
import type { Database } from 'better-sqlite3';

const NEXT_CHANGE = '(SELECT max(change_seq) FROM runs) + 1';

export function updateToSchemaVersion8(db: Database): void {
  db.exec(`
    ALTER TABLE runs ADD COLUMN change_seq INTEGER NOT NULL DEFAULT 0;
    UPDATE runs SET change_seq = rowid;
    CREATE INDEX runs_by_change ON runs (change_seq);
    CREATE TRIGGER runs_changed_on_insert AFTER INSERT ON runs BEGIN
      UPDATE runs SET change_seq = ${NEXT_CHANGE} WHERE rowid = NEW.rowid;
    END;
    CREATE TRIGGER runs_changed_on_update AFTER UPDATE OF status, last_seq, updated_at ON runs BEGIN
      UPDATE runs SET change_seq = ${NEXT_CHANGE} WHERE rowid = NEW.rowid;
    END;
  `);
}
