// KaibanJS SnapshotManager exports become runs: several exports of one run are one timeline.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kaibanAdapter } from '../../../../src-main/core/exchange/adapters/kaiban';
import { expectImportError, fixture, scratchFiles } from './support';

const write = scratchFiles();
const read = (...names: string[]) => kaibanAdapter.read(names.map((n) => fixture('kaiban', n)));
const exported = (name: string) => JSON.parse(readFileSync(fixture('kaiban', name), 'utf8'));
const ORDER_GRAPH = [
  { id: 'fetch-order', needs: [] },
  { id: 'price', needs: ['fetch-order'] },
  { id: 'stock', needs: ['fetch-order'] },
  { id: 'approve', needs: ['price', 'stock'] },
  { id: 'ship', needs: ['approve'] },
];

describe('KaibanJS exports', () => {
  it('three exports of one run, given in any order, are one timeline ordered by timestamp', async () => {
    const runs = await read('order-1-completed.json', 'order-1-initial.json', 'order-1-suspended.json');
    expect(runs).toHaveLength(1);
    const [run] = runs;
    expect(run).toMatchObject({ format: 'kaiban', runId: 'kaiban-order-run-1', foreignRunId: 'order-run-1', status: 'completed', result: { trackingId: 'TRK-1' }, input: null });
    expect(run.snapshots.map((s) => [s.seq, s.kind, s.status, s.metadata.foreignStatus])).toEqual([
      [1, 'imported', 'pending', 'INITIAL'],
      [2, 'waiting', 'waiting', 'SUSPENDED'],
      [3, 'run-completed', 'completed', 'COMPLETED'],
    ]);
    const ats = run.snapshots.map((s) => Date.parse(s.at));
    expect([...ats].sort((a, b) => a - b)).toEqual(ats);
    expect(run.workflow).toEqual({ id: 'order-flow', steps: ORDER_GRAPH });
  });

  it('step results: outputs, the suspended step waiting for its resume, times and attempts from the events', async () => {
    const [run] = await read('order-1-initial.json', 'order-1-suspended.json', 'order-1-completed.json');
    const [initial, suspended, completed] = run.snapshots;
    expect(initial.steps['fetch-order']).toEqual({ status: 'pending', attempts: 0 });
    expect(suspended.steps.approve).toMatchObject({ status: 'waiting', suspended: true, attempts: 1, output: { reason: 'total unknown' } });
    expect(suspended.cursor.waiting).toEqual([{ stepId: 'approve', signal: 'resume', since: expect.any(String) }]);
    expect(suspended.stepId).toBe('approve');
    expect(completed.steps.price).toMatchObject({ status: 'completed', attempts: 1, output: { total: 120 } });
    expect(Date.parse(completed.steps.price.endedAt!)).toBeGreaterThanOrEqual(Date.parse(completed.steps.price.startedAt!));
    // Resuming a suspended step continues it: no second attempt.
    expect(completed.steps.approve).toMatchObject({ status: 'completed', attempts: 1, output: { approved: true, total: null } });
    expect(completed.state).toEqual({});
  });

  it('without the export that kept executionGraph, the graph comes from the order of the step events', async () => {
    const [run] = await read('order-1-suspended.json', 'order-1-completed.json');
    expect(run.workflow.steps).toEqual(ORDER_GRAPH);
  });

  it('a failed run: the step failed, and an error KaibanJS wrote as {} still says which step failed', async () => {
    const [run] = await read('order-2-failed.json');
    expect(exported('order-2-failed.json').stepResults['fetch-order'].error).toEqual({});
    expect(run.status).toBe('failed');
    expect(run.error).toEqual({ name: 'Error', message: expect.stringContaining('step fetch-order failed') });
    expect(run.snapshots[0]).toMatchObject({ kind: 'run-failed', stepId: 'fetch-order', steps: { 'fetch-order': { status: 'failed', attempts: 1 } } });
  });

  it('a real error object keeps its name and message', async () => {
    const record = exported('order-2-failed.json');
    record.stepResults['fetch-order'].error = { name: 'TypeError', message: 'amount is not a number', stack: 'TypeError: amount is not a number\n    at x' };
    const [run] = await kaibanAdapter.read([write('typed-error.json', JSON.stringify(record))]);
    expect(run.snapshots[0].steps['fetch-order'].error).toEqual({ name: 'TypeError', message: 'amount is not a number', stack: 'TypeError: amount is not a number\n    at x' });
  });

  it('keeps each export verbatim and the same run id on every import', async () => {
    const first = await read('order-1-suspended.json');
    const again = await read('order-1-suspended.json');
    expect(again).toEqual(first);
    expect(first[0].runId).toBe('kaiban-order-run-1');
    expect(first[0].snapshots[0].metadata.original).toEqual(exported('order-1-suspended.json'));
    expect(first[0].snapshots[0].metadata.source).toEqual({ file: fixture('kaiban', 'order-1-suspended.json') });
  });

  it('an unknown status is refused, naming the file, the field and the statuses KaibanJS has', async () => {
    const record = exported('order-2-failed.json');
    record.status = 'EXPLODED';
    const file = write('unknown-status.json', JSON.stringify(record));
    await expectImportError(kaibanAdapter.read([file]), { file, field: 'status', expected: /one of INITIAL, RUNNING.*SUSPENDED/, got: '"EXPLODED"' });
  });

  it('an unknown step status in an NDJSON line names the line and the step', async () => {
    const ok = exported('order-2-failed.json');
    const bad = structuredClone(ok);
    bad.stepResults['fetch-order'].status = 'done';
    const file = write('bad-step.ndjson', `${JSON.stringify(ok)}\n${JSON.stringify(bad)}\n`);
    await expectImportError(kaibanAdapter.read([file]), { file, line: 2, field: 'stepResults.fetch-order.status', expected: /running, completed, failed, suspended/, got: '"done"' });
  });
});
