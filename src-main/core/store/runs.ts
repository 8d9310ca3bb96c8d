// Runs: creating one, listing them, a run's detail (with the step that failed it), and which process drives it.
import type { RunDetail, RunMetadata, RunOrigin, RunSummary } from '../../shared/api';
import type { Json, SnapshotDocument, StepError } from '../../shared/snapshot';
import type { RunFailure } from '../../shared/stepOutcome';
import type { ReadableDB, WritableDB } from './handles';
import { runRow, SUMMARY_COLUMNS, toSummary, type RunRow, type SummaryRow } from './runRows';
import { getSnapshot, latestSnapshot } from './snapshotReads';

export interface NewRun {
  id: string;
  workflowId: string;
  workflowVersion: string;
  origin: RunOrigin;
  input: Json;
  config: Json;
  at: string;
  retryOf?: string;
  forkedFrom?: string;
  replayOf?: string;
}

export function createRun(db: WritableDB, run: NewRun): void {
  db.sql(
      `INSERT INTO runs (id, workflow_id, workflow_version, status, origin, input, config, retry_of, forked_from, replay_of, created_at, updated_at)
       VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      run.id,
      run.workflowId,
      run.workflowVersion,
      run.origin,
      JSON.stringify(run.input),
      JSON.stringify(run.config),
      run.retryOf ?? null,
      run.forkedFrom ?? null,
      run.replayOf ?? null,
      run.at,
      run.at,
    );
}

/** Who holds a run's lease, and until when (ms since the epoch, by the database's clock). */
export interface RunLease {
  owner: string;
  expiresAt: number;
}

/** The database's clock in ms: one clock for every process, wherever it runs. */
const NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

/**
 * Takes (or renews) a run's lease for `owner` for `ttlMs`, unless another owner holds a lease that is live
 * (`staleOwners` names owners known dead, whose leases are taken at once). Says whether it got it.
 */
export function claimRun(db: WritableDB, runId: string, owner: string, ttlMs: number, staleOwners: string[] = []): boolean {
  const stale = JSON.stringify(staleOwners);
  return (
    db.sql(
      `UPDATE runs SET lease_owner = ?, lease_expires_at = ${NOW_MS} + ? WHERE id = ?
       AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_at < ${NOW_MS} OR lease_owner IN (SELECT value FROM json_each(?)))`,
    ).run(owner, ttlMs, runId, owner, stale).changes > 0
  );
}

/**
 * Takes the leases of up to `limit` runs that need a driver and have none (no live lease, or one of
 * `staleOwners`), oldest first, skipping `exclude`; one statement, so two workers never take one run. Gives
 * their ids. Imported runs are records and never driven.
 */
export function claimNextRuns(db: WritableDB, owner: string, ttlMs: number, limit: number, staleOwners: string[] = [], exclude: string[] = []): string[] {
  const rows = db
    .sql(
      `UPDATE runs SET lease_owner = ?, lease_expires_at = ${NOW_MS} + ? WHERE id IN (
         SELECT id FROM runs WHERE status IN ('pending', 'running', 'error', 'waiting') AND origin <> 'imported'
           AND (lease_owner IS NULL OR lease_expires_at < ${NOW_MS} OR lease_owner IN (SELECT value FROM json_each(?)))
           AND id NOT IN (SELECT value FROM json_each(?))
         ORDER BY created_at, id LIMIT ?)
       RETURNING id`,
    )
    .all(owner, ttlMs, JSON.stringify(staleOwners), JSON.stringify(exclude), limit) as { id: string }[];
  return rows.map((r) => r.id);
}

/** Gives a run's lease back (only the owner's own). */
export function releaseRun(db: WritableDB, runId: string, owner: string): void {
  db.sql('UPDATE runs SET lease_owner = NULL, lease_expires_at = NULL WHERE id = ? AND lease_owner = ?').run(runId, owner);
}

/** A run's live lease, if any. */
export function leaseOf(db: ReadableDB, runId: string): RunLease | null {
  const row = db.sql(`SELECT lease_owner AS owner, lease_expires_at AS expiresAt FROM runs WHERE id = ? AND lease_owner IS NOT NULL AND lease_expires_at >= ${NOW_MS}`).get(runId) as RunLease | undefined;
  return row ?? null;
}

/** Runs that are neither finished nor paused, with the live lease on each (null: nobody drives it). */
export function unfinishedRuns(db: ReadableDB): { id: string; status: string; lease: RunLease | null }[] {
  const rows = db.sql(
    `SELECT id, status, CASE WHEN lease_expires_at >= ${NOW_MS} THEN lease_owner END AS owner, lease_expires_at AS expiresAt
     FROM runs WHERE status IN ('pending', 'running', 'error', 'waiting') ORDER BY created_at`,
  ).all() as { id: string; status: string; owner: string | null; expiresAt: number | null }[];
  return rows.map((r) => ({ id: r.id, status: r.status, lease: r.owner ? { owner: r.owner, expiresAt: r.expiresAt! } : null }));
}

export function listRuns(db: ReadableDB): RunSummary[] {
  const rows = db.sql(`SELECT ${SUMMARY_COLUMNS} FROM runs ORDER BY created_at DESC, id DESC`).all() as SummaryRow[];
  return rows.map(toSummary);
}

/** Each run's id with what changes when it does (status, last snapshot, update time), for spotting another process's writes. */
export function runMarks(db: ReadableDB): { id: string; mark: string }[] {
  return db.sql(`SELECT id, status || ':' || last_seq || ':' || updated_at AS mark FROM runs`).all() as { id: string; mark: string }[];
}

/** The highest run change number (schema version 8): where a watcher starts. */
export function lastRunChange(db: ReadableDB): number {
  return (db.sql('SELECT coalesce(max(change_seq), 0) AS last FROM runs').get() as { last: number }).last;
}

/** The runs changed after change number `since`, oldest change first, read by the change index. */
export function runsChangedSince(db: ReadableDB, since: number): { id: string; change: number }[] {
  return db.sql('SELECT id, change_seq AS change FROM runs WHERE change_seq > ? ORDER BY change_seq').all(since) as { id: string; change: number }[];
}

export function getRunSummary(db: ReadableDB, runId: string): RunSummary {
  return toSummary(runRow(db, runId));
}

export function getRun(db: ReadableDB, runId: string): RunDetail {
  const row = runRow(db, runId);
  const detail = detailOf(row);
  if (row.status === 'failed') {
    const failure = failureOf(db, runId);
    if (failure) detail.failure = failure;
  }
  return detail;
}

/** A failed run's last failed step, from its `step-failed` snapshot (or, pruned, its newest document). */
function failureOf(db: ReadableDB, runId: string): RunFailure | undefined {
  const row = db.sql(`SELECT seq FROM snapshots WHERE run_id = ? AND step_status = 'failed' ORDER BY seq DESC LIMIT 1`).get(runId) as { seq: number } | undefined;
  return failureIn(row?.seq, row ? getSnapshot(db, runId, row.seq) : latestSnapshot(db, runId));
}

/** The failed step of a failed run, found in its last `failed` step snapshot (seq) or else its newest document. */
export function failureIn(seq: number | undefined, doc: SnapshotDocument | undefined): RunFailure | undefined {
  const failed = doc?.stepId && doc.seq === seq ? doc.stepId : Object.keys(doc?.steps ?? {}).findLast((id) => doc!.steps[id].status === 'failed');
  const error = failed ? doc!.steps[failed].error : undefined;
  if (!failed || !error) return undefined;
  return { stepId: failed, ...(seq !== undefined ? { seq } : {}), message: error.message };
}

/** A run's row made into its detail (less its failure, which needs a snapshot read). */
export function detailOf(row: RunRow): RunDetail {
  const detail: RunDetail = { ...toSummary(row), input: JSON.parse(row.input) as Json, config: JSON.parse(row.config) as Json };
  if (row.result !== null) detail.result = JSON.parse(row.result) as Json;
  if (row.error !== null) detail.error = JSON.parse(row.error) as StepError;
  if (row.metadata !== null) detail.metadata = JSON.parse(row.metadata) as RunMetadata;
  return detail;
}
