// A Mastra PostgresStore written by the real packages (test/fixtures/foreign/mastra-pg: @mastra/core 0.24.9
// with @mastra/pg 0.17.10, generate.ts), loaded into a fresh database as pg_dump gave it and imported through a
// role that may only SELECT: a run that completed, one whose step threw, one waiting for approval, and one
// resumed by another process, whose row Mastra rewrote (the fixture's statements after its resume marker).
// The same workflows written by @mastra/libsql 0.16.4 import as the same runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SnapshotDocument } from '../../../../src-main/shared/snapshot';
import { importFiles } from '../../../../src-main/core/exchange/importer';
import { Store } from '../../../../src-main/core/store/store';
import { LIBSQL_FIXTURE, RESUME_MARKER, RUNS, SCHEMA, SQL_FIXTURE, TABLE, VERSIONS } from '../../../fixtures/foreign/mastra-pg/generate';
import { contents, createDatabase, describePostgres, readerOf, withClient } from '../../../support/postgres';
import { tempDir } from '../../../support/tmp';

const dir = tempDir('studio-mastra-pg-');
const id = (runId: string) => `mastra-${runId}`;
const sql = readFileSync(SQL_FIXTURE, 'utf8');
const at = sql.indexOf(`\n${RESUME_MARKER}`);
const whileWaiting = sql.slice(0, at);
const resume = sql.slice(at);

/** What a snapshot says, less the times of the execution that wrote it and where it was read from. */
function meaning(doc: SnapshotDocument) {
  return {
    kind: doc.kind,
    status: doc.status,
    stepId: doc.stepId,
    input: doc.input,
    config: doc.config,
    state: doc.state,
    result: doc.result,
    error: doc.error?.message,
    waiting: doc.cursor.waiting.map((w) => [w.stepId, w.signal]),
    suspendPayload: doc.metadata.suspendPayload,
    steps: Object.fromEntries(Object.entries(doc.steps).map(([k, s]) => [k, { status: s.status, input: s.input, output: s.output, error: s.error?.message, signals: s.signals }])),
  };
}

describePostgres(`a Mastra PostgresStore written by @mastra/pg ${VERSIONS.pg}`, (server) => {
  let url: string;
  let reader: string;
  let store: Store;
  beforeAll(async () => {
    url = await createDatabase(server, 'mastra_real');
    await withClient(url, (c) => c.query(whileWaiting));
    reader = await readerOf(url, [SCHEMA]);
    store = Store.open(join(dir, 'studio.db'));
  });
  afterAll(() => store?.close());

  it('is the table @mastra/pg created: snapshot as text, timestamps with their Z twins, unique per workflow and run', async () => {
    const columns = await withClient(url, async (c) => (await c.query<{ c: string; t: string }>('SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position', [SCHEMA, TABLE])).rows);
    expect(columns.map((r) => `${r.c} ${r.t}`)).toEqual([
      'workflow_name text', 'run_id text', 'resourceId text', 'snapshot text',
      'createdAt timestamp without time zone', 'updatedAt timestamp without time zone',
      'createdAtZ timestamp with time zone', 'updatedAtZ timestamp with time zone',
    ]);
    expect(sql).toContain(`@mastra/pg ${VERSIONS.pg}`);
    expect(sql).toContain(`@mastra/core ${VERSIONS.core}`);
  });

  it('imports each Mastra run as a run through a SELECT-only role, and the database stays as it was', async () => {
    const before = await contents(url, SCHEMA);
    const summary = await importFiles(store, [reader], { schema: SCHEMA });
    expect(summary.formats).toEqual([{ file: reader, format: 'mastra' }]);
    expect(summary.runs).toBe(4);
    expect(store.sync.read.listRuns().map((r) => [r.id, r.status, r.origin]).sort()).toEqual([
      [id(RUNS.failed), 'failed', 'imported'],
      [id(RUNS.ok), 'completed', 'imported'],
      [id(RUNS.resumed), 'waiting', 'imported'],
      [id(RUNS.waiting), 'waiting', 'imported'],
    ]);
    expect(await contents(url, SCHEMA)).toBe(before);
  });

  it('the completed run: completed with its output, every step with its input and output', () => {
    const done = store.sync.read.latestSnapshot(id(RUNS.ok))!;
    expect(done).toMatchObject({ status: 'completed', kind: 'run-completed', input: { orderId: 'A-1' }, config: { tenant: 'acme' }, state: { audit: ['fetched A-1'] }, result: { trackingId: 'TRK-1' } });
    expect(Object.fromEntries(Object.entries(done.steps).map(([k, s]) => [k, [s.status, s.output]]))).toEqual({
      'fetch-order': ['completed', { orderId: 'A-1', amount: 42 }],
      price: ['completed', { total: 50.4 }],
      stock: ['completed', { inStock: true }],
      approve: ['completed', { approved: true, total: 50.4 }],
      ship: ['completed', { trackingId: 'TRK-1' }],
    });
    expect(done.steps.approve.input).toEqual({ price: { total: 50.4 }, stock: { inStock: true } });
    expect(Date.parse(done.steps.price.startedAt!)).toBeGreaterThanOrEqual(Date.parse(done.steps['fetch-order'].endedAt!));
  });

  it('the failed run: failed at the step that threw, with its message', () => {
    expect(store.sync.read.getRun(id(RUNS.failed)).failure).toMatchObject({ stepId: 'fetch-order', message: 'order bad not found' });
    const failed = store.sync.read.latestSnapshot(id(RUNS.failed))!;
    expect(failed).toMatchObject({ status: 'failed', kind: 'run-failed', stepId: 'fetch-order', error: { name: 'Error', message: 'order bad not found' } });
    expect(failed.steps['fetch-order'].error?.stack).toMatch(/^Error: order bad not found\n\s+at /);
  });

  it('the waiting run: waiting at approve for a resume, with the payload it suspended with', () => {
    for (const runId of [RUNS.waiting, RUNS.resumed]) {
      const waiting = store.sync.read.latestSnapshot(id(runId))!;
      expect(waiting).toMatchObject({ status: 'waiting', kind: 'waiting', stepId: 'approve' });
      expect(waiting.result).toBeUndefined();
      expect(waiting.cursor.waiting).toEqual([{ stepId: 'approve', signal: 'resume', since: expect.any(String) }]);
      // Since Mastra's suspendedAt, not the time the row was read.
      expect(Date.parse(waiting.cursor.waiting[0].since)).toBeGreaterThanOrEqual(Date.parse(waiting.steps.approve.startedAt!));
      expect(Date.parse(waiting.cursor.waiting[0].since)).toBeLessThanOrEqual(Date.parse(waiting.at));
      expect(waiting.steps.approve).toMatchObject({ status: 'waiting', suspended: true, input: { price: { total: 120 }, stock: { inStock: true } } });
      expect(waiting.metadata.suspendPayload).toEqual({ approve: { reason: 'total above 100' } });
      expect(waiting.steps.ship).toEqual({ status: 'pending', attempts: 0 });
    }
  });

  it('adds nothing when imported again; once Mastra rewrote the resumed run\'s row, that run gains one snapshot', async () => {
    const again = await importFiles(store, [reader], { schema: SCHEMA });
    expect([again.runs, again.snapshots, again.extended]).toEqual([0, 0, undefined]);
    await withClient(url, (c) => c.query(resume));
    const next = await importFiles(store, [reader], { schema: SCHEMA });
    expect([next.runs, next.extended, next.snapshots]).toEqual([0, 1, 1]);
    expect(store.sync.read.getRunSummary(id(RUNS.resumed))).toMatchObject({ status: 'completed', lastSeq: 2 });
    expect(store.sync.read.getSnapshot(id(RUNS.resumed), 1).status).toBe('waiting');
    const done = store.sync.read.getSnapshot(id(RUNS.resumed), 2);
    expect(done).toMatchObject({ status: 'completed', result: { trackingId: 'TRK-1' } });
    expect(done.steps.approve).toMatchObject({ status: 'completed', signals: { resume: { approved: true } }, output: { approved: true, total: 120 } });
    expect(done.steps.approve.suspended).toBeUndefined();
    expect(store.sync.read.getRunSummary(id(RUNS.waiting))).toMatchObject({ status: 'waiting', lastSeq: 1 });
    const last = await importFiles(store, [reader], { schema: SCHEMA });
    expect([last.runs, last.snapshots, last.extended]).toEqual([0, 0, undefined]);
  });

  it(`reads the same runs as the same workflows written by @mastra/libsql ${VERSIONS.libsql}`, async () => {
    const fromFile = Store.open(join(dir, 'libsql.db'));
    try {
      const summary = await importFiles(fromFile, [LIBSQL_FIXTURE]);
      expect(summary.formats).toEqual([{ file: LIBSQL_FIXTURE, format: 'mastra' }]);
      const ids = fromFile.sync.read.listRuns().map((r) => r.id).sort();
      expect(ids).toEqual(Object.values(RUNS).map(id).sort());
      for (const runId of ids) {
        expect(meaning(store.sync.read.latestSnapshot(runId)!), runId).toEqual(meaning(fromFile.sync.read.latestSnapshot(runId)!));
        expect(store.sync.read.getRunSummary(runId).workflowId).toBe(fromFile.sync.read.getRunSummary(runId).workflowId);
      }
    } finally {
      fromFile.close();
    }
  });
});
