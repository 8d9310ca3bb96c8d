// Schema version 4: a run's metadata (a JSON object, NULL when it has none). An imported run keeps there the
// links its export recorded to runs this database does not have (`unresolvedLinks`), which the link
// columns cannot hold: they are foreign keys.
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion4(db: Database): void {
  db.exec(`ALTER TABLE runs ADD COLUMN metadata TEXT`);
}
