// Appending snapshots to PostgreSQL: the same rows SQLite writes (planned by ../snapshotChains.ts), in one
// transaction per batch with one update of each run's row, refused unless the run's last seq is the one
// before the batch's first. Two writers of one run on two hosts: the row lock makes the second wait, then
// its `last_seq = $prev` no longer matches, so exactly one wins. Batches are sent in the order they were
// asked for, one at a time, as the engine's concurrent flushes expect of SQLite's synchronous writes.
import { SNAPSHOT_SCHEMA_VERSION, type SnapshotDocument } from '../../../shared/snapshot';
import { StudioError } from '../../../shared/errors';
import { SUMMARY_COLUMNS, type SummaryRow } from '../runRows';
import { appendedOf, checkReadBack, outcomeColumns, runSpans, seqConflict, SNAPSHOT_COLUMNS, snapshotValues, SnapshotChains, VERIFY_WRITES, type Appended, type EncodedRow } from '../snapshotChains';
import type { PgWritable } from './handles';
import { getSnapshot } from './queries';

export class PgSnapshotAppender {
  private readonly chains = new SnapshotChains();
  /** The batch being written: the next waits for it. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly db: PgWritable) {}

  appendSnapshots(docs: SnapshotDocument[]): Promise<Appended[]> {
    const turn = this.queue.then(() => this.append(docs));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  releaseChains(): void {
    this.chains.clear();
  }

  private async append(docs: SnapshotDocument[]): Promise<Appended[]> {
    const plan = this.chains.plan(docs);
    const runs = await this.db.transaction((tx) => this.insertRows(tx, plan.rows));
    this.chains.keep(plan);
    // The suite's read-back check (see appendedOf) needs a read here, which is asynchronous: made before.
    const readBack = new Map<SnapshotDocument, SnapshotDocument>();
    if (VERIFY_WRITES) {
      for (const { doc } of plan.rows) if (doc.schemaVersion === SNAPSHOT_SCHEMA_VERSION) readBack.set(doc, await getSnapshot(this.db, doc.runId, doc.seq));
    }
    return appendedOf(plan.rows, runs, (doc, size) => checkReadBack(doc, size, readBack.get(doc)!));
  }

  private async insertRows(tx: PgWritable, rows: EncodedRow[]): Promise<SummaryRow[]> {
    const after: SummaryRow[] = [];
    for (const span of runSpans(rows)) {
      const { first, last } = span;
      const statusKept = this.chains.statusKept(first, last);
      const params: unknown[] = [last.seq, last.at, ...outcomeColumns(last), last.runId, first.seq - 1];
      if (!statusKept) params.push(last.status);
      const run = await tx.row<SummaryRow>(
        `UPDATE runs SET last_seq = $1, ${statusKept ? '' : 'status = $7, '}updated_at = $2, result = $3, error = $4 WHERE id = $5 AND last_seq = $6 RETURNING ${SUMMARY_COLUMNS}`,
        params,
      );
      if (!run) {
        const current = await tx.row<{ last_seq: number }>('SELECT last_seq FROM runs WHERE id = $1', [first.runId]);
        if (!current) throw new StudioError('E_NO_RUN', `no run with id "${first.runId}"`);
        throw seqConflict(first, current.last_seq);
      }
      // The span's rows in one statement: one round trip, not one per snapshot.
      const values = span.rows.flatMap(snapshotValues);
      const tuples = span.rows.map((_, r) => `(${Array.from({ length: 12 }, (_, k) => `$${r * 12 + k + 1}`).join(', ')})`);
      await tx.run(`INSERT INTO snapshots (${SNAPSHOT_COLUMNS}) VALUES ${tuples.join(', ')}`, values);
      for (let n = 0; n < span.rows.length; n++) after.push(run);
    }
    return after;
  }
}
