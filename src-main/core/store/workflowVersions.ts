// Workflows and their versions: a version is stored once and never changed; a workflow points at its latest.
import type { ReadableDB, WritableDB } from './handles';

export interface WorkflowVersionRow {
  hash: string;
  workflowId: string;
  source: string;
  bundle: string;
  meta: string;
  why: 'saved' | 'ran' | 'imported';
  createdAt: string;
}

/**
 * Stores a version once (versions are immutable); with `latest`, also makes it the workflow's newest. A
 * version already stored and already the latest writes nothing: opening a workspace is a read.
 */
export function saveWorkflowVersion(db: WritableDB, v: WorkflowVersionRow, latest?: { name: string; file: string | null }): void {
  db.transaction(() => {
    db.sql(
        `INSERT INTO workflow_versions (hash, workflow_id, source, bundle, meta, why, created_at)
         VALUES (@hash, @workflowId, @source, @bundle, @meta, @why, @createdAt) ON CONFLICT (hash) DO NOTHING`,
      )
      .run(v);
    if (!latest) return;
    db.sql(
        `INSERT INTO workflows (id, name, file, latest_version, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, file = excluded.file,
           latest_version = excluded.latest_version, updated_at = excluded.updated_at
         WHERE (workflows.name, workflows.file, workflows.latest_version) IS NOT (excluded.name, excluded.file, excluded.latest_version)`,
      )
      .run(v.workflowId, latest.name, latest.file, v.hash, v.createdAt);
  })();
}

/** Versions of one workflow, newest first. */
export function listWorkflowVersions(db: ReadableDB, workflowId: string): { hash: string; why: string; createdAt: string; meta: string }[] {
  return db.sql(
      `SELECT hash, why, created_at AS createdAt, meta FROM workflow_versions
       WHERE workflow_id = ? ORDER BY created_at DESC, rowid DESC`,
    )
    .all(workflowId) as { hash: string; why: string; createdAt: string; meta: string }[];
}

export function getWorkflowVersion(db: ReadableDB, hash: string): WorkflowVersionRow | undefined {
  return db.sql(
      `SELECT hash, workflow_id AS workflowId, source, bundle, meta, why, created_at AS createdAt
       FROM workflow_versions WHERE hash = ?`,
    )
    .get(hash) as WorkflowVersionRow | undefined;
}
