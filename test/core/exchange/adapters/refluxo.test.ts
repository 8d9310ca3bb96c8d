// refluxo-style snapshots become runs: retries as status error with a retry, pauses, results, failures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { refluxoAdapter } from '../../../../src-main/core/exchange/adapters/refluxo';
import { expectImportError, fixture, scratchFiles } from './support';

const write = scratchFiles();
const read = (...names: string[]) => refluxoAdapter.read(names.map((n) => fixture('refluxo', n)));
const lines = () =>
  readFileSync(fixture('refluxo', 'exec-7f3c.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('refluxo-style snapshots', () => {
  it('each saved snapshot is a point of the run, in order, with the node graph from execution order', async () => {
    const [run] = await read('exec-7f3c.ndjson');
    expect(run).toMatchObject({ format: 'refluxo', runId: 'refluxo-exec-7f3c', foreignRunId: 'exec-7f3c', status: 'completed', result: { sent: true } });
    expect(run.snapshots.map((s) => [s.seq, s.kind, s.status, s.stepId])).toEqual([
      [1, 'run-started', 'running', null],
      [2, 'step-completed', 'running', 'webhook'],
      [3, 'retry-scheduled', 'error', 'fetch-user'],
      [4, 'step-completed', 'running', 'fetch-user'],
      [5, 'paused', 'paused', 'approval'],
      [6, 'step-completed', 'running', 'approval'],
      [7, 'run-completed', 'completed', 'notify'],
    ]);
    expect(run.workflow.steps).toEqual([
      { id: 'webhook', needs: [] },
      { id: 'fetch-user', needs: ['webhook'] },
      { id: 'approval', needs: ['fetch-user'] },
      { id: 'notify', needs: ['approval'] },
    ]);
  });

  it('a retry waiting is status error with our retry field, a timer, and the step pending with its last error', async () => {
    const [run] = await read('exec-7f3c.ndjson');
    const retry = run.snapshots[2];
    expect(retry.retry).toEqual({ stepId: 'fetch-user', attempts: 1, nextRetryAt: '2026-03-02T09:00:01.080Z' });
    expect(retry.cursor.timers).toEqual([{ stepId: 'fetch-user', wakeAt: '2026-03-02T09:00:01.080Z' }]);
    expect(retry.steps['fetch-user']).toMatchObject({ status: 'pending', attempts: 1, error: { name: 'Error', message: 'connect ECONNRESET 10.0.0.7:443' } });
    const after = run.snapshots[3];
    expect(after.retry).toBeUndefined();
    expect(after.steps['fetch-user']).toMatchObject({ status: 'completed', attempts: 2, output: { name: 'Ada', email: 'ada@example.com' } });
  });

  it('a paused node waits for its resume; state is the context every node reads', async () => {
    const [run] = await read('exec-7f3c.ndjson');
    const paused = run.snapshots[4];
    expect(paused.steps.approval).toMatchObject({ status: 'waiting', suspended: true });
    expect(paused.cursor.waiting).toEqual([{ stepId: 'approval', signal: 'resume', since: paused.at }]);
    expect(paused.state).toEqual(lines()[4].context);
    expect(run.snapshots[1].cursor.ready).toEqual(['fetch-user']);
  });

  it('a failed run carries the failing node error as name and message', async () => {
    const [run] = await read('exec-9d21-failed.json');
    expect(run.status).toBe('failed');
    expect(run.error).toEqual({ name: 'PaymentError', message: 'card declined' });
    expect(run.snapshots[0].steps.charge).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('snapshots of one run split over files join one timeline; the originals stay verbatim; ids are stable', async () => {
    const all = lines();
    const a = write('first.ndjson', all.slice(0, 3).map((l) => JSON.stringify(l)).join('\n'));
    const b = write('rest.json', JSON.stringify(all.slice(3)));
    const runs = await refluxoAdapter.read([b, a]);
    expect(runs.map((r) => r.runId)).toEqual(['refluxo-exec-7f3c']);
    expect(runs[0].snapshots.map((s) => s.metadata.original)).toEqual(all);
    expect(runs[0].snapshots.map((s) => s.metadata.source)).toEqual([
      { file: a, line: 1 },
      { file: a, line: 2 },
      { file: a, line: 3 },
      { file: b, row: 1 },
      { file: b, row: 2 },
      { file: b, row: 3 },
      { file: b, row: 4 },
    ]);
    expect((await read('exec-7f3c.ndjson'))[0].snapshots.map((s) => s.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('a run id the application kept in metadata wins over the workflow id', async () => {
    const record = JSON.parse(readFileSync(fixture('refluxo', 'exec-9d21-failed.json'), 'utf8'));
    record.metadata = { runId: 'payments-42' };
    const [run] = await refluxoAdapter.read([write('with-run-id.json', JSON.stringify(record))]);
    expect(run).toMatchObject({ runId: 'refluxo-payments-42', workflow: { id: 'exec-9d21' } });
  });

  it('a result without a timestamp is refused, naming the line and the field', async () => {
    const all = lines();
    delete all[2].context['fetch-user'][0].timestamp;
    const file = write('no-timestamp.ndjson', all.map((l) => JSON.stringify(l)).join('\n'));
    await expectImportError(refluxoAdapter.read([file]), { file, line: 3, field: 'context.fetch-user[0].timestamp', expected: /number/, got: 'nothing' });
  });

  it('status error without a retryState is refused', async () => {
    const all = lines();
    delete all[2].retryState;
    const file = write('no-retry.ndjson', all.map((l) => JSON.stringify(l)).join('\n'));
    await expectImportError(refluxoAdapter.read([file]), { file, line: 3, field: 'retryState', expected: /nodeId, attempts, nextRetryAt/, got: 'nothing' });
  });
});
