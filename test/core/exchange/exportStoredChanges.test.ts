// An export writes a snapshot's stored change as it is stored when that change is also the change between the
// two redacted documents (no redaction of the document, no diff, no second JSON.stringify), and diffs the
// redacted documents otherwise: a change not in the exact form an import reads, one that names a key the
// redaction replaces, or one that touches a member in which the document before had a value redacted. Either
// way the file imports as the same documents as a file of whole documents, with the same count of redacted values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../src-main/core/exchange/importer';
import { exportRuns } from '../../../src-main/core/exchange/native/exporter';
import { forwardDelta } from '../../../src-main/core/store/forwardDelta';
import { Store } from '../../../src-main/core/store/store';
import type { SnapshotDocument } from '../../../src-main/shared/snapshot';
import { seedSyntheticRuns, syntheticDoc } from '../../support/syntheticRuns';
import { tempDir } from '../../support/tmp';

const dir = tempDir('studio-export-stored-changes-');
const SNAPSHOTS = 6;
let source: Store;
/** Each run's stored change texts by seq, as written into the store. */
const stored = new Map<string, Map<number, string>>();

/** JSON with a space after every colon and comma outside strings: the same value, other bytes. */
function spaced(value: unknown): string {
  if (Array.isArray(value)) return `[ ${value.map(spaced).join(', ')} ]`;
  if (value !== null && typeof value === 'object') return `{ ${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${spaced(v)}`).join(', ')} }`;
  return JSON.stringify(value);
}

const size = (doc: SnapshotDocument) => Buffer.byteLength(JSON.stringify(doc));

/**
 * A run whose documents are `shape(seq)` applied to synthetic ones, stored with each later one's change given as
 * `text(before, after)` (by default the forward delta, spaced), the way an import stores the delta lines it read.
 */
async function storeRun(id: string, shape: (doc: SnapshotDocument, seq: number) => SnapshotDocument, text?: (before: SnapshotDocument, after: SnapshotDocument) => string) {
  const docs = Array.from({ length: SNAPSHOTS }, (_, i) => shape(syntheticDoc(id, i + 1, SNAPSHOTS), i + 1));
  await source.write.createRun({ id, workflowId: 'synthetic', workflowVersion: docs[0].workflowVersion, origin: 'local', input: docs[0].input, config: docs[0].config, at: `2025-01-0${stored.size + 1}T00:00:00.000Z` });
  const texts = new Map<number, string>();
  source.sync.write.appendSnapshots([docs[0]]);
  for (let i = 1; i < docs.length; i++) {
    const delta = text ? text(docs[i - 1], docs[i]) : spaced(forwardDelta(docs[i - 1] as never, docs[i] as never)!.delta);
    texts.set(i + 1, delta);
    source.sync.write.appendSnapshots([docs[i]], [{ from: docs[i - 1], delta: JSON.parse(delta) as Record<string, unknown>, grew: size(docs[i]) - size(docs[i - 1]), text: delta }]);
  }
  stored.set(id, texts);
}

/** Each snapshot line of a run in an export file, as its text, by seq. */
function snapshotLines(file: string, runId: string): Map<number, string> {
  const out = new Map<number, string>();
  let current = '';
  for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const value = JSON.parse(line) as { type: string; id?: string; seq?: number; document?: { seq: number } };
    if (value.type === 'run') current = value.id!;
    else if (value.type === 'snapshot' && current === runId) out.set(value.seq ?? value.document!.seq, line);
  }
  return out;
}

const withState = (extra: Record<string, unknown>) => (doc: SnapshotDocument) => ({ ...doc, state: { ...(doc.state as object), ...extra } }) as SnapshotDocument;

let deltas: string;
let whole: string;
let result: Awaited<ReturnType<typeof exportRuns>>;
let wholeResult: Awaited<ReturnType<typeof exportRuns>>;

beforeAll(async () => {
  source = Store.open(join(dir, 'source.db'));
  await seedSyntheticRuns(source, 0, 0);
  await storeRun('plain', (doc) => doc);
  // The key is redacted in every document, but no change touches the config.
  await storeRun('config-secret', (doc) => ({ ...doc, config: { ...(doc.config as object), apiKey: 'sk-live-1' } }) as SnapshotDocument);
  // Every change touches the state, in which the document before had a value redacted.
  await storeRun('state-secret', withState({ auth: { token: 't-1' } }));
  // From seq 3 the state holds a password: that change names it.
  await storeRun('gains-secret', (doc, seq) => (seq >= 3 ? withState({ password: 'hunter2' })(doc) : doc));
  // Changes stored in jsondiffpatch's own form, with the old values: an import refuses those. Only the time,
  // the seq and the counter change from one document to the next.
  const first = syntheticDoc('old-form', 1, SNAPSHOTS);
  const counter = (doc: SnapshotDocument) => (doc.state as { counter: number }).counter;
  await storeRun(
    'old-form',
    (doc, seq) => ({ ...first, seq, at: doc.at, state: { ...(first.state as object), counter: seq } }) as SnapshotDocument,
    (before, after) => JSON.stringify({ at: [before.at, after.at], seq: [before.seq, after.seq], state: { counter: [counter(before), counter(after)] } }),
  );
  deltas = join(dir, 'deltas.ssx.ndjson');
  whole = join(dir, 'whole.ssx.ndjson');
  result = await exportRuns(source.read, { since: '2000-01-01', out: deltas });
  wholeResult = await exportRuns(source.read, { since: '2000-01-01', out: whole, wholeDocuments: true });
});
afterAll(() => source.close());

describe('export: a stored change written as it is stored', () => {
  it('writes the stored change byte for byte where it is the change between the redacted documents', () => {
    for (const runId of ['plain', 'config-secret']) {
      const lines = snapshotLines(deltas, runId);
      // A change the store kept as a delta row (a keyframe starts a new chain: its change is diffed).
      const rows = source.db.prepare("SELECT seq, body FROM snapshots WHERE run_id = ? AND encoding = 'delta'").all(runId) as { seq: number; body: Buffer }[];
      expect(rows.length).toBeGreaterThanOrEqual(3);
      for (const { seq, body } of rows) {
        expect(body.toString('utf8')).toBe(stored.get(runId)!.get(seq));
        expect(lines.get(seq)).toBe(`{"type":"snapshot","seq":${seq},"delta":${body.toString('utf8')}}`);
      }
    }
  });

  it('diffs the redacted documents where the change touches a member with a redacted value, names a redacted key, or is not in the import form', () => {
    const state = snapshotLines(deltas, 'state-secret');
    for (const [seq, text] of stored.get('state-secret')!) {
      expect(state.get(seq)).not.toBe(`{"type":"snapshot","seq":${seq},"delta":${text}}`);
      expect(state.get(seq)).toBe(JSON.stringify(JSON.parse(state.get(seq)!)));
    }
    const gains = snapshotLines(deltas, 'gains-secret');
    // The change that brings the password is diffed (and the password redacted); the one before it is not.
    expect(gains.get(2)).toBe(`{"type":"snapshot","seq":2,"delta":${stored.get('gains-secret')!.get(2)}}`);
    expect(gains.get(3)).not.toBe(`{"type":"snapshot","seq":3,"delta":${stored.get('gains-secret')!.get(3)}}`);
    expect(gains.get(3)).not.toContain('hunter2');
    expect(gains.get(3)).toContain('"password":["[redacted]"]');
    const old = snapshotLines(deltas, 'old-form');
    for (const seq of stored.get('old-form')!.keys()) {
      expect(JSON.parse(old.get(seq)!)).toEqual({ type: 'snapshot', seq, delta: { at: [0, syntheticDoc('old-form', seq, SNAPSHOTS).at], seq: [0, seq], state: { counter: [0, seq] } } });
    }
  });

  it('imports as the same documents as a file of whole documents, with the same count of redacted values', async () => {
    expect(result.redacted).toBe(wholeResult.redacted);
    expect(result.redacted).toBeGreaterThan(0);
    const trailerOf = (file: string) => JSON.parse(readFileSync(file, 'utf8').trim().split('\n').pop()!) as { redacted: unknown };
    expect(trailerOf(deltas).redacted).toEqual(trailerOf(whole).redacted);
    const fromDeltas = Store.open(join(dir, 'from-deltas.db'));
    const fromWhole = Store.open(join(dir, 'from-whole.db'));
    try {
      await importFiles(fromDeltas, [deltas]);
      await importFiles(fromWhole, [whole]);
      for (const runId of stored.keys()) {
        for (let seq = 1; seq <= SNAPSHOTS; seq++) expect(fromDeltas.sync.read.getSnapshot(runId, seq)).toEqual(fromWhole.sync.read.getSnapshot(runId, seq));
      }
      expect(JSON.stringify(fromDeltas.sync.read.getSnapshot('state-secret', 4).state)).toContain('"token":"[redacted]"');
      expect(JSON.stringify(fromDeltas.sync.read.getSnapshot('config-secret', 4).config)).toContain('"apiKey":"[redacted]"');
    } finally {
      fromDeltas.close();
      fromWhole.close();
    }
  });
});
