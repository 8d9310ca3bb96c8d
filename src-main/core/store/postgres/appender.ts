// Appending snapshots to PostgreSQL: the same rows SQLite writes (planned by ../snapshotChains.ts), in one
// statement per run of the batch (the engine's batches are of one run: one round trip, no BEGIN and COMMIT),
// a batch of several runs in one transaction, with one update of each run's row, refused unless the run's
// last seq is the one before the batch's first. Two writers of one run on two hosts: the row lock makes the second wait, then
// its `last_seq = $prev` no longer matches, so exactly one wins. Batches are sent in the order they were
// asked for, one at a time, as the engine's concurrent flushes expect of SQLite's synchronous writes.
import { SNAPSHOT_SCHEMA_VERSION, type SnapshotDocument } from '../../../shared/snapshot';
import { StudioError } from '../../../shared/errors';
import { SUMMARY_COLUMNS, type SummaryRow } from '../runRows';
import { appendedOf, checkReadBack, outcomeColumns, runSpans, seqConflict, SNAPSHOT_COLUMNS, snapshotValues, SnapshotChains, VERIFY_WRITES, type Appended } from '../snapshotChains';
import type { PgWritable } from './handles';
import { getSnapshot } from './queries';

type Span = ReturnType<typeof runSpans> extends Iterable<infer S> ? S : never;

/** The PostgreSQL types of SNAPSHOT_COLUMNS, in its order: the VALUES of an INSERT … SELECT are typed by hand. */
const SNAPSHOT_TYPES = ['text', 'bigint', 'text', 'text', 'text', 'text', 'text', 'text', 'bytea', 'bigint', 'bigint', 'text'];

/** Spans of up to this many rows go through a prepared statement (one per size); longer ones are sent as text. */
const PREPARED_SPAN_ROWS = 4;

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
    const spans = [...runSpans(plan.rows)];
    // The engine's batches hold one run's snapshots: one statement, autocommitted, one round trip.
    const runs =
      spans.length === 1
        ? await this.insertSpan(this.db, spans[0])
        : await this.db.transaction(async (tx) => {
            const after: SummaryRow[] = [];
            for (const span of spans) after.push(...(await this.insertSpan(tx, span)));
            return after;
          });
    this.chains.keep(plan);
    // The suite's read-back check (see appendedOf) needs a read here, which is asynchronous: made before.
    const readBack = new Map<SnapshotDocument, SnapshotDocument>();
    if (VERIFY_WRITES) {
      for (const { doc } of plan.rows) if (doc.schemaVersion === SNAPSHOT_SCHEMA_VERSION) readBack.set(doc, await getSnapshot(this.db, doc.runId, doc.seq));
    }
    return appendedOf(plan.rows, runs, (doc, size) => checkReadBack(doc, size, readBack.get(doc)!));
  }

  /**
   * One run's span in one statement: the run row's update, and the rows inserted only if it matched (the
   * insert reads the update's RETURNING), so a refused span writes nothing.
   */
  private async insertSpan(db: PgWritable, span: Span): Promise<SummaryRow[]> {
    const { first, last } = span;
    const statusKept = this.chains.statusKept(first, last);
    const params: unknown[] = [last.seq, last.at, ...outcomeColumns(last), last.runId, first.seq - 1];
    if (!statusKept) params.push(last.status);
    const tuples = span.rows.map((row) => `(${snapshotValues(row).map((value, k) => `$${params.push(value)}::${SNAPSHOT_TYPES[k]}`).join(', ')})`);
    // The engine's spans come in a few shapes (one or two rows, the status kept or not): each prepared once per
    // connection, so the server neither parses nor plans the statement again at every step.
    const name = span.rows.length <= PREPARED_SPAN_ROWS ? `append_span_${span.rows.length}${statusKept ? '' : '_status'}` : undefined;
    const [run] = await db.preparedRows<SummaryRow>(
      name,
      `WITH run AS (
         UPDATE runs SET last_seq = $1, ${statusKept ? '' : 'status = $7, '}updated_at = $2, result = $3, error = $4 WHERE id = $5 AND last_seq = $6 RETURNING ${SUMMARY_COLUMNS}
       ), added AS (
         INSERT INTO snapshots (${SNAPSHOT_COLUMNS}) SELECT * FROM (VALUES ${tuples.join(', ')}) AS v WHERE EXISTS (SELECT 1 FROM run)
       )
       SELECT * FROM run`,
      params,
    );
    if (!run) {
      const current = await db.row<{ last_seq: number }>('SELECT last_seq FROM runs WHERE id = $1', [first.runId]);
      if (!current) throw new StudioError('E_NO_RUN', `no run with id "${first.runId}"`);
      throw seqConflict(first, current.last_seq);
    }
    return span.rows.map(() => run);
  }
}
