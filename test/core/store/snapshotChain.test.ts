// Snapshots stored as deltas against keyframes: exact reads at any seq, bounded chains, corruption named
// by the row that is wrong, migration of older schema versions, and retention that keeps chains readable.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { next, startSnapshot } from '../../../src-main/core/engine/transition';
import type { StepGraph } from '../../../src-main/core/engine/stepGraph';
import { jsonSize } from '../../../src-main/core/store/jsonSize';
import { migrate1to2, migrateSnapshot } from '../../../src-main/core/store/snapshotMigrations';
import { chainLength, DELTA_BYTES_PER_KEYFRAME_BYTE, deltaBudget, KEYFRAME_BYTES_PER_DELTA, KEYFRAME_EVERY, MIN_DELTA_BYTES } from '../../../src-main/core/store/snapshotCodec';
import { Store } from '../../../src-main/core/store/store';
import type { Json, SnapshotDocument } from '../../../src-main/shared/snapshot';
import { tempDir } from '../../support/tmp';

const dir = tempDir();
let n = 0;
const dbFile = () => join(dir, `chain-${++n}.db`);
const graph: StepGraph = { tick: [] };
const items = () => Array.from({ length: 200 }, (_, i) => ({ id: `item-${i}`, name: `Item ${i}`, price: i, tags: ['a', 'b'], meta: { w: i % 7 } }));

async function seed(store: Store, runId = 'run-1'): Promise<SnapshotDocument> {
  (await store.write.saveWorkflowVersion(
    { hash: 'v1', workflowId: 'wf', source: 'src', bundle: 'code', meta: '{}', why: 'ran', createdAt: '2026-01-01T00:00:00.000Z' },
    { name: 'wf', file: 'wf.workflow.ts' },
  ));
  await store.write.createRun({ id: runId, workflowId: 'wf', workflowVersion: 'v1', origin: 'local', input: null, config: {}, at: '2026-01-01T00:00:00.000Z' });
  return startSnapshot(graph, { runId, workflowId: 'wf', workflowVersion: 'v1', input: null, config: {}, at: '2026-01-01T00:00:00.000Z', state: { items: items() } });
}

/** Writes `count` snapshots after the first: a started/completed pair per step, each changing one price. */
async function writeSteps(store: Store, first: SnapshotDocument, count: number): Promise<SnapshotDocument[]> {
  const docs = [first];
  await store.write.appendSnapshots([first]);
  let doc = first;
  for (let i = 0; docs.length <= count; i++) {
    const at = new Date(Date.parse('2026-01-01T00:00:00.000Z') + i * 1000).toISOString();
    doc = next(graph, doc, { type: 'step-started', stepId: 'tick', at });
    await store.write.appendSnapshots([doc]);
    docs.push(doc);
    const list = (doc.state.items as { price: number }[]).slice();
    list[i % 200] = { ...list[i % 200], price: list[i % 200].price + 1 };
    doc = next(graph, doc, { type: 'step-completed', stepId: 'tick', at, output: i, state: { ...doc.state, items: list as unknown as Json }, again: true });
    await store.write.appendSnapshots([doc]);
    docs.push(doc);
  }
  return docs;
}

describe('snapshot chains', () => {
  it('reads back every snapshot exactly, storing deltas between periodic keyframes', async () => {
    const store = Store.open(dbFile());
    const docs = await writeSteps(store, (await seed(store)), 300);
    for (const doc of docs) expect((await store.read.getSnapshot('run-1', doc.seq))).toEqual(JSON.parse(JSON.stringify(doc)));
    const rows = store.db.prepare('SELECT seq, encoding, stored_size AS stored, size FROM snapshots WHERE run_id = ? ORDER BY seq').all('run-1') as {
      seq: number;
      encoding: string;
      stored: number;
      size: number;
    }[];
    const keyframes = rows.filter((r) => r.encoding !== 'delta').map((r) => r.seq);
    expect(keyframes[0]).toBe(1);
    // No chain is longer than KEYFRAME_EVERY, and deltas are a small fraction of the document.
    for (let i = 1; i < keyframes.length; i++) expect(keyframes[i] - keyframes[i - 1]).toBeLessThanOrEqual(KEYFRAME_EVERY);
    expect(keyframes.length).toBeLessThan(rows.length / 10);
    const deltas = rows.filter((r) => r.encoding === 'delta');
    expect(Math.max(...deltas.map((r) => r.stored))).toBeLessThan(1000);
    // The size column is the whole document's JSON size, measured without writing the JSON out.
    for (const doc of docs) expect(rows[doc.seq - 1].size).toBe(Buffer.byteLength(JSON.stringify(doc)));
    store.close();
  });

  it('starts a keyframe once the deltas since the last would outweigh twice its document, so a read parses at most three documents of JSON', async () => {
    const store = Store.open(dbFile());
    let doc = await seed(store);
    await store.write.appendSnapshots([doc]);
    // Each step renames a third of the items at length: deltas of about a third of the document's size.
    for (let i = 0; i < 60; i++) {
      const list = (doc.state.items as { name: string }[]).map((item, j) => (j % 3 === i % 3 ? { ...item, name: `Renamed ${i}-${j} ${'x'.repeat(40)}` } : item));
      doc = { ...doc, seq: doc.seq + 1, at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), state: { items: list as unknown as Json } };
      await store.write.appendSnapshots([doc]);
    }
    const rows = store.db.prepare('SELECT seq, encoding, stored_size AS stored, size FROM snapshots WHERE run_id = ? ORDER BY seq').all('run-1') as { seq: number; encoding: string; stored: number; size: number }[];
    let keyframeSize = 0;
    let since = 0;
    const chains: { bytes: number; bound: number }[] = [];
    for (const row of rows) {
      if (row.encoding === 'delta') {
        since += row.stored;
        continue;
      }
      // A keyframe comes only when the next delta would have gone past the bound.
      if (keyframeSize > 0) chains.push({ bytes: since, bound: deltaBudget(keyframeSize) });
      // This document is large enough that twice it, not the floor, is the bound.
      expect(DELTA_BYTES_PER_KEYFRAME_BYTE * row.size).toBeGreaterThan(MIN_DELTA_BYTES);
      keyframeSize = row.size;
      since = 0;
    }
    expect(chains.length).toBeGreaterThan(3);
    const largestDelta = Math.max(...rows.filter((r) => r.encoding === 'delta').map((r) => r.stored));
    for (const { bytes, bound } of chains) {
      // Within the bound, and closed only because one more delta would have passed it.
      expect(bytes).toBeLessThanOrEqual(bound);
      expect(bytes + largestDelta).toBeGreaterThan(bound);
    }
    expect(DELTA_BYTES_PER_KEYFRAME_BYTE).toBe(2);
    store.close();
  });

  it('lets a small document\'s chain hold 16 KB of deltas before the twice-the-document rule starts a keyframe', async () => {
    const store = Store.open(dbFile());
    let doc = await seed(store);
    // A ~1 KB document whose every step replaces a ~600-byte note: each delta outweighs half the document.
    doc = { ...doc, state: { note: '' } };
    await store.write.appendSnapshots([doc]);
    for (let i = 1; i <= 100; i++) {
      doc = { ...doc, seq: doc.seq + 1, state: { note: `${i} ${'y'.repeat(600)}` } };
      await store.write.appendSnapshots([doc]);
    }
    const rows = store.db.prepare("SELECT seq, encoding, stored_size AS stored, size FROM snapshots WHERE run_id = 'run-1' ORDER BY seq").all() as { seq: number; encoding: string; stored: number; size: number }[];
    const keyframes = rows.filter((r) => r.encoding !== 'delta');
    expect(2 * keyframes[1].size).toBeLessThan(MIN_DELTA_BYTES);
    // Chains close on the floor (one more delta would pass 16 KB), far past twice the document.
    for (let k = 1; k < keyframes.length; k++) {
      const deltas = rows.filter((r) => r.seq > keyframes[k - 1].seq && r.seq < keyframes[k].seq);
      const bytes = deltas.reduce((n, r) => n + r.stored, 0);
      expect(bytes).toBeLessThanOrEqual(MIN_DELTA_BYTES);
      expect(bytes + deltas[0].stored).toBeGreaterThan(MIN_DELTA_BYTES);
      expect(bytes).toBeGreaterThan(4 * keyframes[k - 1].size);
    }
    expect(keyframes.length).toBeGreaterThan(2);
    expect(await store.read.getSnapshot('run-1', 77)).toEqual(JSON.parse(JSON.stringify({ ...doc, seq: 77, state: { note: `76 ${'y'.repeat(600)}` } })));
    store.close();
  });

  it('lets the chain of a large document run one delta per 2 KB of its keyframe, so small steps on a big state do not copy it every 32 snapshots', async () => {
    const store = Store.open(dbFile());
    let doc = await seed(store);
    // ~600 KB of state: 300 deltas a chain.
    doc = { ...doc, state: { blob: Array.from({ length: 20_000 }, (_, i) => `value number ${i} of the state`) as unknown as Json, counter: 0 } };
    await store.write.appendSnapshots([doc]);
    for (let i = 1; i <= 400; i++) {
      doc = { ...doc, seq: doc.seq + 1, state: { ...doc.state, counter: i } };
      await store.write.appendSnapshots([doc]);
    }
    const rows = store.db.prepare("SELECT seq, size FROM snapshots WHERE run_id = 'run-1' AND encoding <> 'delta' ORDER BY seq").all() as { seq: number; size: number }[];
    const length = chainLength(rows[0].size);
    expect(length).toBe(Math.floor(rows[0].size / KEYFRAME_BYTES_PER_DELTA));
    expect(length).toBeGreaterThan(250);
    expect(rows.map((r) => r.seq)).toEqual([1, 1 + length]);
    expect(await store.read.getSnapshot('run-1', 1 + length - 1)).toEqual(JSON.parse(JSON.stringify({ ...doc, seq: length, state: { ...doc.state, counter: length - 1 } })));
    // A small document's chain stays at KEYFRAME_EVERY.
    expect(chainLength(15_000)).toBe(KEYFRAME_EVERY);
    store.close();
  });

  it('starts a new keyframe when a second process continues a run (no delta against a document it did not write)', async () => {
    const file = dbFile();
    const a = Store.open(file);
    const docs = await writeSteps(a, (await seed(a)), 10);
    a.close();
    const b = Store.open(file);
    const last = docs[docs.length - 1];
    const more = next(graph, last, { type: 'step-started', stepId: 'tick', at: '2026-01-02T00:00:00.000Z' });
    await b.write.appendSnapshots([more]);
    const row = b.db.prepare('SELECT encoding FROM snapshots WHERE run_id = ? AND seq = ?').get('run-1', more.seq) as { encoding: string };
    expect(row.encoding).toBe('json-deflate');
    expect((await b.read.getSnapshot('run-1', more.seq))).toEqual(JSON.parse(JSON.stringify(more)));
    b.close();
  });

  it('names the corrupted delta row by run and seq, for it and for every snapshot built on it', async () => {
    const store = Store.open(dbFile());
    await writeSteps(store, (await seed(store)), 20);
    const row = store.db.prepare('SELECT body, encoding FROM snapshots WHERE run_id = ? AND seq = 6').get('run-1') as { body: Buffer; encoding: string };
    expect(row.encoding).toBe('delta');
    const tampered = Buffer.from(row.body.toString('utf8').replace(/\d/, (d) => String((Number(d) + 1) % 10)));
    store.db.prepare('UPDATE snapshots SET body = ? WHERE run_id = ? AND seq = 6').run(tampered, 'run-1');
    await expect(store.read.getSnapshot('run-1', 6)).rejects.toThrow('snapshot run-1#6 is corrupted');
    await expect(store.read.getSnapshot('run-1', 9)).rejects.toThrow('snapshot run-1#6 is corrupted');
    expect((await store.read.getSnapshot('run-1', 5)).seq).toBe(5);
    store.close();
  });

  it('measures JSON sizes exactly, escapes and non-ASCII included', () => {
    for (const value of [{ a: 'é"\\\n', b: [1.5, -2e-7, null, true, false, undefined], c: { '€': {} } }, [], 'plain', 1234567890123]) {
      expect(jsonSize(value)).toBe(Buffer.byteLength(JSON.stringify(value)));
    }
  });
});

describe('snapshot schema migrations', () => {
  it('migrates a version 1 document to version 2 (durations from the timestamps), as a pure function', () => {
    const v1 = {
      schemaVersion: 1,
      steps: {
        a: { status: 'completed', attempts: 1, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:01.250Z' },
        b: { status: 'pending', attempts: 0 },
      },
    };
    const frozen = JSON.stringify(v1);
    const v2 = migrate1to2(v1);
    expect(v2).toMatchObject({ schemaVersion: 2, steps: { a: { durationMs: 1250 }, b: { status: 'pending', attempts: 0 } } });
    expect((v2.steps as Record<string, object>).b).not.toHaveProperty('durationMs');
    expect(JSON.stringify(v1)).toBe(frozen);
  });

  it('reads a version 1 row migrated, and refuses a document without a whole schemaVersion', async () => {
    const store = Store.open(dbFile());
    const doc = await seed(store);
    const v1 = { ...doc, schemaVersion: 1, steps: { tick: { status: 'completed', attempts: 1, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:02.000Z' } } };
    await store.write.appendSnapshots([v1 as unknown as SnapshotDocument]);
    expect((await store.read.getSnapshot('run-1', 1))).toMatchObject({ schemaVersion: 2, steps: { tick: { durationMs: 2000 } } });
    expect(() => migrateSnapshot({ schemaVersion: 1.5 }, 'file.json:3')).toThrow('file.json:3: schemaVersion must be a whole number from 1, got 1.5');
    store.close();
  });
});

describe('snapshot chains with hostile keys', () => {
  it('stores documents whose state has __proto__, constructor or toString keys exactly (keyframes where a delta cannot)', async () => {
    const store = Store.open(dbFile());
    let doc = await seed(store);
    await store.write.appendSnapshots([doc]);
    const states = [
      JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'),
      JSON.parse('{"__proto__":{"polluted":true},"toString":"x"}'),
      JSON.parse('{"nested":{"__proto__":{"a":1}}}'),
      { valueOf: 'only' },
      {},
    ];
    for (const state of states) {
      doc = next(graph, doc, { type: 'edited', at: '2026-01-01T00:00:01.000Z', state });
      await store.write.appendSnapshots([doc]);
      const read = await store.read.getSnapshot('run-1', doc.seq);
      expect(JSON.stringify(read)).toBe(JSON.stringify(doc));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    store.close();
  });

  it('after releaseChains keeps no run\'s last document: the next snapshot starts a keyframe and reads back exactly', async () => {
    const store = Store.open(dbFile());
    const docs = await writeSteps(store, (await seed(store)), 4);
    store.write.releaseChains();
    const last = next(graph, docs[docs.length - 1], { type: 'step-started', stepId: 'tick', at: '2026-01-01T01:00:00.000Z' });
    await store.write.appendSnapshots([last]);
    const encodings = (store.db.prepare('SELECT encoding FROM snapshots WHERE run_id = ? ORDER BY seq').all('run-1') as { encoding: string }[]).map((r) => r.encoding);
    expect(encodings.slice(-2)).toEqual(['delta', 'json-deflate']);
    expect((await store.read.getSnapshot('run-1', last.seq))).toEqual(JSON.parse(JSON.stringify(last)));
    store.close();
  });
});
