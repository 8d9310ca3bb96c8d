// Appending snapshots to SQLite. Appends are optimistic: a write whose seq is not the run's next one is
// refused. Which document is stored as a keyframe and which as a delta is planned by snapshotChains.ts.
import { StudioError } from '../../shared/errors';
import type { SnapshotDocument } from '../../shared/snapshot';
import type { WritableDB } from './handles';
import { SUMMARY_COLUMNS, type SummaryRow } from './runRows';
import { appendedOf, checkReadBack, outcomeColumns, runSpans, seqConflict, SNAPSHOT_COLUMNS, snapshotValues, SnapshotChains, verifyWritten, type Appended, type EncodedRow } from './snapshotChains';
import type { KnownChange } from './snapshotCodec';
import { getSnapshot } from './snapshotReads';

export type { Appended } from './snapshotChains';

const INSERT_SNAPSHOT = `INSERT INTO snapshots (${SNAPSHOT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export class SnapshotAppender {
  /** Runs being written by this process: their last snapshot, so the next is stored as a delta. */
  private readonly chains = new SnapshotChains();
  /** The rows of appendSnapshots, in one transaction (see there); wrapped once, as wrapping costs on every write. */
  private readonly appendRows: (rows: EncodedRow[]) => SummaryRow[];

  constructor(private readonly db: WritableDB) {
    this.appendRows = db.transaction((rows: EncodedRow[]) => this.insertRows(rows));
  }

  /**
   * Appends snapshots (of one run or several, each run's in seq order) in one transaction: all or none.
   * The engine commits a step's end and the next step's start together, one commit per step. Each
   * document's run summary is the run as the transaction left it. `known`: see SnapshotChains.plan.
   */
  appendSnapshots(docs: SnapshotDocument[], known?: readonly (KnownChange | undefined)[]): Appended[] {
    const { rows, runs } = this.write(docs, known);
    return appendedOf(rows, runs, (doc, size) => this.verify(doc, size));
  }

  /** As appendSnapshots, answering nothing: for a writer that does not show what it wrote (the import's staging). */
  stageSnapshots(docs: SnapshotDocument[], known?: readonly (KnownChange | undefined)[]): void {
    verifyWritten(this.write(docs, known).rows, (doc, size) => this.verify(doc, size));
  }

  private write(docs: SnapshotDocument[], known?: readonly (KnownChange | undefined)[]): { rows: EncodedRow[]; runs: SummaryRow[] } {
    const plan = this.chains.plan(docs, known);
    const runs = this.appendRows(plan.rows);
    // Only once committed does the next write build on these documents.
    this.chains.keep(plan);
    return { rows: plan.rows, runs };
  }

  /**
   * Forgets the last documents kept to write each run's next snapshot as a delta (the next snapshot of any
   * run then starts a keyframe), but `except`'s. For a writer of many runs one after another, such as an
   * import, whose runs left unfinished would otherwise each keep their last document in memory.
   */
  releaseChains(except?: string): void {
    this.chains.clear(except);
  }

  private insertRows(rows: EncodedRow[]): SummaryRow[] {
    const after: SummaryRow[] = [];
    // Each span of consecutive documents of one run: one update of the run row, refused unless the
    // run's last seq is the one before the first document's (the optimistic lock), then their rows.
    for (const span of runSpans(rows)) {
      const run = this.moveRun(span.first, span.last);
      const insert = this.db.sql(INSERT_SNAPSHOT);
      for (const row of span.rows) {
        insert.run(...snapshotValues(row));
        after.push(run);
      }
    }
    return after;
  }

  /** The run row moved to `last` (the optimistic lock: refused unless its last seq is the one before `first`). */
  private moveRun(first: SnapshotDocument, last: SnapshotDocument): SummaryRow {
    // The status is left alone when this process wrote the snapshot before and it had the same status:
    // setting it anyway rewrites its index's page in every commit.
    const statusKept = this.chains.statusKept(first, last);
    const run = this.db.sql(
      `UPDATE runs SET last_seq = ?, ${statusKept ? '' : 'status = ?, '}updated_at = ?, result = ?, error = ? WHERE id = ? AND last_seq = ? RETURNING ${SUMMARY_COLUMNS}`,
    ).get(last.seq, ...(statusKept ? [] : [last.status]), last.at, ...outcomeColumns(last), last.runId, first.seq - 1) as SummaryRow | undefined;
    if (run) return run;
    const current = this.db.sql('SELECT last_seq FROM runs WHERE id = ?').get(first.runId) as { last_seq: number } | undefined;
    if (!current) throw new StudioError('E_NO_RUN', `no run with id "${first.runId}"`);
    throw seqConflict(first, current.last_seq);
  }

  private verify(doc: SnapshotDocument, size: number): void {
    checkReadBack(doc, size, getSnapshot(this.db, doc.runId, doc.seq));
  }
}
