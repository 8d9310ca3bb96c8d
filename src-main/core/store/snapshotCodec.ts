// Turns snapshot documents into the bytes stored in rows and back. A run's snapshots are stored as a chain:
// a keyframe (encoding 'json-deflate', the whole document, deflated; 'json' uncompressed is still read)
// every so often, and between keyframes a delta against the previous snapshot (encoding 'delta', a
// jsondiffpatch delta with the old values dropped). Every row
// carries the sha256 of its stored bytes, checked on every read, so a corrupted row is reported by run and
// seq instead of being returned as if it were right.
import { hash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { create, type Delta } from 'jsondiffpatch';
import { StudioError } from '../../shared/errors';
import type { SnapshotDocument } from '../../shared/snapshot';
import { applyForwardDelta, applyForwardDeltaShared, forwardDelta, type ForwardDelta } from './forwardDelta';
import { migrateSnapshot } from './snapshotMigrations';

export type SnapshotEncoding = 'json' | 'json-deflate' | 'delta';

export interface EncodedSnapshot {
  encoding: SnapshotEncoding;
  body: Buffer;
  hash: string;
  /** The byte size of the whole document's JSON text. */
  size: number;
}

export interface StoredRow {
  run_id: string;
  seq: number;
  encoding: string;
  body: Buffer;
  hash: string;
}

/**
 * A keyframe at least every this many snapshots of a run whose documents are under 64 KB (see chainLength for
 * larger ones), so a read applies fewer deltas than this. On the
 * benchmark's 15 KB state a deflated keyframe is ~3.5 KB: every 32 snapshots it costs ~110 bytes each, and
 * a read inflates one keyframe (~0.15 ms) and applies at most 31 deltas (~8 µs each). Writing a keyframe
 * (the whole document's JSON, deflated) costs tens of times a delta, so it is kept this rare.
 */
export const KEYFRAME_EVERY = 32;

/**
 * A large document's chain may run longer: one delta for every this many bytes of its keyframe's JSON. Applying
 * a small delta costs a read ~10 µs, parsing a keyframe ~10 ns a byte, so the deltas' own cost stays within a
 * few keyframe parses; and a run whose few-byte steps change a 2 MB state writes a keyframe every 1,000
 * snapshots instead of every 32 (a stored copy of the whole state each time: 60 times the disk, and a file of
 * a few KB of deltas could make the import write gigabytes).
 */
export const KEYFRAME_BYTES_PER_DELTA = 2048;

/** How many snapshots a chain holds at most, its keyframe included, for a keyframe document of `bytes`. */
export const chainLength = (bytes: number) => Math.max(KEYFRAME_EVERY, Math.floor(bytes / KEYFRAME_BYTES_PER_DELTA));

/**
 * And a keyframe once the deltas since the last one would hold more than this many times its document's JSON
 * bytes, so a read parses at most that much delta text besides the keyframe: a run whose steps each change a
 * sizeable part of its state does not pile up deltas that cost more to read than the document. Twice rather
 * than once: on documents whose every step changes a sixth of them, half the keyframes (each costs a
 * JSON.stringify and a deflate to write, and takes two to three deltas' room), for at most three documents'
 * worth of JSON parsed by a read instead of two.
 */
export const DELTA_BYTES_PER_KEYFRAME_BYTE = 2;

/**
 * However small its document, a chain may hold this many bytes of deltas before that rule starts a keyframe: the
 * rule bounds what a read parses, and 16 KB of delta JSON parses in well under a millisecond, while a keyframe costs
 * 20-30 times a delta to write (a JSON.stringify and a deflate). A run of 2 KB documents whose every step changes a
 * tenth of them keeps its chains of KEYFRAME_EVERY instead of starting one every ten snapshots.
 */
export const MIN_DELTA_BYTES = 16 * 1024;

/** How many stored bytes of deltas a chain may hold after a keyframe of `keyframeBytes` of JSON. */
export const deltaBudget = (keyframeBytes: number) => Math.max(DELTA_BYTES_PER_KEYFRAME_BYTE * keyframeBytes, MIN_DELTA_BYTES);

// Deflate's fastest level: on snapshot JSON it is 2-3 times faster than the default and only ~15 % larger.
// A document of a few KB is deflated into a 4 KB output buffer rather than zlib's 16 KB default, one
// allocation a keyframe that is most of its cost at that size.
const KEYFRAME_DEFLATE = { level: 1 };
const SMALL_KEYFRAME_DEFLATE = { level: 1, chunkSize: 4096 };

// forwardDelta writes deltas in jsondiffpatch's format and applies them; jsondiffpatch's own patch reads any
// other kind of delta an older writer may have left.
const deltas = create({ arrays: { detectMove: false }, cloneDiffValues: false });

export function contentHash(bytes: string | Buffer): string {
  // The one-shot digest: no Hash object per row.
  return hash('sha256', bytes, 'hex');
}

export function encodeKeyframe(doc: SnapshotDocument): EncodedSnapshot {
  const text = Buffer.from(JSON.stringify(doc), 'utf8');
  const body = deflateRawSync(text, text.length <= 4096 ? SMALL_KEYFRAME_DEFLATE : KEYFRAME_DEFLATE);
  return { encoding: 'json-deflate', body, hash: contentHash(body), size: text.length };
}

export const isKeyframe = (encoding: string) => encoding === 'json' || encoding === 'json-deflate';

/**
 * The delta from the previous snapshot of the run (`{}` when nothing changed), or undefined when a delta
 * cannot carry the change (one under a key such as `constructor` or `__proto__`, which jsondiffpatch's
 * patch skips): such a document is stored whole by the caller.
 */
export function encodeDelta(previous: SnapshotDocument, previousSize: number, doc: SnapshotDocument): EncodedSnapshot | undefined {
  const change = forwardDelta(previous as unknown as Record<string, unknown>, doc as unknown as Record<string, unknown>);
  if (change === undefined) return undefined;
  return encodeKnownDelta(change, previousSize);
}

/**
 * A change from one document to the next that its writer already has (an import reading a delta line), so
 * the store need not diff the two: `delta` a forward delta (see forwardDelta.ts) that turns `from` into the
 * document, whose JSON is `grew` bytes longer than `from`'s.
 */
export interface KnownChange {
  from: SnapshotDocument;
  delta: ForwardDelta;
  grew: number;
  /** The delta's JSON text when the writer has it (the line it was read from): stored as it is. */
  text?: string;
}

export function encodeKnownDelta(change: { delta: ForwardDelta; grew: number; text?: string }, previousSize: number): EncodedSnapshot {
  const body = Buffer.from(change.text ?? JSON.stringify(change.delta), 'utf8');
  return { encoding: 'delta', body, hash: contentHash(body), size: previousSize + change.grew };
}

function checked(row: StoredRow): string {
  if (contentHash(row.body) !== row.hash) {
    throw new StudioError('E_SNAPSHOT_CORRUPT', `snapshot ${row.run_id}#${row.seq} is corrupted: its stored bytes do not match their hash`);
  }
  if (row.encoding !== 'json-deflate') return row.body.toString('utf8');
  try {
    return inflateRawSync(row.body).toString('utf8');
  } catch (err) {
    throw new StudioError('E_SNAPSHOT_CORRUPT', `snapshot ${row.run_id}#${row.seq} is corrupted: ${(err as Error).message}`);
  }
}

function parse(row: StoredRow, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new StudioError('E_SNAPSHOT_CORRUPT', `snapshot ${row.run_id}#${row.seq} is corrupted: ${(err as Error).message}`);
  }
}

/** The first row of a chain, parsed: it must be a keyframe. */
function keyframeOf(first: StoredRow | undefined): SnapshotDocument {
  if (!first || !isKeyframe(first.encoding)) {
    const at = first ? `${first.run_id}#${first.seq}` : 'a snapshot';
    throw new StudioError('E_SNAPSHOT_CORRUPT', `snapshot ${at} cannot be read: its chain has no keyframe`);
  }
  return parse(first, checked(first)) as SnapshotDocument;
}

/**
 * A delta row's stored change, as a chain walk read it: its JSON text as stored and the delta it parses to. Only
 * set where the walk applied it as a forward delta to the document before it in the same list (see decodeChainWalk).
 */
export interface StoredChange {
  text: string;
  delta: ForwardDelta;
}

/** A document of a chain walk, with the stored change that made it from the document before it in the walk's list, where there is one. */
export interface WalkedSnapshot {
  doc: SnapshotDocument;
  change?: StoredChange;
}

/**
 * The document after `row`'s delta: `doc` changed in place, or (`shared`) a new one sharing what did not change,
 * then with the change itself when it was a non-empty forward delta.
 */
function applied(doc: SnapshotDocument, row: StoredRow, shared: boolean): { doc: SnapshotDocument; change?: StoredChange } {
  if (row.encoding !== 'delta') {
    throw new StudioError('E_SNAPSHOT_ENCODING', `snapshot ${row.run_id}#${row.seq} uses encoding "${row.encoding}", which this build cannot read`);
  }
  const text = checked(row);
  const delta = parse(row, text) as Delta;
  if (delta && typeof delta === 'object' && !Array.isArray(delta) && Object.keys(delta).length === 0) return { doc };
  try {
    if (shared) {
      const forward = applyForwardDeltaShared(doc, delta);
      if (forward) return { doc: forward.value as SnapshotDocument, change: { text, delta: delta as ForwardDelta } };
      return { doc: deltas.patch(structuredClone(doc), delta) as SnapshotDocument };
    }
    const forward = applyForwardDelta(doc, delta);
    return { doc: (forward ? forward.value : deltas.patch(doc, delta)) as SnapshotDocument };
  } catch (err) {
    throw new StudioError('E_SNAPSHOT_CORRUPT', `snapshot ${row.run_id}#${row.seq} is corrupted: its delta does not apply (${(err as Error).message})`);
  }
}

/**
 * Rebuilds a document from its chain: rows[0] a keyframe, then the deltas up to the wanted seq, in order.
 * The result is migrated to this build's schema version (a newer one is refused).
 */
export function decodeChain(rows: StoredRow[]): SnapshotDocument {
  let doc = keyframeOf(rows[0]);
  for (let i = 1; i < rows.length; i++) doc = applied(doc, rows[i], false).doc;
  const last = rows[rows.length - 1];
  return migrateSnapshot(doc, `snapshot ${last.run_id}#${last.seq}`);
}

/**
 * Every document of a stretch of a run, walking its chain once: rows in seq order from a keyframe at or
 * before `fromSeq`, where a keyframe may follow deltas (a new chain starts). Gives the documents of the rows
 * from `fromSeq` on, each migrated as decodeChain's are. They share the parts that did not change from one
 * to the next: read them, do not change them.
 */
export function decodeChainRange(rows: StoredRow[], fromSeq: number): SnapshotDocument[] {
  return decodeChainWalk(rows, fromSeq).map((w) => w.doc);
}

/**
 * As decodeChainRange, each document with the stored change that made it from the one before it in the list:
 * set only where that change is a forward delta (store/forwardDelta.ts) and neither document was migrated, so
 * the change turns the very document before into this one (an export can write it as it is).
 */
export function decodeChainWalk(rows: StoredRow[], fromSeq: number): WalkedSnapshot[] {
  const out: WalkedSnapshot[] = [];
  let doc = keyframeOf(rows[0]);
  // Whether the last document listed is the one the walk holds, not a migrated copy of it.
  let lastAsStored = false;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    let change: StoredChange | undefined;
    // Documents before fromSeq are nobody else's: changed in place.
    if (i > 0) {
      if (isKeyframe(row.encoding)) doc = keyframeOf(row);
      else ({ doc, change } = applied(doc, row, rows[i - 1].seq >= fromSeq));
    }
    if (row.seq < fromSeq) continue;
    const migrated = migrateSnapshot(doc, `snapshot ${row.run_id}#${row.seq}`);
    out.push(change && lastAsStored && migrated === doc ? { doc: migrated, change } : { doc: migrated });
    lastAsStored = migrated === doc;
  }
  return out;
}
