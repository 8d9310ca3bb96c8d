// Reading a run's snapshots: pages of summaries, whole documents (decoded from their keyframe and deltas,
// checked against their hashes), and the seqs the debugger and the replay look for.
import type { SnapshotSummary } from '../../shared/api';
import { StudioError } from '../../shared/errors';
import type { SnapshotDocument } from '../../shared/snapshot';
import type { ReadableDB } from './handles';
import { runRow, toSummary, type RunRow } from './runRows';
import { decodeChain, decodeChainRange, decodeChainWalk, type StoredRow, type WalkedSnapshot } from './snapshotCodec';

export function getSnapshot(db: ReadableDB, runId: string, seq: number): SnapshotDocument {
  // The chain from the nearest keyframe at or before seq up to seq.
  const rows = db.sql(CHAIN_SQL).all({ runId, seq }) as StoredRow[];
  if (rows.length === 0 || rows[rows.length - 1].seq !== seq) throw noSnapshot(runRow(db, runId), seq);
  return decodeChain(rows);
}

/** The chain from the nearest keyframe at or before @seq up to @seq (named parameters: @runId, @seq). */
export const CHAIN_SQL = `SELECT run_id, seq, encoding, body, hash FROM snapshots WHERE run_id = @runId AND seq <= @seq AND seq >=
  (SELECT MAX(seq) FROM snapshots WHERE run_id = @runId AND seq <= @seq AND encoding <> 'delta') ORDER BY seq`;

/**
 * The documents of seqs fromSeq..toSeq of a run, each as getSnapshot gives it, read by walking the chain once
 * from the keyframe at or before fromSeq (one query, not one chain per seq). A seq the run does not have is
 * refused as getSnapshot refuses it. The caller keeps the window small (snapshotPages.ts pages a whole run);
 * the documents share their unchanged parts, so they are read, never changed.
 */
export function snapshotsInOrder(db: ReadableDB, runId: string, fromSeq: number, toSeq: number): SnapshotDocument[] {
  return toSeq < fromSeq ? [] : decodeChainRange(rangeRows(db, runId, fromSeq, toSeq), fromSeq);
}

/**
 * As snapshotsInOrder, each document with the stored change that made it from the one before it in the list,
 * where that is a forward delta (see decodeChainWalk): what an export writes as it is instead of diffing again.
 */
export function snapshotsWithChanges(db: ReadableDB, runId: string, fromSeq: number, toSeq: number): WalkedSnapshot[] {
  return toSeq < fromSeq ? [] : decodeChainWalk(rangeRows(db, runId, fromSeq, toSeq), fromSeq);
}

function rangeRows(db: ReadableDB, runId: string, fromSeq: number, toSeq: number): StoredRow[] {
  const rows = db.sql(RANGE_SQL).all({ runId, fromSeq, toSeq }) as StoredRow[];
  const missing = missingSeq(rows, fromSeq, toSeq);
  if (missing !== undefined) throw noSnapshot(runRow(db, runId), missing);
  return rows;
}

/** The rows from the nearest keyframe at or before @fromSeq up to @toSeq (named parameters: @runId, @fromSeq, @toSeq). */
export const RANGE_SQL = `SELECT run_id, seq, encoding, body, hash FROM snapshots WHERE run_id = @runId AND seq <= @toSeq AND seq >=
  (SELECT MAX(seq) FROM snapshots WHERE run_id = @runId AND seq <= @fromSeq AND encoding <> 'delta') ORDER BY seq`;

/** The first seq of fromSeq..toSeq that snapshotsInOrder's rows lack, or undefined when the window is whole. */
export function missingSeq(rows: StoredRow[], fromSeq: number, toSeq: number): number | undefined {
  let expected = fromSeq;
  for (const row of rows) {
    if (row.seq < fromSeq) continue;
    if (row.seq !== expected) break;
    expected++;
  }
  return expected === toSeq + 1 ? undefined : expected;
}

/** Why a run has no snapshot of this seq: pruned, or never written. */
export function noSnapshot(run: Pick<RunRow, 'id' | 'first_seq' | 'last_seq'>, seq: number): StudioError {
  if (seq >= 1 && seq < run.first_seq && seq <= run.last_seq) {
    return new StudioError('E_NO_SNAPSHOT', `run ${run.id} has no snapshot #${seq}: it was pruned (its snapshots start at #${run.first_seq})`);
  }
  return new StudioError('E_NO_SNAPSHOT', `run ${run.id} has no snapshot #${seq}`);
}

export function latestSnapshot(db: ReadableDB, runId: string): SnapshotDocument | undefined {
  const last = runRow(db, runId).last_seq;
  return last > 0 ? getSnapshot(db, runId, last) : undefined;
}

export function countSnapshots(db: ReadableDB, runId: string): number {
  return toSummary(runRow(db, runId)).snapshotCount;
}

export function listSnapshots(db: ReadableDB, runId: string, offset: number, limit: number): SnapshotSummary[] {
  // A run's seqs run without gaps from first_seq (appends are refused unless next; pruning removes a
  // prefix), so the page starts at a seq found through the primary key, not by skipping `offset` rows:
  // the last page of a 100,000-snapshot run costs what the first does.
  const run = runRow(db, runId);
  return db.sql(
      `SELECT seq, kind, step_id AS stepId, status, step_status AS stepStatus, at, size FROM snapshots
       WHERE run_id = ? AND seq >= ? ORDER BY seq LIMIT ?`,
    )
    .all(runId, run.first_seq + offset, limit) as SnapshotSummary[];
}

/** The first snapshot of a run matching kind and step, oldest first. */
export function findSnapshotSeq(db: ReadableDB, runId: string, kind: string, stepId: string): number | undefined {
  const row = db.sql('SELECT seq FROM snapshots WHERE run_id = ? AND kind = ? AND step_id = ? ORDER BY seq LIMIT 1')
    .get(runId, kind, stepId) as { seq: number } | undefined;
  return row?.seq;
}

/** The first or the last snapshot a step made, of any kind. */
export function stepSnapshotSeq(db: ReadableDB, runId: string, stepId: string, which: 'first' | 'last'): number | undefined {
  const order = which === 'first' ? 'ASC' : 'DESC';
  const row = db.sql(`SELECT seq FROM snapshots WHERE run_id = ? AND step_id = ? ORDER BY seq ${order} LIMIT 1`).get(runId, stepId) as { seq: number } | undefined;
  return row?.seq;
}

/** Each step's last `step-completed` snapshot. */
export function lastCompletions(db: ReadableDB, runId: string): { stepId: string; seq: number }[] {
  return db.sql(`SELECT step_id AS stepId, MAX(seq) AS seq FROM snapshots WHERE run_id = ? AND kind = 'step-completed' AND step_id IS NOT NULL GROUP BY step_id`)
    .all(runId) as { stepId: string; seq: number }[];
}
