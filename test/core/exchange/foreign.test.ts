// The import pipeline with a foreign adapter: the file's format is detected from its content, the adapter's
// runs are stored as imported runs whose workflow version is their step graph (no code), and a bad record
// from the adapter is refused with the file and row, leaving the database as it was.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../src-main/core/exchange/importer';
import { exportRuns } from '../../../src-main/core/exchange/native/exporter';
import { ImportError, type ForeignAdapter, type ImportedRun } from '../../../src-main/core/exchange/types';
import { Store } from '../../../src-main/core/store/store';
import type { SnapshotDocument } from '../../../src-main/shared/snapshot';
import { databaseFingerprint } from '../../support/fingerprint';
import { seedSyntheticRuns } from '../../support/syntheticRuns';
import { tempDir } from '../../support/tmp';

const dir = tempDir('studio-exchange-foreign-');
const dbFile = join(dir, 'studio.db');
let store: Store;

/** A refluxo-like file: `{"fixture":"refluxo-test","runs":[{id, steps:[...], history:[{status, state}]}]}`. */
interface FixtureRun {
  id: string;
  steps: { id: string; needs: string[] }[];
  history: { status: 'running' | 'completed'; state: Record<string, unknown>; seq?: number }[];
}

function docOf(runId: string, i: number, h: FixtureRun['history'][number], file: string): SnapshotDocument {
  return {
    schemaVersion: 2,
    runId,
    workflowId: 'orders',
    workflowVersion: 'unknown',
    seq: h.seq ?? i + 1,
    kind: 'imported',
    stepId: null,
    status: h.status,
    at: `2025-02-01T00:00:0${i}.000Z`,
    input: null,
    config: {},
    state: h.state as SnapshotDocument['state'],
    steps: {},
    cursor: { ready: [], running: [], waiting: [], timers: [] },
    metadata: { original: h as never, source: { file, row: i + 1 } },
  };
}

function runOf(r: FixtureRun, file: string): ImportedRun {
  const runId = `refluxo-${r.id}`;
  const snapshots = r.history.map((h, i) => docOf(runId, i, h, file));
  return { format: 'refluxo', runId, foreignRunId: r.id, workflow: { id: 'orders', steps: r.steps }, status: snapshots[snapshots.length - 1].status, input: null, config: {}, createdAt: '2025-02-01T00:00:00.000Z', snapshots };
}

const testAdapter: ForeignAdapter = {
  format: 'refluxo',
  detect: ({ head }) => head.includes('"fixture":"refluxo-test"'),
  async read(files) {
    return files.flatMap((file) => (JSON.parse(readFileSync(file, 'utf8')) as { runs: FixtureRun[] }).runs.map((r) => runOf(r, file)));
  },
};

const steps = [{ id: 'fetch', needs: [] }, { id: 'charge', needs: ['fetch'] }];

function fixture(name: string, runs: FixtureRun[]): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify({ fixture: 'refluxo-test', runs }));
  return file;
}

const fingerprint = () => databaseFingerprint(store);

beforeAll(() => {
  store = Store.open(dbFile);
});
afterAll(() => store.close());

describe('importing a foreign format through its adapter', () => {
  it('detects the format, stores imported runs, and keeps the step graph as the version instead of code', async () => {
    const file = fixture('two-runs.json', [
      { id: 'a1', steps, history: [{ status: 'running', state: { n: 1 } }, { status: 'completed', state: { n: 2 } }] },
      { id: 'b2', steps, history: [{ status: 'completed', state: {} }] },
    ]);
    const summary = await importFiles(store, [file], { adapters: [testAdapter] });
    expect(summary).toMatchObject({ runs: 2, snapshots: 3, skipped: 0, formats: [{ file, format: 'refluxo' }] });
    const run = await store.read.getRun('refluxo-a1');
    expect(run).toMatchObject({ origin: 'imported', status: 'completed', workflowId: 'orders', snapshotCount: 2 });
    const version = (await store.read.getWorkflowVersion(run.workflowVersion))!;
    expect(version).toMatchObject({ why: 'imported', bundle: '', workflowId: 'orders' });
    expect(JSON.parse(version.source)).toEqual({ id: 'orders', steps });
    expect(version.hash).toBe(createHash('sha256').update(version.source).digest('hex').slice(0, 16));
    const doc = await store.read.getSnapshot('refluxo-a1', 2);
    expect(doc).toMatchObject({ workflowVersion: version.hash, state: { n: 2 }, metadata: { original: { status: 'completed', state: { n: 2 } }, source: { file, row: 2 } } });

    expect(await importFiles(store, [file], { adapters: [testAdapter] })).toMatchObject({ runs: 0, skipped: 2 });
  });

  it('refuses a file no format recognises', async () => {
    const file = join(dir, 'mystery.json');
    writeFileSync(file, '{"hello":"world"}');
    await expect(importFiles(store, [file], { adapters: [testAdapter] })).rejects.toThrow(/mystery\.json: unknown format.*expected a native export \(\.ssx\.ndjson\), refluxo, got JSON of a shape none of these formats has\)$/);
    await expect(importFiles(store, [file], { adapters: [testAdapter] })).rejects.not.toThrow(/hello|world/);
    await expect(importFiles(store, [file], { format: 'temporal', adapters: [testAdapter] })).rejects.toThrow(/this build has no reader for the temporal format/);
  });

  it('refuses a bad record with its file and row, and imports nothing of the other files', async () => {
    const native = join(dir, 'native.ssx.ndjson');
    const source = Store.open(join(dir, 'source.db'));
    await seedSyntheticRuns(source, 1, 2, 'native');
    await exportRuns(source.read, { runIds: ['native-0'], out: native });
    source.close();
    const bad = fixture('bad.json', [{ id: 'c3', steps, history: [{ status: 'running', state: {} }, { status: 'completed', state: {}, seq: 2.5 }] }]);
    const before = fingerprint();
    const err = await importFiles(store, [native, bad], { adapters: [testAdapter] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(/bad\.json row 2 field "snapshot\.seq": unexpected value \(expected a whole number, got 2\.5\)/);
    expect(fingerprint()).toBe(before);
    await expect(store.read.getRun('native-0')).rejects.toThrow(/no run/);
  });

  it('reports an adapter that fails, or records nested too deeply, as an import error', async () => {
    const file = fixture('crash.json', []);
    const crashing: ForeignAdapter = { ...testAdapter, read: async () => Promise.reject(new TypeError('cannot read properties of undefined')) };
    await expect(importFiles(store, [file], { adapters: [crashing] })).rejects.toThrow(/crash\.json: the refluxo reader failed \(cannot read properties of undefined\)/);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++) deep = { deep };
    const nested: ForeignAdapter = { ...testAdapter, read: async () => [{ ...runOf({ id: 'deep', steps, history: [{ status: 'completed', state: {} }] }, file), input: deep as never }] };
    await expect(importFiles(store, [file], { adapters: [nested] })).rejects.toThrow(/field "run\.input(\.deep)+": the value is nested too deeply/);
  });
});
