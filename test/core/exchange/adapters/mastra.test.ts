// Mastra workflow snapshot rows (0.x and 1.x, JSON / JSON array / NDJSON) and the LibSQL file become runs.
import Database from 'better-sqlite3';
import { copyFileSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mastraAdapter } from '../../../../src-main/core/exchange/adapters/mastra';
import type { ImportedRun } from '../../../../src-main/core/exchange/types';
import { expectImportError, fixture, scratchFiles, withoutSource } from './support';

const write = scratchFiles();
const read = (...names: string[]) => mastraAdapter.read(names.map((n) => fixture('mastra', n)));
const byId = (runs: ImportedRun[], id: string) => {
  const run = runs.find((r) => r.runId === id);
  if (!run) throw new Error(`no run ${id} among ${runs.map((r) => r.runId).join(', ')}`);
  return run;
};
const rows = (name: string) => JSON.parse(readFileSync(fixture('mastra', name), 'utf8'));

describe('Mastra 0.x rows', () => {
  it('a successful run: status, outputs, inputs, the parallel step graph, context as config', async () => {
    const run = byId(await read('0x-rows.json'), 'mastra-run-0x-ok');
    expect(run).toMatchObject({ format: 'mastra', foreignRunId: 'run-0x-ok', status: 'completed', input: { orderId: 'A-1' }, result: { trackingId: 'TRK-1' } });
    expect(run.workflow).toEqual({
      id: 'order-flow',
      name: 'order-flow',
      steps: [
        { id: 'fetch-order', needs: [] },
        { id: 'price', needs: ['fetch-order'] },
        { id: 'stock', needs: ['fetch-order'] },
        { id: 'approve', needs: ['price', 'stock'] },
        { id: 'ship', needs: ['approve'] },
      ],
    });
    const [doc] = run.snapshots;
    expect(doc).toMatchObject({ schemaVersion: 2, seq: 1, kind: 'run-completed', status: 'completed', config: { tenant: 'acme' }, state: {} });
    expect(doc.steps.price).toMatchObject({ status: 'completed', attempts: 1, input: { orderId: 'A-1', amount: 42 }, output: { total: 50.4 } });
    expect(doc.steps.price.startedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(doc.metadata).toMatchObject({ foreignStatus: 'success', mastraShape: '0.x' });
  });

  it('a failed run: the error string becomes name, message and stack', async () => {
    const run = byId(await read('0x-rows.json'), 'mastra-run-0x-failed');
    expect(run.status).toBe('failed');
    expect(run.error).toMatchObject({ name: 'Error', message: 'order bad not found' });
    expect(run.error!.stack).toMatch(/^Error: order bad not found\n\s+at /);
    const [doc] = run.snapshots;
    expect(doc).toMatchObject({ kind: 'run-failed', stepId: 'fetch-order' });
    expect(doc.steps['fetch-order']).toMatchObject({ status: 'failed', error: { name: 'Error', message: 'order bad not found' } });
    expect(doc.steps.ship).toEqual({ status: 'pending', attempts: 0 });
  });

  it('the rows of one run from two files are two points of its timeline, in time order whatever the file order', async () => {
    const run = byId(await read('0x-resumed.json', '0x-suspended.ndjson'), 'mastra-run-0x-suspended');
    expect(run.snapshots.map((s) => [s.seq, s.kind, s.status])).toEqual([
      [1, 'waiting', 'waiting'],
      [2, 'run-completed', 'completed'],
    ]);
    const [waiting, done] = run.snapshots;
    expect(Date.parse(waiting.at)).toBeLessThan(Date.parse(done.at));
    expect(waiting.steps.approve).toMatchObject({ status: 'waiting', suspended: true });
    expect(waiting.cursor.waiting).toEqual([{ stepId: 'approve', signal: 'resume', since: expect.any(String) }]);
    expect(done.steps.approve).toMatchObject({ status: 'completed', signals: { resume: { approved: true } }, output: { approved: true, total: 120 } });
    expect(waiting.metadata.source).toEqual({ file: fixture('mastra', '0x-suspended.ndjson'), line: 1 });
    expect(done.metadata.source).toEqual({ file: fixture('mastra', '0x-resumed.json') });
  });

  it('keeps each row verbatim beside the snapshot it became, with its row number', async () => {
    const run = byId(await read('0x-rows.json'), 'mastra-run-0x-failed');
    expect(run.snapshots[0].metadata.original).toEqual(rows('0x-rows.json')[1]);
    expect(run.snapshots[0].metadata.source).toEqual({ file: fixture('mastra', '0x-rows.json'), row: 2 });
  });
});

describe('Mastra 1.x rows and database', () => {
  it('error objects, requestContext as config, workflow state as state, the branch not taken as skipped', async () => {
    const runs = await read('1x-rows.json');
    const ok = byId(runs, 'mastra-run-1x-ok');
    expect(ok.snapshots[0]).toMatchObject({ config: { tenant: 'acme' }, state: { audit: ['fetched A-1'] }, metadata: { mastraShape: '1.x' } });
    expect(ok.workflow.steps.slice(-2)).toEqual([
      { id: 'ship', needs: ['approve'] },
      { id: 'reject', needs: ['approve'] },
    ]);
    expect(ok.snapshots[0].steps.reject).toEqual({ status: 'skipped', attempts: 0 });
    const failed = byId(runs, 'mastra-run-1x-failed');
    expect(failed.error).toEqual({ name: 'Error', message: 'order bad not found' });
  });

  it('reads the SQLite file (snapshot stored as JSONB) and gives the same runs as the exported rows', async () => {
    const fromDb = await read('1x-mastra.db');
    expect(fromDb.map((r) => r.runId)).toEqual(['mastra-run-1x-ok', 'mastra-run-1x-failed', 'mastra-run-1x-suspended']);
    const db = new Database(fixture('mastra', '1x-mastra.db'), { readonly: true });
    expect(db.prepare('SELECT DISTINCT typeof(snapshot) FROM mastra_workflow_snapshot').pluck().all()).toEqual(['blob']);
    db.close();
    const fromJson = await read('1x-rows.json');
    expect(byId(fromDb, 'mastra-run-1x-ok').snapshots.map(withoutSource)).toEqual(byId(fromJson, 'mastra-run-1x-ok').snapshots.map(withoutSource));
    expect(byId(fromDb, 'mastra-run-1x-failed').snapshots[0].metadata.source).toEqual({ file: fixture('mastra', '1x-mastra.db'), row: 2 });
  });

  it('the same point read from the database and from an export is one point, not two', async () => {
    const run = byId(await read('1x-suspended.ndjson', '1x-mastra.db', '1x-resumed.json'), 'mastra-run-1x-suspended');
    expect(run.snapshots.map((s) => s.status)).toEqual(['waiting', 'completed']);
    expect(run.snapshots.map((s) => s.seq)).toEqual([1, 2]);
  });

  it('maps every 1.x run and step status', async () => {
    const base = rows('1x-rows.json')[0];
    const cases: [string, string, string][] = [
      ['paused', 'paused', 'waiting'],
      ['tripwire', 'failed', 'failed'],
      ['canceled', 'cancelled', 'skipped'],
      ['bailed', 'completed', 'completed'],
      ['skipped', 'completed', 'skipped'],
      ['pending', 'pending', 'pending'],
      ['running', 'running', 'running'],
      ['waiting', 'waiting', 'waiting'],
    ];
    const lines = cases.map(([status, , ], i) => {
      const row = structuredClone(base);
      row.runId = `r-${status}`;
      row.snapshot.status = status;
      row.snapshot.context.ship.status = status;
      row.snapshot.timestamp += i;
      return JSON.stringify(row);
    });
    const runs = await mastraAdapter.read([write('statuses.ndjson', lines.join('\n'))]);
    expect(runs.map((r) => [r.foreignRunId, r.status, r.snapshots[0].steps.ship.status])).toEqual(cases.map(([s, run, step]) => [`r-${s}`, run, step]));
  });

  it('imports the same files twice into the same run ids and documents', async () => {
    const a = await read('1x-rows.json', '1x-suspended.ndjson');
    const b = await read('1x-rows.json', '1x-suspended.ndjson');
    expect(a.map((r) => r.runId)).toEqual(['mastra-run-1x-ok', 'mastra-run-1x-failed', 'mastra-run-1x-suspended']);
    expect(b).toEqual(a);
  });
});

describe('Mastra input that is wrong', () => {
  it('an NDJSON line without snapshot names the file, the line and the field', async () => {
    const good = readFileSync(fixture('mastra', '1x-suspended.ndjson'), 'utf8').trim();
    const { snapshot: _drop, ...bad } = JSON.parse(good);
    const file = write('missing.ndjson', `${good}\n\n${JSON.stringify(bad)}\n`);
    const err = await expectImportError(mastraAdapter.read([file]), { file, line: 3, field: 'snapshot', expected: /object/, got: 'nothing' });
    expect(err.message).toContain(`${file}:3`);
  });

  it('an unknown run status says which words were expected', async () => {
    const row = rows('0x-rows.json')[0];
    row.snapshot.status = 'exploded';
    const file = write('status.json', JSON.stringify([row, row]));
    await expectImportError(mastraAdapter.read([file]), { file, row: 1, field: 'snapshot.status', expected: /one of .*success.*canceled/, got: '"exploded"' });
  });

  it('a SQLite file without the Mastra table, and a row whose snapshot SQLite cannot read', async () => {
    const empty = write('empty.db', '');
    new Database(empty).exec('CREATE TABLE other (x)').close();
    await expectImportError(mastraAdapter.read([empty]), { file: empty, field: 'mastra_workflow_snapshot', expected: /table/, got: 'no such table' });

    const broken = write('broken.db', '');
    copyFileSync(fixture('mastra', '1x-mastra.db'), broken);
    const db = new Database(broken);
    db.prepare("UPDATE mastra_workflow_snapshot SET snapshot = x'0102ff' WHERE rowid = 2").run();
    db.close();
    await expectImportError(mastraAdapter.read([broken]), { file: broken, row: 2, field: 'snapshot', expected: /JSON/, got: 'malformed JSON' });
  });
});
