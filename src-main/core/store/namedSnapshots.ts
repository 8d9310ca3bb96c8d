// Named snapshots: a frozen workflow version with its input and config, runnable by name.
import type { NamedSnapshot } from '../../shared/api';
import { StudioError } from '../../shared/errors';
import type { Json } from '../../shared/snapshot';
import type { ReadableDB, WritableDB } from './handles';

export interface NamedSnapshotRow {
  name: string;
  workflow_id: string;
  workflow_version: string;
  config: string;
  input: string;
  created_at: string;
}

export function toNamedSnapshot(r: NamedSnapshotRow): NamedSnapshot {
  return {
    name: r.name,
    workflowId: r.workflow_id,
    workflowVersion: r.workflow_version,
    config: JSON.parse(r.config) as Json,
    input: JSON.parse(r.input) as Json,
    createdAt: r.created_at,
  };
}

export function saveNamedSnapshot(db: WritableDB, n: NamedSnapshot): void {
  db.sql(
    `INSERT INTO named_snapshots (name, workflow_id, workflow_version, config, input, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET workflow_id = excluded.workflow_id, workflow_version = excluded.workflow_version,
       config = excluded.config, input = excluded.input, created_at = excluded.created_at`,
  ).run(n.name, n.workflowId, n.workflowVersion, JSON.stringify(n.config), JSON.stringify(n.input), n.createdAt);
}

export function listNamedSnapshots(db: ReadableDB, workflowId?: string): NamedSnapshot[] {
  const rows = (
    workflowId === undefined
      ? db.sql('SELECT * FROM named_snapshots ORDER BY created_at DESC, rowid DESC').all()
      : db.sql('SELECT * FROM named_snapshots WHERE workflow_id = ? ORDER BY created_at DESC, rowid DESC').all(workflowId)
  ) as NamedSnapshotRow[];
  return rows.map(toNamedSnapshot);
}

export function getNamedSnapshot(db: ReadableDB, name: string): NamedSnapshot {
  const row = db.sql('SELECT * FROM named_snapshots WHERE name = ?').get(name) as NamedSnapshotRow | undefined;
  if (!row) throw new StudioError('E_NO_NAMED_SNAPSHOT', `no named snapshot "${name}": list the named snapshots to see their names`);
  return toNamedSnapshot(row);
}

export function deleteNamedSnapshot(db: WritableDB, name: string): NamedSnapshot {
  const found = getNamedSnapshot(db, name);
  db.sql('DELETE FROM named_snapshots WHERE name = ?').run(name);
  return found;
}
