// Reading a run's snapshots in seq order by walking its chain once (what export does): on either provider,
// every document is the one getSnapshot gives for its seq, whatever the keyframes, the window asked for, the
// schema version stored or the retention that cut the run's start; pages stay as small as asked.
import { describe, expect, it } from 'vitest';
import type { SnapshotStore, StoreReader } from '../../../src-main/core/store/contract';
import { openStore } from '../../../src-main/core/store/open';
import { snapshotsOf } from '../../../src-main/core/store/snapshotPages';
import type { SnapshotDocument } from '../../../src-main/shared/snapshot';
import { storeProviders, sqlOn } from '../../support/providers';
import { syntheticDoc, SYNTHETIC_VERSION } from '../../support/syntheticRuns';

const providers = storeProviders();

async function newRun(store: SnapshotStore, id: string): Promise<void> {
  await store.write.createRun({ id, workflowId: 'synthetic', workflowVersion: SYNTHETIC_VERSION, origin: 'local', input: null, config: {}, at: '2025-01-01T00:00:00.000Z' });
}

/** A run of `total` synthetic documents, appended `batch` at a time (each batch one transaction). */
async function writeRun(store: SnapshotStore, id: string, total: number, shape: (doc: SnapshotDocument) => SnapshotDocument = (d) => d, batch = 1): Promise<void> {
  await newRun(store, id);
  for (let seq = 1; seq <= total; seq += batch) {
    const docs: SnapshotDocument[] = [];
    for (let s = seq; s < seq + batch && s <= total; s++) docs.push(shape(syntheticDoc(id, s, total)));
    await store.write.appendSnapshots(docs);
  }
}

/** Every seq's document as getSnapshot reads it, from..to. */
async function oneByOne(read: StoreReader, runId: string, from: number, to: number): Promise<SnapshotDocument[]> {
  const docs: SnapshotDocument[] = [];
  for (let seq = from; seq <= to; seq++) docs.push(await read.getSnapshot(runId, seq));
  return docs;
}

async function encodings(store: SnapshotStore, runId: string): Promise<string[]> {
  return (await sqlOn(store, 'SELECT encoding FROM snapshots WHERE run_id = ? ORDER BY seq', [runId])).map((r) => r.encoding as string);
}

describe.each(providers)('snapshotsInOrder: a run read by walking its chain once ($name)', (provider) => {
  it('gives every document of a long run exactly as getSnapshot does, across keyframes and page windows', async () => {
    const store = await openStore(await provider.newDatabase());
    try {
      await store.write.saveWorkflowVersion({ hash: SYNTHETIC_VERSION, workflowId: 'synthetic', source: 's', bundle: 'b', meta: '{}', why: 'saved', createdAt: '2025-01-01T00:00:00.000Z' });
      await writeRun(store, 'long', 150);
      const kinds = await encodings(store, 'long');
      // Keyframes every so often, deltas between them: the walk crosses several chains.
      expect(kinds.filter((e) => e !== 'delta').length).toBeGreaterThanOrEqual(4);
      expect(kinds.filter((e) => e === 'delta').length).toBeGreaterThan(100);
      const expected = await oneByOne(store.read, 'long', 1, 150);
      expect(await store.read.snapshotsInOrder('long', 1, 150)).toEqual(expected);
      // Windows that start and end inside a chain, on a keyframe, or hold one seq.
      const keyframe = kinds.indexOf('json-deflate', 1) + 1;
      for (const [from, to] of [[40, 70], [keyframe, keyframe + 3], [keyframe - 1, keyframe], [77, 77], [150, 150], [1, 1]]) {
        expect(await store.read.snapshotsInOrder('long', from, to)).toEqual(expected.slice(from - 1, to));
      }
      expect(await store.read.snapshotsInOrder('long', 9, 8)).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('reads runs with keyframes every few snapshots, runs continued by another writer, and older schema versions', async () => {
    const database = await provider.newDatabase();
    const store = await openStore(database);
    try {
      await store.write.saveWorkflowVersion({ hash: SYNTHETIC_VERSION, workflowId: 'synthetic', source: 's', bundle: 'b', meta: '{}', why: 'saved', createdAt: '2025-01-01T00:00:00.000Z' });
      // A large value replaced at every seq: the deltas outgrow the keyframe within a few snapshots.
      await writeRun(store, 'churn', 60, (d) => ({ ...d, state: { ...d.state, blob: `${d.seq}-`.repeat(4000) } }), 7);
      const churn = await encodings(store, 'churn');
      const keyframes = churn.map((e, i) => (e === 'delta' ? 0 : i + 1)).filter(Boolean);
      expect(keyframes.length).toBeGreaterThan(10);
      expect(await store.read.snapshotsInOrder('churn', 1, 60)).toEqual(await oneByOne(store.read, 'churn', 1, 60));
      expect(await store.read.snapshotsInOrder('churn', 5, 33)).toEqual(await oneByOne(store.read, 'churn', 5, 33));
      // Schema version 1 documents are migrated on read, each, while the chain walks their stored form.
      await writeRun(store, 'old', 45, (d) => ({ ...d, schemaVersion: 1 }) as unknown as SnapshotDocument);
      const old = await store.read.snapshotsInOrder('old', 1, 45);
      expect(old).toEqual(await oneByOne(store.read, 'old', 1, 45));
      expect(old.every((d) => d.schemaVersion === 2)).toBe(true);
      expect(old[44].steps['step-0'].durationMs).toBe(1000);
      // Half a run written by one store, the rest by another (which starts with a keyframe of its own).
      await newRun(store, 'halves');
      for (let seq = 1; seq <= 10; seq++) await store.write.appendSnapshots([syntheticDoc('halves', seq, 20)]);
    } finally {
      await store.close();
    }
    const again = await openStore(database);
    try {
      for (let seq = 11; seq <= 20; seq++) await again.write.appendSnapshots([syntheticDoc('halves', seq, 20)]);
      expect((await encodings(again, 'halves'))[10]).not.toBe('delta');
      expect(await again.read.snapshotsInOrder('halves', 1, 20)).toEqual(await oneByOne(again.read, 'halves', 1, 20));
    } finally {
      await again.close();
    }
  });

  it('gives with each document the stored change that made it from the one before in the list, and none where there is no such change', async () => {
    const store = await openStore(await provider.newDatabase());
    try {
      await store.write.saveWorkflowVersion({ hash: SYNTHETIC_VERSION, workflowId: 'synthetic', source: 's', bundle: 'b', meta: '{}', why: 'saved', createdAt: '2025-01-01T00:00:00.000Z' });
      await writeRun(store, 'walked', 80);
      await writeRun(store, 'older', 10, (d) => ({ ...d, schemaVersion: 1 }) as unknown as SnapshotDocument);
      const rows = await sqlOn(store, 'SELECT seq, encoding, body FROM snapshots WHERE run_id = ? ORDER BY seq', ['walked']);
      const kinds = rows.map((r) => r.encoding as string);
      const keyframe = kinds.indexOf('json-deflate', 1) + 1;
      expect(keyframe).toBeGreaterThan(2);
      for (const [from, to] of [[1, 80], [keyframe - 2, keyframe + 2], [5, 5]]) {
        const walked = await store.read.snapshotsWithChanges('walked', from, to);
        expect(walked.map((w) => w.doc)).toEqual(await store.read.snapshotsInOrder('walked', from, to));
        walked.forEach(({ doc, change }, i) => {
          const row = rows[doc.seq - 1];
          // The first of a window, and a keyframe, have no change from the document before them in the list.
          if (i === 0 || row.encoding !== 'delta') return expect(change).toBeUndefined();
          expect(change!.text).toBe(Buffer.from(row.body as Uint8Array).toString('utf8'));
          expect(change!.delta).toEqual(JSON.parse(change!.text));
        });
      }
      // A document migrated on read is another document than the stored one the change made: no change given.
      expect((await store.read.snapshotsWithChanges('older', 1, 10)).every((w) => w.change === undefined)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('reads a pruned run from its first kept seq, and refuses seqs it does not have as getSnapshot does', async () => {
    const store = await openStore(await provider.newDatabase());
    try {
      await store.write.saveWorkflowVersion({ hash: SYNTHETIC_VERSION, workflowId: 'synthetic', source: 's', bundle: 'b', meta: '{}', why: 'saved', createdAt: '2025-01-01T00:00:00.000Z' });
      await writeRun(store, 'pruned', 100);
      const report = await store.write.prune({ keep: 'last', count: 37 }, ['pruned']);
      expect(report.snapshots).toBe(63);
      const run = await store.read.getRunSummary('pruned');
      expect(run).toMatchObject({ snapshotCount: 37, lastSeq: 100 });
      // Retention made seq 64, a delta before, a keyframe: the walk starts there.
      expect((await encodings(store, 'pruned'))[0]).not.toBe('delta');
      expect(await store.read.snapshotsInOrder('pruned', 64, 100)).toEqual(await oneByOne(store.read, 'pruned', 64, 100));
      expect(await store.read.snapshotsInOrder('pruned', 80, 90)).toEqual(await oneByOne(store.read, 'pruned', 80, 90));

      const refusal = async (from: number, to: number) => (await store.read.snapshotsInOrder('pruned', from, to).then(() => null, (e: Error) => e))!;
      const pruned = await store.read.getSnapshot('pruned', 1).then(() => null, (e: Error) => e);
      expect(pruned).toMatchObject({ code: 'E_NO_SNAPSHOT', message: expect.stringContaining('pruned') });
      expect(await refusal(1, 100)).toMatchObject({ code: 'E_NO_SNAPSHOT', message: pruned!.message });
      expect(await refusal(90, 101)).toMatchObject({ code: 'E_NO_SNAPSHOT', message: 'run pruned has no snapshot #101' });
      expect(await store.read.snapshotsInOrder('nope', 1, 2).then(() => null, (e: Error) => e)).toMatchObject({ code: 'E_NO_RUN' });
    } finally {
      await store.close();
    }
  });

  it('names the corrupted row the walk meets, as getSnapshot does', async () => {
    const store = await openStore(await provider.newDatabase());
    try {
      await store.write.saveWorkflowVersion({ hash: SYNTHETIC_VERSION, workflowId: 'synthetic', source: 's', bundle: 'b', meta: '{}', why: 'saved', createdAt: '2025-01-01T00:00:00.000Z' });
      await writeRun(store, 'bad', 20);
      await sqlOn(store, 'UPDATE snapshots SET body = ? WHERE run_id = ? AND seq = ?', [Buffer.from('{"state":[0,1]}'), 'bad', 12]);
      expect(await store.read.snapshotsInOrder('bad', 1, 20).then(() => null, (e: Error) => e)).toMatchObject({ code: 'E_SNAPSHOT_CORRUPT', message: expect.stringContaining('bad#12') });
      expect(await store.read.snapshotsInOrder('bad', 1, 11)).toEqual(await oneByOne(store.read, 'bad', 1, 11));
    } finally {
      await store.close();
    }
  });

  it('streams a run page by page (snapshotsOf), never asking for more than a page', async () => {
    const store = await openStore(await provider.newDatabase());
    try {
      await store.write.saveWorkflowVersion({ hash: SYNTHETIC_VERSION, workflowId: 'synthetic', source: 's', bundle: 'b', meta: '{}', why: 'saved', createdAt: '2025-01-01T00:00:00.000Z' });
      await writeRun(store, 'paged', 95, undefined, 10);
      const asked: [number, number][] = [];
      const spy: StoreReader = { ...store.read, snapshotsInOrder: (runId, from, to) => (asked.push([from, to]), store.read.snapshotsInOrder(runId, from, to)) };
      const docs: SnapshotDocument[] = [];
      for await (const doc of snapshotsOf(spy, 'paged', 3, 95, 20)) docs.push(doc);
      expect(docs).toEqual(await oneByOne(store.read, 'paged', 3, 95));
      expect(asked).toEqual([[3, 22], [23, 42], [43, 62], [63, 82], [83, 95]]);
    } finally {
      await store.close();
    }
  });
});
