// "__proto__" keys in a run's input or state are data: kept as the own members JSON.parse
// makes of them, never dropped without a word and never a prototype. Why kept rather than refused: the
// engine and the store already keep them (a step may write one into the state), so refusing them at the
// API or the import would only make such a run impossible to start again or to export and import back.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../src-main/core/exchange/importer';
import { exportRuns } from '../../../src-main/core/exchange/native/exporter';
import { StudioService } from '../../../src-main/core/studio';
import { migrateSnapshot } from '../../../src-main/core/store/snapshotMigrations';
import { Store } from '../../../src-main/core/store/store';
import { diffWithNotes } from '../../../src-main/shared/differ';
import { dispatchApiCall } from '../../../src-main/shared/schemas';
import type { RunSummary } from '../../../src-main/shared/api';
import type { SnapshotDocument } from '../../../src-main/shared/snapshot';
import { examplesDir, repoRoot, tempDir } from '../../support/tmp';
import { fixture } from './adapters/support';

const dir = tempDir('studio-proto-keys-');
let service: StudioService;
const own = (value: unknown, key: string) => Object.getOwnPropertyDescriptor(value, key)?.value as unknown;

beforeAll(async () => {
  service = await StudioService.open({ dbPath: join(dir, 'studio.db'), workspaceDir: examplesDir, appRoot: repoRoot });
});
afterAll(() => service.close());
afterEach(() => {
  expect(({} as Record<string, unknown>).x).toBeUndefined();
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('"__proto__" keys are kept as data', () => {
  let runId: string;

  it('in the input of a run started through the API, in every snapshot and the run itself', async () => {
    const input = JSON.parse('{"__proto__": {"x": 1}, "a": 1}') as Record<string, unknown>;
    const started = (await dispatchApiCall(service, 'startRun', ['orders-linear', { input }])) as RunSummary;
    runId = started.id;
    const run = await service.waitForRun(runId);
    expect(run.status).toBe('completed');
    for (const seq of [1, run.lastSeq]) {
      const doc = await service.getSnapshot(runId, seq);
      expect(Object.getPrototypeOf(doc.input)).toBe(Object.prototype);
      expect(Object.keys(doc.input as object)).toEqual(['__proto__', 'a']);
      expect(own(doc.input, '__proto__')).toEqual({ x: 1 });
      expect(JSON.stringify(doc.input)).toBe('{"__proto__":{"x":1},"a":1}');
    }
    expect(JSON.stringify((await service.getRun(runId)).input)).toBe('{"__proto__":{"x":1},"a":1}');
  });

  it('through an export and an import into another database', async () => {
    const file = join(dir, 'proto.ssx.ndjson');
    await exportRuns(service.store.read, { runIds: [runId], out: file, redact: false });
    const other = Store.open(join(dir, 'other.db'));
    expect(await importFiles(other, [file])).toMatchObject({ runs: 1 });
    const run = await other.read.getRun(runId);
    expect(JSON.stringify(run.input)).toBe('{"__proto__":{"x":1},"a":1}');
    for (let seq = 1; seq <= run.lastSeq; seq++) {
      const doc = await other.read.getSnapshot(runId, seq);
      expect(doc).toEqual(await service.store.read.getSnapshot(runId, seq));
      expect(own(doc.input, '__proto__')).toEqual({ x: 1 });
    }
    other.close();
  });

  it('in the input and state of a foreign run (Mastra)', async () => {
    const rows = JSON.parse(readFileSync(fixture('mastra', '1x-rows.json'), 'utf8')) as { snapshot: { value: object; context: { input: object } } }[];
    const text = JSON.stringify(rows)
      .replace('"value":{', '"value":{"__proto__":{"polluted":true},')
      .replace('"input":{', '"input":{"__proto__":{"x":1},');
    const file = join(dir, 'mastra-proto.json');
    writeFileSync(file, text);
    const store = Store.open(join(dir, 'mastra.db'));
    const summary = await importFiles(store, [file]);
    expect(summary.runs).toBeGreaterThan(0);
    const doc = await store.read.getSnapshot(`mastra-${JSON.parse(text)[0].runId}`, 1);
    expect(own(doc.state, '__proto__')).toEqual({ polluted: true });
    expect(own(doc.input, '__proto__')).toEqual({ x: 1 });
    expect(Object.getPrototypeOf(doc.state)).toBe(Object.prototype);
    store.close();
  });

  it('as a step id of a document of an older schema, migrated on read', () => {
    const v1 = JSON.parse('{"schemaVersion":1,"steps":{"__proto__":{"status":"completed","attempts":1,"startedAt":"2025-01-01T00:00:00.000Z","endedAt":"2025-01-01T00:00:02.000Z"},"b":{"status":"pending","attempts":0}}}') as Record<string, unknown> & { schemaVersion: number };
    const doc = migrateSnapshot(v1, 'test') as SnapshotDocument;
    expect(Object.keys(doc.steps)).toEqual(['__proto__', 'b']);
    expect(own(doc.steps, '__proto__')).toMatchObject({ status: 'completed', durationMs: 2000 });
    expect(Object.getPrototypeOf(doc.steps)).toBe(Object.prototype);
  });
});

describe('"__proto__" keys a step writes into the state', () => {
  it('reach the next step as data, as they are stored', async () => {
    const workspace = join(dir, 'proto-workspace');
    mkdirSync(workspace, { recursive: true });
    writeFileSync(
      join(workspace, 'proto.workflow.ts'),
      `import { defineWorkflow } from 'snapshot-studio/sdk';
export default defineWorkflow({
  id: 'proto-state',
  steps: {
    write: { run: ({ state }) => { state.data = JSON.parse('{"__proto__": {"x": 1}, "a": 1}'); state.when = new Date(0); return true; } },
    read: { needs: ['write'], run: ({ state }) => ({ keys: Object.keys(state.data as object), own: Object.getOwnPropertyDescriptor(state.data, '__proto__')?.value }) },
  },
});
`,
    );
    const local = await StudioService.open({ dbPath: join(dir, 'proto-state.db'), workspaceDir: workspace, appRoot: repoRoot });
    try {
      const run = await local.waitForRun((await local.startRun('proto-state', {})).id);
      expect(run.status).toBe('completed');
      const doc = await local.getSnapshot(run.id, run.lastSeq);
      expect(doc.steps.read.output).toEqual({ keys: ['__proto__', 'a'], own: { x: 1 } });
      expect(JSON.stringify(doc.state)).toBe('{"data":{"__proto__":{"x":1},"a":1},"when":"1970-01-01T00:00:00.000Z"}');
    } finally {
      await local.close();
    }
  });
});

describe('"__proto__" keys in a diff', () => {
  it('say a change under them in the notes instead of dropping it', () => {
    const was = JSON.parse('{"state":{"data":{"__proto__":{"x":1},"a":1}}}') as unknown;
    const is = JSON.parse('{"state":{"data":{"__proto__":{"x":2},"a":1}}}') as unknown;
    expect(diffWithNotes(was, is).notes).toEqual([
      '/state/data/__proto__ (a member named "__proto__") changed: {"x":1} → {"x":2}; the tree cannot show a member of that name.',
    ]);
    expect(diffWithNotes(was, was).notes).toEqual([]);
  });
});
