// PostgreSQL's queries: the same contract as the SQLite ones (../queries.ts), over the same tables, each
// taking the handle its kind needs. Row shapes and what is made of them (summaries, details, decoded
// snapshot chains) are shared with SQLite.
import type { LogLine, NamedSnapshot, PruneReport, RetentionPolicy, RunDetail, RunSummary, SnapshotSummary } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import { TERMINAL_STATUSES, type Json, type SnapshotDocument } from '../../../shared/snapshot';
import { toLogLine, type LogRow } from '../logs';
import { toNamedSnapshot, type NamedSnapshotRow } from '../namedSnapshots';
import { SUMMARY_COLUMNS, TERMINAL, toSummary, type RunRow, type SummaryRow } from '../runRows';
import { detailOf, failureIn, type NewRun, type RunLease } from '../runs';
import { decodeChain, decodeChainRange, decodeChainWalk, encodeKeyframe, type StoredRow, type WalkedSnapshot } from '../snapshotCodec';
import { CHAIN_SQL, missingSeq, noSnapshot, RANGE_SQL } from '../snapshotReads';
import type { WorkflowVersionRow } from '../workflowVersions';
import type { WorkOrderPage, WorkOrderPageQuery } from '../workOrderPages';
import type { PgReadable, PgWritable } from './handles';

/** `@runId` and `@seq` of the shared chain query as $1 and $2. */
const PG_CHAIN_SQL = CHAIN_SQL.replaceAll('@runId', '$1').replaceAll('@seq', '$2');
/** `@runId`, `@fromSeq` and `@toSeq` of the shared range query as $1, $2 and $3. */
const PG_RANGE_SQL = RANGE_SQL.replaceAll('@runId', '$1').replaceAll('@fromSeq', '$2').replaceAll('@toSeq', '$3');

export async function runRow(db: PgReadable, runId: string): Promise<RunRow> {
  const row = await db.row<RunRow>('SELECT * FROM runs WHERE id = $1', [runId]);
  if (!row) throw new StudioError('E_NO_RUN', `no run with id "${runId}"`);
  return row;
}

export async function listRuns(db: PgReadable): Promise<RunSummary[]> {
  return (await db.rows<SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM runs ORDER BY created_at DESC, id DESC`)).map(toSummary);
}

/** Each run's status, last seq and update time in one word: what a watcher compares to see which runs moved. */
export async function runMarks(db: PgReadable): Promise<{ id: string; mark: string }[]> {
  return db.rows<{ id: string; mark: string }>(`SELECT id, status || ':' || last_seq || ':' || updated_at AS mark FROM runs`);
}

export async function getRunSummary(db: PgReadable, runId: string): Promise<RunSummary> {
  return toSummary(await runRow(db, runId));
}

export async function getRun(db: PgReadable, runId: string): Promise<RunDetail> {
  const row = await runRow(db, runId);
  const detail = detailOf(row);
  if (row.status === 'failed') {
    const failedRow = await db.row<{ seq: number }>(`SELECT seq FROM snapshots WHERE run_id = $1 AND step_status = 'failed' ORDER BY seq DESC LIMIT 1`, [runId]);
    const failure = failureIn(failedRow?.seq, failedRow ? await getSnapshot(db, runId, failedRow.seq) : await latestSnapshot(db, runId));
    if (failure) detail.failure = failure;
  }
  return detail;
}

/** The database's clock in ms: one clock for every host. */
const NOW_MS = '(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::BIGINT';

export async function unfinishedRuns(db: PgReadable): Promise<{ id: string; status: string; lease: RunLease | null }[]> {
  const rows = await db.rows<{ id: string; status: string; owner: string | null; expiresAt: number | null }>(
    `SELECT id, status, CASE WHEN lease_expires_at >= ${NOW_MS} THEN lease_owner END AS owner, lease_expires_at AS "expiresAt"
     FROM runs WHERE status IN ('pending', 'running', 'error', 'waiting') ORDER BY created_at`,
  );
  return rows.map((r) => ({ id: r.id, status: r.status, lease: r.owner ? { owner: r.owner, expiresAt: r.expiresAt! } : null }));
}

export async function leaseOf(db: PgReadable, runId: string): Promise<RunLease | null> {
  return (await db.row<RunLease>(`SELECT lease_owner AS owner, lease_expires_at AS "expiresAt" FROM runs WHERE id = $1 AND lease_owner IS NOT NULL AND lease_expires_at >= ${NOW_MS}`, [runId])) ?? null;
}

export async function getSnapshot(db: PgReadable, runId: string, seq: number): Promise<SnapshotDocument> {
  const rows = await db.preparedRows<StoredRow>('snapshot_chain', PG_CHAIN_SQL, [runId, seq]);
  if (rows.length === 0 || rows[rows.length - 1].seq !== seq) throw noSnapshot(await runRow(db, runId), seq);
  return decodeChain(rows);
}

/** As SQLite's snapshotsInOrder (../snapshotReads.ts): a window of a run's documents, its chain walked once. */
export async function snapshotsInOrder(db: PgReadable, runId: string, fromSeq: number, toSeq: number): Promise<SnapshotDocument[]> {
  return toSeq < fromSeq ? [] : decodeChainRange(await rangeRows(db, runId, fromSeq, toSeq), fromSeq);
}

/** As SQLite's snapshotsWithChanges: the same window, each document with the stored change that made it. */
export async function snapshotsWithChanges(db: PgReadable, runId: string, fromSeq: number, toSeq: number): Promise<WalkedSnapshot[]> {
  return toSeq < fromSeq ? [] : decodeChainWalk(await rangeRows(db, runId, fromSeq, toSeq), fromSeq);
}

async function rangeRows(db: PgReadable, runId: string, fromSeq: number, toSeq: number): Promise<StoredRow[]> {
  const rows = await db.rows<StoredRow>(PG_RANGE_SQL, [runId, fromSeq, toSeq]);
  const missing = missingSeq(rows, fromSeq, toSeq);
  if (missing !== undefined) throw noSnapshot(await runRow(db, runId), missing);
  return rows;
}

export async function latestSnapshot(db: PgReadable, runId: string): Promise<SnapshotDocument | undefined> {
  const last = (await runRow(db, runId)).last_seq;
  return last > 0 ? getSnapshot(db, runId, last) : undefined;
}

export async function countSnapshots(db: PgReadable, runId: string): Promise<number> {
  return toSummary(await runRow(db, runId)).snapshotCount;
}

export async function listSnapshots(db: PgReadable, runId: string, offset: number, limit: number): Promise<SnapshotSummary[]> {
  const run = await runRow(db, runId);
  const rows = await db.rows<SnapshotSummary & { stepId: string | null; stepStatus: string | null }>(
    `SELECT seq, kind, step_id AS "stepId", status, step_status AS "stepStatus", at, size FROM snapshots
     WHERE run_id = $1 AND seq >= $2 ORDER BY seq LIMIT $3`,
    [runId, run.first_seq + offset, limit],
  );
  return rows as SnapshotSummary[];
}

export async function findSnapshotSeq(db: PgReadable, runId: string, kind: string, stepId: string): Promise<number | undefined> {
  return (await db.row<{ seq: number }>('SELECT seq FROM snapshots WHERE run_id = $1 AND kind = $2 AND step_id = $3 ORDER BY seq LIMIT 1', [runId, kind, stepId]))?.seq;
}

export async function stepSnapshotSeq(db: PgReadable, runId: string, stepId: string, which: 'first' | 'last'): Promise<number | undefined> {
  const order = which === 'first' ? 'ASC' : 'DESC';
  return (await db.row<{ seq: number }>(`SELECT seq FROM snapshots WHERE run_id = $1 AND step_id = $2 ORDER BY seq ${order} LIMIT 1`, [runId, stepId]))?.seq;
}

export async function lastCompletions(db: PgReadable, runId: string): Promise<{ stepId: string; seq: number }[]> {
  return db.rows(`SELECT step_id AS "stepId", MAX(seq) AS seq FROM snapshots WHERE run_id = $1 AND kind = 'step-completed' AND step_id IS NOT NULL GROUP BY step_id`, [runId]);
}

export async function listWorkflowVersions(db: PgReadable, workflowId: string): Promise<{ hash: string; why: string; createdAt: string; meta: string }[]> {
  return db.rows(`SELECT hash, why, created_at AS "createdAt", meta FROM workflow_versions WHERE workflow_id = $1 ORDER BY created_at DESC, n DESC`, [workflowId]);
}

export async function getWorkflowVersion(db: PgReadable, hash: string): Promise<WorkflowVersionRow | undefined> {
  return db.row<WorkflowVersionRow>(
    `SELECT hash, workflow_id AS "workflowId", source, bundle, meta, why, created_at AS "createdAt" FROM workflow_versions WHERE hash = $1`,
    [hash],
  );
}

export async function listNamedSnapshots(db: PgReadable, workflowId?: string): Promise<NamedSnapshot[]> {
  const rows =
    workflowId === undefined
      ? await db.rows<NamedSnapshotRow>('SELECT * FROM named_snapshots ORDER BY created_at DESC, n DESC')
      : await db.rows<NamedSnapshotRow>('SELECT * FROM named_snapshots WHERE workflow_id = $1 ORDER BY created_at DESC, n DESC', [workflowId]);
  return rows.map(toNamedSnapshot);
}

export async function getNamedSnapshot(db: PgReadable, name: string): Promise<NamedSnapshot> {
  const row = await db.row<NamedSnapshotRow>('SELECT * FROM named_snapshots WHERE name = $1', [name]);
  if (!row) throw new StudioError('E_NO_NAMED_SNAPSHOT', `no named snapshot "${name}" (snapshot list shows them)`);
  return toNamedSnapshot(row);
}

export async function listLogs(db: PgReadable, runId: string): Promise<LogLine[]> {
  return (await db.rows<LogRow>('SELECT step_id AS "stepId", at, level, message, data FROM logs WHERE run_id = $1 ORDER BY n', [runId])).map(toLogLine);
}

export async function getSetting(db: PgReadable, key: string): Promise<Json | undefined> {
  const row = await db.row<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
  return row ? (JSON.parse(row.value) as Json) : undefined;
}

// --- writes ---

export async function createRun(db: PgWritable, run: NewRun): Promise<void> {
  await db.run(
    `INSERT INTO runs (id, workflow_id, workflow_version, status, origin, input, config, retry_of, forked_from, replay_of, created_at, updated_at)
     VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8, $9, $10, $10)`,
    [run.id, run.workflowId, run.workflowVersion, run.origin, JSON.stringify(run.input), JSON.stringify(run.config), run.retryOf ?? null, run.forkedFrom ?? null, run.replayOf ?? null, run.at],
  );
}

/** As SQLite's claimRun (../runs.ts): one UPDATE, so two hosts claiming one run cannot both get it. */
export async function claimRun(db: PgWritable, runId: string, owner: string, ttlMs: number, staleOwners: string[] = []): Promise<boolean> {
  const changed = await db.run(
    `UPDATE runs SET lease_owner = $1, lease_expires_at = ${NOW_MS} + $2 WHERE id = $3
     AND (lease_owner IS NULL OR lease_owner = $1 OR lease_expires_at < ${NOW_MS} OR lease_owner = ANY($4))`,
    [owner, ttlMs, runId, staleOwners],
  );
  return changed > 0;
}

/** As SQLite's claimNextRuns (../runs.ts); rows another worker is claiming right now are skipped, not waited for. */
export async function claimNextRuns(db: PgWritable, owner: string, ttlMs: number, limit: number, staleOwners: string[] = [], exclude: string[] = []): Promise<string[]> {
  const rows = await db.rows<{ id: string }>(
    `UPDATE runs SET lease_owner = $1, lease_expires_at = ${NOW_MS} + $2 WHERE id IN (
       SELECT id FROM runs WHERE status IN ('pending', 'running', 'error', 'waiting') AND origin <> 'imported'
         AND (lease_owner IS NULL OR lease_expires_at < ${NOW_MS} OR lease_owner = ANY($3))
         AND NOT (id = ANY($4))
       ORDER BY created_at, id LIMIT $5 FOR UPDATE SKIP LOCKED)
     RETURNING id`,
    [owner, ttlMs, staleOwners, exclude, limit],
  );
  return rows.map((r) => r.id);
}

export async function releaseRun(db: PgWritable, runId: string, owner: string): Promise<void> {
  await db.run('UPDATE runs SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2', [runId, owner]);
}

export async function saveWorkflowVersion(db: PgWritable, v: WorkflowVersionRow, latest?: { name: string; file: string | null }): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO workflow_versions (hash, workflow_id, source, bundle, meta, why, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (hash) DO NOTHING`,
      [v.hash, v.workflowId, v.source, v.bundle, v.meta, v.why, v.createdAt],
    );
    if (!latest) return;
    await tx.run(
      `INSERT INTO workflows (id, name, file, latest_version, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, file = excluded.file, latest_version = excluded.latest_version, updated_at = excluded.updated_at
       WHERE (workflows.name, workflows.file, workflows.latest_version) IS DISTINCT FROM (excluded.name, excluded.file, excluded.latest_version)`,
      [v.workflowId, latest.name, latest.file, v.hash, v.createdAt],
    );
  });
}

export async function saveNamedSnapshot(db: PgWritable, n: NamedSnapshot): Promise<void> {
  await db.run(
    `INSERT INTO named_snapshots (name, workflow_id, workflow_version, config, input, created_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (name) DO UPDATE SET workflow_id = excluded.workflow_id, workflow_version = excluded.workflow_version,
       config = excluded.config, input = excluded.input, created_at = excluded.created_at`,
    [n.name, n.workflowId, n.workflowVersion, JSON.stringify(n.config), JSON.stringify(n.input), n.createdAt],
  );
}

export async function deleteNamedSnapshot(db: PgWritable, name: string): Promise<NamedSnapshot> {
  const found = await getNamedSnapshot(db, name);
  await db.run('DELETE FROM named_snapshots WHERE name = $1', [name]);
  return found;
}

export async function appendLog(db: PgWritable, line: LogLine & { runId: string }): Promise<void> {
  await db.run('INSERT INTO logs (run_id, step_id, at, level, message, data) VALUES ($1, $2, $3, $4, $5, $6)', [
    line.runId,
    line.stepId,
    line.at,
    line.level,
    line.message,
    line.data === undefined ? null : JSON.stringify(line.data),
  ]);
}

export async function setSetting(db: PgWritable, key: string, value: Json): Promise<void> {
  await db.run('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, JSON.stringify(value)]);
}

/** Retention, as ../prune.ts does it on SQLite: the first snapshot a run keeps becomes a keyframe when it was a delta. */
export async function prune(db: PgWritable, policy: RetentionPolicy, runIds?: string[]): Promise<PruneReport> {
  const report: PruneReport = { policy, runs: 0, snapshots: 0, bytes: 0 };
  if (policy.keep === 'all') return report;
  return db.transaction(async (tx) => {
    const runs = runIds
      ? (await Promise.all(runIds.map((id) => runRow(tx, id)))).filter((r) => TERMINAL.has(r.status))
      : await tx.rows<RunRow>('SELECT * FROM runs WHERE status = ANY($1)', [[...TERMINAL_STATUSES]]);
    for (const run of runs) {
      if (run.last_seq === 0) continue;
      let cut: number;
      if (policy.keep === 'last') cut = run.last_seq - policy.count;
      else cut = (await tx.row<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM snapshots WHERE run_id = $1 AND at < $2', [run.id, new Date(policy.before).toISOString()]))?.seq ?? 0;
      cut = Math.min(cut, run.last_seq - 1);
      if (cut < run.first_seq) continue;
      const keep = cut + 1;
      const first = (await tx.row<{ encoding: string; stored_size: number }>('SELECT encoding, stored_size FROM snapshots WHERE run_id = $1 AND seq = $2', [run.id, keep]))!;
      let grown = 0;
      if (first.encoding === 'delta') {
        const encoded = encodeKeyframe(await getSnapshot(tx, run.id, keep));
        await tx.run('UPDATE snapshots SET encoding = $1, body = $2, stored_size = $3, hash = $4 WHERE run_id = $5 AND seq = $6', [encoded.encoding, encoded.body, encoded.body.length, encoded.hash, run.id, keep]);
        grown = encoded.body.length - first.stored_size;
      }
      const removed = (await tx.row<{ n: number; bytes: number }>('SELECT COUNT(*) AS n, COALESCE(SUM(stored_size), 0) AS bytes FROM snapshots WHERE run_id = $1 AND seq <= $2', [run.id, cut]))!;
      await tx.run('DELETE FROM snapshots WHERE run_id = $1 AND seq <= $2', [run.id, cut]);
      await tx.run('UPDATE runs SET first_seq = $1 WHERE id = $2', [keep, run.id]);
      report.runs += 1;
      report.snapshots += removed.n;
      report.bytes += removed.bytes - grown;
    }
    return report;
  });
}

/** As SQLite's listWorkOrderPage (../workOrderPages.ts): a page of the history by keyset over the stored work orders. */
export async function listWorkOrderPage(db: PgReadable, query: WorkOrderPageQuery): Promise<WorkOrderPage> {
  const values: unknown[] = [];
  const conditions: string[] = [];
  for (const [column, value] of [['workflow_id', query.filter.workflowId], ['status', query.filter.status], ['origin', query.filter.origin]] as const) {
    if (!value) continue;
    values.push(value);
    conditions.push(`r.${column} = $${values.length}`);
  }
  const where = conditions.join(' AND ');
  // The work orders with a matching run as one set, as on SQLite.
  const hasMatch = where ? `w.root IN (SELECT r.work_order FROM runs AS r WHERE ${where})` : '';
  const count = async (sql: string, params: unknown[] = []) => Number((await db.row<{ n: string }>(sql, params))!.n);
  const total = await count('SELECT count(*) AS n FROM runs');
  const matching = where ? await count(`SELECT count(*) AS n FROM runs AS r WHERE ${where}`, values) : total;
  const workOrderCount = await count(where ? `SELECT count(DISTINCT r.work_order) AS n FROM runs AS r WHERE ${where}` : 'SELECT count(*) AS n FROM work_orders', values);
  // One index seek per workflow (there are few), not a scan of every run.
  const workflowIds = (
    await db.rows<{ id: string }>(
      `WITH RECURSIVE w (id) AS (SELECT min(workflow_id) FROM runs UNION ALL SELECT (SELECT min(workflow_id) FROM runs WHERE workflow_id > w.id) FROM w WHERE w.id IS NOT NULL)
       SELECT id FROM w WHERE id IS NOT NULL`,
    )
  ).map((r) => r.id);
  const summary = { total, matching, workOrderCount, workflowIds };
  if (query.limit <= 0) return { ...summary, workOrders: [], runs: [], more: workOrderCount > 0 };
  const params = [...values];
  const page = [hasMatch];
  if (query.after) {
    params.push(query.after[0], query.after[1]);
    page.push(`(w.newest, w.root) < ($${params.length - 1}, $${params.length})`);
  }
  params.push(query.limit + 1);
  const filters = page.filter(Boolean);
  const workOrders = await db.rows<{ root: string; newest: string }>(
    `SELECT w.root, w.newest FROM work_orders AS w ${filters.length ? `WHERE ${filters.join(' AND ')}` : ''} ORDER BY w.newest DESC, w.root DESC LIMIT $${params.length}`,
    params,
  );
  const more = workOrders.length > query.limit;
  if (more) workOrders.pop();
  const rows = await db.rows<SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM runs WHERE work_order = ANY($1)`, [workOrders.map((w) => w.root)]);
  return { ...summary, workOrders, runs: rows.map(toSummary), more };
}
