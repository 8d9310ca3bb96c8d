// An import into PostgreSQL: staged into an SQLite file as every import is (exchange/staging.ts), then its
// rows are copied into PostgreSQL in one transaction (all or nothing), snapshots and logs in batches of
// thousands of rows (bulkInsert.ts).
import Database from 'better-sqlite3';
import type { RunLinks } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import type { SnapshotDocument } from '../../../shared/snapshot';
import { LINK_COLUMNS, planLinks, type CommitResult, type CopyProgress } from '../../exchange/staging';
import type { WorkflowVersionRow } from '../workflowVersions';
import { BulkInsert, LOG_COLUMN_TYPES, SNAPSHOT_COLUMN_TYPES } from './bulkInsert';
import { PgWritable } from './handles';
import { latestSnapshot } from './queries';
import type { PostgresStore } from './postgresStore';

/** What an import into PostgreSQL knows of the database before it stages: its runs and versions. */
export interface PostgresImportTarget {
  runs: Set<string>;
  versions: Map<string, WorkflowVersionRow>;
  /** The last snapshot the database has of a run it has (a source that grows appends after it). */
  latestSnapshot(runId: string): Promise<SnapshotDocument | undefined>;
  /** `continued`: runs the database had that this import appends to, with the last seq each had when read. */
  copyIn(stagingFile: string, links: Map<string, RunLinks>, continued: Map<string, number>, onCopy?: CopyProgress): Promise<CommitResult>;
}

/** Rows sent per INSERT of runs and versions (few): PostgreSQL takes at most 65,535 parameters in one statement. */
const ROWS_PER_INSERT = 500;

export async function importTargetOf(store: PostgresStore): Promise<PostgresImportTarget> {
  const db = new PgWritable(store.pool);
  const runs = new Set((await db.rows<{ id: string }>('SELECT id FROM runs')).map((r) => r.id));
  const versions = new Map(
    (await db.rows<WorkflowVersionRow>(`SELECT hash, workflow_id AS "workflowId", source, bundle, meta, why, created_at AS "createdAt" FROM workflow_versions`)).map((v) => [v.hash, v]),
  );
  return { runs, versions, latestSnapshot: (runId) => latestSnapshot(db, runId), copyIn: (file, links, continued, onCopy) => copyIn(db, runs, file, links, continued, onCopy) };
}

type Row = Record<string, unknown>;

const SNAPSHOT_COPY_COLUMNS = Object.keys(SNAPSHOT_COLUMN_TYPES).join(', ');

async function insertRows(tx: PgWritable, table: string, rows: Row[], onConflict = ''): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const part = rows.slice(i, i + ROWS_PER_INSERT);
    const values: unknown[] = [];
    const tuples = part.map((row) => `(${columns.map((c) => `$${values.push(row[c])}`).join(', ')})`);
    await tx.run(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')} ${onConflict}`, values);
  }
}

async function copyIn(db: PgWritable, known: Set<string>, file: string, links: Map<string, RunLinks>, continued: Map<string, number>, onCopy?: CopyProgress): Promise<CommitResult> {
  const staging = new Database(file, { readonly: true });
  try {
    const fresh = (staging.prepare('SELECT id FROM runs ORDER BY created_at, id').all() as { id: string }[]).map((r) => r.id).filter((id) => !known.has(id));
    const added = new Set(fresh);
    const total = fresh.length === 0 ? 0 : (staging.prepare(`SELECT COALESCE(SUM(last_seq), 0) AS n FROM runs WHERE id IN (SELECT value FROM json_each(?))`).get(JSON.stringify(fresh)) as { n: number }).n;
    const result = await db.transaction(async (tx) => {
      await insertRows(tx, 'workflow_versions', staging.prepare('SELECT hash, workflow_id, source, bundle, meta, why, created_at FROM workflow_versions').all() as Row[], 'ON CONFLICT (hash) DO NOTHING');
      const runRows = staging.prepare('SELECT * FROM runs WHERE id = ?');
      // Links are set once every run is in (see planLinks): the rows go in without them.
      // change_seq is SQLite's own (its watcher's change numbers, schema version 8); PostgreSQL announces changes by NOTIFY.
      const withoutChange = ({ change_seq: _change, ...row }: Row) => row;
      await insertRows(tx, 'runs', fresh.map((id) => ({ ...withoutChange(runRows.get(id) as Row), retry_of: null, forked_from: null, replay_of: null })));
      if (total > 0) onCopy?.(0, total);
      const snapshots = staging.prepare(`SELECT ${SNAPSHOT_COPY_COLUMNS} FROM snapshots WHERE run_id = ? ORDER BY seq`);
      const logs = staging.prepare('SELECT run_id, step_id, at, level, message, data FROM logs WHERE run_id = ? ORDER BY rowid');
      const snapshotRows = new BulkInsert(tx, 'snapshots', SNAPSHOT_COLUMN_TYPES);
      const logRows = new BulkInsert(tx, 'logs', LOG_COLUMN_TYPES);
      for (const id of fresh) {
        for (const row of snapshots.iterate(id) as IterableIterator<Row>) await snapshotRows.add(row);
        for (const row of logs.iterate(id) as IterableIterator<Row>) await logRows.add(row);
        onCopy?.(snapshotRows.added, total);
      }
      await snapshotRows.finish();
      await logRows.finish();
      const copied = snapshotRows.added;
      const waiting = await tx.rows<{ id: string; metadata: string }>('SELECT id, metadata FROM runs WHERE metadata IS NOT NULL');
      const plan = planLinks(links, added, (runId) => known.has(runId) || added.has(runId), waiting);
      for (const [runId, name, target] of plan.links) await tx.run(`UPDATE runs SET ${LINK_COLUMNS[name]} = $1 WHERE id = $2`, [target, runId]);
      for (const [runId, metadata] of plan.metadata) await tx.run('UPDATE runs SET metadata = $1 WHERE id = $2', [metadata, runId]);
      // A link set after its run was copied moves the run, and every run under it, to another work order.
      if (plan.links.length > 0) await tx.run('SELECT snapshot_studio_refresh_work_orders()');
      const extended = await appendContinued(tx, staging, continued);
      return { runIds: fresh, extendedRunIds: extended.runIds, snapshots: copied + extended.snapshots, unresolvedLinks: plan.unresolved };
    });
    for (const id of fresh) known.add(id);
    return result;
  } finally {
    staging.close();
  }
}

/**
 * Appends the staged snapshots of runs the database had, refusing the whole import when one of them gained
 * snapshots since it was read (another import, say): nothing is rewritten, nothing doubled. As SQLite's
 * ImportSession.appendContinued.
 */
async function appendContinued(tx: PgWritable, staging: Database.Database, continued: Map<string, number>): Promise<{ runIds: string[]; snapshots: number }> {
  const runIds: string[] = [];
  let snapshots = 0;
  const runRow = staging.prepare('SELECT last_seq, status, updated_at, result, error FROM runs WHERE id = ?');
  const rowsAfter = staging.prepare(`SELECT ${SNAPSHOT_COPY_COLUMNS} FROM snapshots WHERE run_id = ? AND seq > ? ORDER BY seq`);
  const appended = new BulkInsert(tx, 'snapshots', SNAPSHOT_COLUMN_TYPES);
  for (const [runId, lastSeq] of continued) {
    const staged = runRow.get(runId) as { last_seq: number; status: string; updated_at: string; result: string | null; error: string | null };
    if (staged.last_seq === lastSeq) continue;
    const moved = await tx.run('UPDATE runs SET last_seq = $1, status = $2, updated_at = $3, result = $4, error = $5 WHERE id = $6 AND last_seq = $7', [staged.last_seq, staged.status, staged.updated_at, staged.result, staged.error, runId, lastSeq]);
    if (moved !== 1) throw new StudioError('E_SEQ_CONFLICT', `run ${runId} gained snapshots while this import read its source: import again`);
    for (const row of rowsAfter.iterate(runId, lastSeq) as IterableIterator<Row>) await appended.add(row);
    runIds.push(runId);
    snapshots += staged.last_seq - lastSeq;
  }
  await appended.finish();
  return { runIds, snapshots };
}
