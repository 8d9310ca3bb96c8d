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

/** Records which process drives a run (null: none). */
export function setRunner(db: WritableDB, runId: string, pid: number | null): void {
  db.sql('UPDATE runs SET runner_pid = ? WHERE id = ?').run(pid, runId);
}

/** The process that drives a run now, if any. */
export function runnerOf(db: ReadableDB, runId: string): number | null {
  return (db.sql('SELECT runner_pid AS pid FROM runs WHERE id = ?').get(runId) as { pid: number | null } | undefined)?.pid ?? null;
}

/** Runs that are neither finished nor paused, with the process that last drove them. */
export function unfinishedRuns(db: ReadableDB): { id: string; runnerPid: number | null }[] {
  return db.sql(`SELECT id, runner_pid AS runnerPid FROM runs WHERE status IN ('pending', 'running', 'error', 'waiting') ORDER BY created_at`)
    .all() as { id: string; runnerPid: number | null }[];
}

export function listRuns(db: ReadableDB): RunSummary[] {
  const rows = db.sql(`SELECT ${SUMMARY_COLUMNS} FROM runs ORDER BY created_at DESC, id DESC`).all() as SummaryRow[];
  return rows.map(toSummary);
}

/** Each run's id with what changes when it does (status, last snapshot, update time), for spotting another process's writes. */
export function runMarks(db: ReadableDB): { id: string; mark: string }[] {
  return db.sql(`SELECT id, status || ':' || last_seq || ':' || updated_at AS mark FROM runs`).all() as { id: string; mark: string }[];
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
