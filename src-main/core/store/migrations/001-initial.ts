// Schema version 1: workflows and their immutable versions, runs, snapshots (one row per seq) and logs.
import type { Database } from 'better-sqlite3';

export function updateToSchemaVersion1(db: Database): void {
  db.exec(`
    CREATE TABLE workflows (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      file TEXT,
      latest_version TEXT,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE workflow_versions (
      hash TEXT PRIMARY KEY,
      workflow_id TEXT NOT NULL,
      source TEXT NOT NULL,
      bundle TEXT NOT NULL,
      meta TEXT NOT NULL,
      why TEXT NOT NULL CHECK (why IN ('saved', 'ran', 'imported')),
      created_at TEXT NOT NULL
    );
    CREATE INDEX workflow_versions_by_workflow ON workflow_versions (workflow_id, created_at);
    CREATE TABLE runs (
      id TEXT PRIMARY KEY,
      workflow_id TEXT NOT NULL,
      workflow_version TEXT NOT NULL REFERENCES workflow_versions (hash),
      status TEXT NOT NULL,
      origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'imported', 'replay')),
      input TEXT NOT NULL,
      config TEXT NOT NULL,
      result TEXT,
      error TEXT,
      retry_of TEXT REFERENCES runs (id),
      forked_from TEXT REFERENCES runs (id),
      replay_of TEXT REFERENCES runs (id),
      name TEXT,
      last_seq INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    );
    CREATE INDEX runs_by_created ON runs (created_at DESC, id);
    CREATE TABLE snapshots (
      run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL CHECK (seq >= 1),
      kind TEXT NOT NULL,
      step_id TEXT,
      status TEXT NOT NULL,
      at TEXT NOT NULL,
      encoding TEXT NOT NULL,
      body BLOB NOT NULL,
      size INTEGER NOT NULL,
      stored_size INTEGER NOT NULL,
      hash TEXT NOT NULL,
      PRIMARY KEY (run_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE logs (
      run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
      step_id TEXT,
      at TEXT NOT NULL,
      level TEXT NOT NULL,
      message TEXT NOT NULL,
      data TEXT
    );
    CREATE INDEX logs_by_run ON logs (run_id, at);
  `);
}
