// Appending snapshots. Appends are optimistic: a write whose seq is not the run's next one is refused.
// The appender remembers the last document of each run it writes, to store the next as a delta.
import type { RunSummary, SnapshotSummary } from '../../shared/api';
import { StudioError } from '../../shared/errors';
import { SNAPSHOT_SCHEMA_VERSION, type SnapshotDocument } from '../../shared/snapshot';
import { stepOutcome } from '../../shared/stepOutcome';
import { isDeepStrictEqual } from 'node:util';
import type { WritableDB } from './handles';
import { SUMMARY_COLUMNS, TERMINAL, toSummary, type SummaryRow } from './runRows';
import { encodeDelta, encodeKeyframe, KEYFRAME_EVERY, type EncodedSnapshot } from './snapshotCodec';
import { getSnapshot } from './snapshotReads';

/** What the store remembers of a run it is writing: the last document, to write the next as a delta. */
interface Chain {
  doc: SnapshotDocument;
  /** JSON size of doc. */
  size: number;
  keyframeSeq: number;
  /** JSON size of the keyframe's document. */
  keyframeBytes: number;
  /** Stored bytes of the deltas since the keyframe: past the keyframe document's size, the next is a keyframe. */
  deltaBytes: number;
}

/** A snapshot about to be appended, with its stored form. */
type EncodedRow = { doc: SnapshotDocument; encoded: EncodedSnapshot };

/** A snapshot appended, and its run as the same transaction left it (no second read). */
export interface Appended {
  snapshot: SnapshotSummary;
  run: RunSummary;
}

/** Set by the test suite: every write is read back and compared with the document written. */
const VERIFY_WRITES = process.env.SNAPSHOT_STUDIO_VERIFY_WRITES === '1';

export class SnapshotAppender {
  /** Runs being written by this process: their last snapshot, so the next is stored as a delta. */
  private readonly chains = new Map<string, Chain>();
  /** The rows of appendSnapshots, in one transaction (see there); wrapped once, as wrapping costs on every write. */
  private readonly appendRows: (rows: EncodedRow[]) => SummaryRow[];

  constructor(private readonly db: WritableDB) {
    this.appendRows = db.transaction((rows: EncodedRow[]) => this.insertRows(rows));
  }

  /**
   * Appends snapshots (of one run or several, each run's in seq order) in one transaction: all or none.
   * The engine commits a step's end and the next step's start together, one commit per step. Each
   * document's run summary is the run as the transaction left it.
   */
  appendSnapshots(docs: SnapshotDocument[]): Appended[] {
    const chains = new Map<string, Chain | undefined>();
    const rows = docs.map((doc) => {
      const chain = chains.has(doc.runId) ? chains.get(doc.runId) : this.chains.get(doc.runId);
      // A delta needs the previous document as this process wrote it; anything else starts a keyframe.
      let encoded: EncodedSnapshot | undefined;
      if (chain && chain.doc.seq === doc.seq - 1 && doc.seq - chain.keyframeSeq < KEYFRAME_EVERY) {
        const delta = encodeDelta(chain.doc, chain.size, doc);
        if (delta && chain.deltaBytes + delta.body.length <= chain.keyframeBytes) encoded = delta;
      }
      encoded ??= encodeKeyframe(doc);
      if (TERMINAL.has(doc.status)) chains.set(doc.runId, undefined);
      else if (encoded.encoding !== 'delta') chains.set(doc.runId, { doc, size: encoded.size, keyframeSeq: doc.seq, keyframeBytes: encoded.size, deltaBytes: 0 });
      else chains.set(doc.runId, { ...chain!, doc, size: encoded.size, deltaBytes: chain!.deltaBytes + encoded.body.length });
      return { doc, encoded };
    });
    const runs = this.appendRows(rows);
    // Only once committed does the next write build on these documents.
    for (const [runId, chain] of chains) {
      if (chain) this.chains.set(runId, chain);
      else this.chains.delete(runId);
    }
    return rows.map(({ doc, encoded: { size } }, i) => {
      // Documents of another schema version read back migrated (or refused), so only this version's are compared.
      if (VERIFY_WRITES && doc.schemaVersion === SNAPSHOT_SCHEMA_VERSION) this.verify(doc, size);
      return { snapshot: { seq: doc.seq, kind: doc.kind, stepId: doc.stepId, status: doc.status, stepStatus: stepOutcome(doc), at: doc.at, size }, run: toSummary(runs[i]) };
    });
  }

  /**
   * Forgets the last documents kept to write each run's next snapshot as a delta (the next snapshot of any
   * run then starts a keyframe). For a writer of many runs one after another, such as an import, whose
   * runs left unfinished would otherwise each keep their last document in memory.
   */
  releaseChains(): void {
    this.chains.clear();
  }

  private insertRows(rows: EncodedRow[]): SummaryRow[] {
    const after: SummaryRow[] = [];
    // Each run of consecutive documents of one run: one update of the run row, refused unless the
    // run's last seq is the one before the first document's (the optimistic lock), then their rows.
    for (let i = 0; i < rows.length; ) {
      const first = rows[i].doc;
      let end = i + 1;
      while (end < rows.length && rows[end].doc.runId === first.runId && rows[end].doc.seq === rows[end - 1].doc.seq + 1) end++;
      const last = rows[end - 1].doc;
      // The status is left alone when this process wrote the snapshot before and it had the same status:
      // setting it anyway rewrites its index's page in every commit.
      const before = this.chains.get(first.runId)?.doc;
      const statusKept = before?.seq === first.seq - 1 && before.status === last.status;
      const run = this.db.sql(
        `UPDATE runs SET last_seq = ?, ${statusKept ? '' : 'status = ?, '}updated_at = ?, result = ?, error = ? WHERE id = ? AND last_seq = ? RETURNING ${SUMMARY_COLUMNS}`,
      ).get(
        last.seq,
        ...(statusKept ? [] : [last.status]),
        last.at,
        last.result === undefined ? null : JSON.stringify(last.result),
        last.error === undefined ? null : JSON.stringify(last.error),
        last.runId,
        first.seq - 1,
      ) as SummaryRow | undefined;
      if (!run) {
        const current = this.db.sql('SELECT last_seq FROM runs WHERE id = ?').get(first.runId) as { last_seq: number } | undefined;
        if (!current) throw new StudioError('E_NO_RUN', `no run with id "${first.runId}"`);
        throw new StudioError(
          'E_SEQ_CONFLICT',
          `snapshot seq ${first.seq} for run ${first.runId} refused: the next seq is ${current.last_seq + 1} (another writer got there first)`,
        );
      }
      for (; i < end; i++) {
        const { doc, encoded } = rows[i];
        this.db.sql(
          `INSERT INTO snapshots (run_id, seq, kind, step_id, status, step_status, at, encoding, body, size, stored_size, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(doc.runId, doc.seq, doc.kind, doc.stepId, doc.status, stepOutcome(doc), doc.at, encoded.encoding, encoded.body, encoded.size, encoded.body.length, encoded.hash);
        after.push(run);
      }
    }
    return after;
  }

  private verify(doc: SnapshotDocument, size: number): void {
    const text = JSON.stringify(doc);
    const read = getSnapshot(this.db, doc.runId, doc.seq);
    if (Buffer.byteLength(text) !== size) throw new Error(`verify: snapshot ${doc.runId}#${doc.seq} measured ${size} bytes, its JSON has ${Buffer.byteLength(text)}`);
    if (!isDeepStrictEqual(read, JSON.parse(text))) throw new Error(`verify: snapshot ${doc.runId}#${doc.seq} reads back different from what was written`);
  }
}
