// What a writer remembers of the runs it writes, to store each next snapshot as a delta against the last one
// (or, every so often, as a keyframe), and the appended summaries it answers with. Shared by every provider,
// so SQLite and PostgreSQL store the same bytes for the same documents.
import type { RunSummary, SnapshotSummary } from '../../shared/api';
import { StudioError } from '../../shared/errors';
import { SNAPSHOT_SCHEMA_VERSION, type SnapshotDocument } from '../../shared/snapshot';
import { isDeepStrictEqual } from 'node:util';
import { stepOutcome } from '../../shared/stepOutcome';
import { TERMINAL, toSummary, type SummaryRow } from './runRows';
import { chainLength, deltaBudget, encodeDelta, encodeKeyframe, encodeKnownDelta, type EncodedSnapshot, type KnownChange } from './snapshotCodec';

/** What the store remembers of a run it is writing: the last document, to write the next as a delta. */
interface Chain {
  doc: SnapshotDocument;
  /** JSON size of doc. */
  size: number;
  keyframeSeq: number;
  /** JSON size of the keyframe's document. */
  keyframeBytes: number;
  /** Stored bytes of the deltas since the keyframe: past deltaBudget(keyframeBytes), the next is a keyframe. */
  deltaBytes: number;
}

/** A snapshot about to be appended, with its stored form. */
export type EncodedRow = { doc: SnapshotDocument; encoded: EncodedSnapshot };

/** A snapshot appended, and its run as the same transaction left it (no second read). */
export interface Appended {
  snapshot: SnapshotSummary;
  run: RunSummary;
}

/** A batch's rows and what the chains will be once it is committed. */
export interface ChainPlan {
  rows: EncodedRow[];
  after: Map<string, Chain | undefined>;
}

/** Set by the test suite: every write is read back and compared with the document written. */
export const VERIFY_WRITES = process.env.SNAPSHOT_STUDIO_VERIFY_WRITES === '1';

export class SnapshotChains {
  private readonly chains = new Map<string, Chain>();

  /**
   * Encodes a batch: a delta needs the previous document as this writer wrote it; anything else starts a
   * keyframe. `known[i]`, when given, is docs[i]'s change from the document before it, taken as the delta
   * when that document is the one this writer has (the very object), instead of diffing the two.
   */
  plan(docs: SnapshotDocument[], known?: readonly (KnownChange | undefined)[]): ChainPlan {
    const after = new Map<string, Chain | undefined>();
    const rows = docs.map((doc, i) => {
      const chain = after.has(doc.runId) ? after.get(doc.runId) : this.chains.get(doc.runId);
      let encoded: EncodedSnapshot | undefined;
      if (chain && chain.doc.seq === doc.seq - 1 && doc.seq - chain.keyframeSeq < chainLength(chain.keyframeBytes)) {
        const change = known?.[i];
        const delta = change && change.from === chain.doc ? encodeKnownDelta(change, chain.size) : encodeDelta(chain.doc, chain.size, doc);
        if (delta && chain.deltaBytes + delta.body.length <= deltaBudget(chain.keyframeBytes)) encoded = delta;
      }
      encoded ??= encodeKeyframe(doc);
      if (TERMINAL.has(doc.status)) after.set(doc.runId, undefined);
      else if (encoded.encoding !== 'delta') after.set(doc.runId, { doc, size: encoded.size, keyframeSeq: doc.seq, keyframeBytes: encoded.size, deltaBytes: 0 });
      else after.set(doc.runId, { ...chain!, doc, size: encoded.size, deltaBytes: chain!.deltaBytes + encoded.body.length });
      return { doc, encoded };
    });
    return { rows, after };
  }

  /** Once a batch is committed, the next write builds on its documents. */
  keep(plan: ChainPlan): void {
    for (const [runId, chain] of plan.after) {
      if (chain) this.chains.set(runId, chain);
      else this.chains.delete(runId);
    }
  }

  /**
   * Whether the run row's status can be left alone: this writer wrote the snapshot before and it had the same
   * status (setting it anyway rewrites its index's page in every commit).
   */
  statusKept(first: SnapshotDocument, last: SnapshotDocument): boolean {
    const before = this.chains.get(first.runId)?.doc;
    return before?.seq === first.seq - 1 && before.status === last.status;
  }

  /** Forgets every run's chain but `except`'s. */
  clear(except?: string): void {
    const kept = except === undefined ? undefined : this.chains.get(except);
    this.chains.clear();
    if (kept) this.chains.set(except!, kept);
  }
}

/** The summaries a batch's append answers with, each document checked by `verify` when the suite asks (verifyWritten). */
export function appendedOf(rows: EncodedRow[], runs: SummaryRow[], verify: (doc: SnapshotDocument, size: number) => void): Appended[] {
  verifyWritten(rows, verify);
  return rows.map(({ doc, encoded: { size } }, i) => ({ snapshot: { seq: doc.seq, kind: doc.kind, stepId: doc.stepId, status: doc.status, stepStatus: stepOutcome(doc), at: doc.at, size }, run: toSummary(runs[i]) }));
}

/** When the suite asks (VERIFY_WRITES), each document written checked by `verify`. */
export function verifyWritten(rows: EncodedRow[], verify: (doc: SnapshotDocument, size: number) => void): void {
  if (!VERIFY_WRITES) return;
  // Documents of another schema version read back migrated (or refused), so only this version's are compared.
  for (const { doc, encoded } of rows) if (doc.schemaVersion === SNAPSHOT_SCHEMA_VERSION) verify(doc, encoded.size);
}

/** The check `verify` makes: the document read back is the one written, and its size is its JSON's. */
export function checkReadBack(doc: SnapshotDocument, size: number, read: SnapshotDocument): void {
  const text = JSON.stringify(doc);
  if (Buffer.byteLength(text) !== size) throw new Error(`verify: snapshot ${doc.runId}#${doc.seq} measured ${size} bytes, its JSON has ${Buffer.byteLength(text)}`);
  if (!isDeepStrictEqual(read, JSON.parse(text))) throw new Error(`verify: snapshot ${doc.runId}#${doc.seq} reads back different from what was written`);
}

/** The refusal of a batch whose first document of a run is not that run's next seq. */
export function seqConflict(first: SnapshotDocument, lastSeq: number): StudioError {
  return new StudioError('E_SEQ_CONFLICT', `snapshot seq ${first.seq} for run ${first.runId} refused: the next seq is ${lastSeq + 1} (another writer got there first)`);
}

/** A batch's spans of consecutive seqs of one run: each gets one update of its run row, then its rows. */
export function* runSpans(rows: EncodedRow[]): Generator<{ first: SnapshotDocument; last: SnapshotDocument; rows: EncodedRow[] }> {
  for (let i = 0; i < rows.length; ) {
    let end = i + 1;
    while (end < rows.length && rows[end].doc.runId === rows[i].doc.runId && rows[end].doc.seq === rows[end - 1].doc.seq + 1) end++;
    yield { first: rows[i].doc, last: rows[end - 1].doc, rows: rows.slice(i, end) };
    i = end;
  }
}

/** The run row's result and error as the last document of a span leaves them (JSON text, or null). */
export function outcomeColumns(last: SnapshotDocument): [result: string | null, error: string | null] {
  return [last.result === undefined ? null : JSON.stringify(last.result), last.error === undefined ? null : JSON.stringify(last.error)];
}

/** A snapshot row's columns, and its values in their order. */
export const SNAPSHOT_COLUMNS = 'run_id, seq, kind, step_id, status, step_status, at, encoding, body, size, stored_size, hash';
export function snapshotValues({ doc, encoded }: EncodedRow): unknown[] {
  return [doc.runId, doc.seq, doc.kind, doc.stepId, doc.status, stepOutcome(doc), doc.at, encoded.encoding, encoded.body, encoded.size, encoded.body.length, encoded.hash];
}
