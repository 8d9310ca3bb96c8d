// Temporal history JSON becomes a run: one snapshot per event that changes the run, payloads decoded.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { temporalAdapter } from '../../../../src-main/core/exchange/adapters/temporal';
import { expectImportError, fixture, scratchFiles, withoutSource } from './support';

const write = scratchFiles();
const read = (...names: string[]) => temporalAdapter.read(names.map((n) => fixture('temporal', n)));
const history = (name: string) => JSON.parse(readFileSync(fixture('temporal', name), 'utf8'));

describe('Temporal histories', () => {
  it('a snapshot for each event that changes state, with the kinds a timeline shows', async () => {
    const [run] = await read('order-completed.json');
    expect(run).toMatchObject({
      format: 'temporal',
      runId: 'temporal-5f0c1d2e-0a7b-4c3d-9e8f-1a2b3c4d5e6f',
      foreignRunId: '5f0c1d2e-0a7b-4c3d-9e8f-1a2b3c4d5e6f',
      status: 'completed',
      input: { orderId: 'A-2' },
      result: { trackingId: 'TRK-1' },
      createdAt: '2026-03-02T10:00:00.000Z',
    });
    expect(run.snapshots.map((s) => `${s.metadata.eventId} ${s.kind} ${s.stepId ?? '-'} ${s.status}`)).toEqual([
      '1 run-started - running',
      '5 imported fetchOrder-1 running',
      '6 step-started fetchOrder-1 running',
      '7 step-completed fetchOrder-1 running',
      '11 imported price-2 running',
      '12 imported stock-3 running',
      '13 step-started stock-3 running',
      '14 step-completed stock-3 running',
      '15 step-started price-2 running',
      '16 step-completed price-2 running',
      '20 waiting timer-1 waiting',
      '21 resumed timer-1 running',
      '22 resumed - running',
      '26 imported ship-4 running',
      '27 step-started ship-4 running',
      '28 step-completed ship-4 running',
      '32 run-completed - completed',
    ]);
    expect(run.snapshots.map((s) => s.seq)).toEqual(run.snapshots.map((_, i) => i + 1));
  });

  it('activities are steps with decoded inputs and outputs, attempts, and a graph from their order', async () => {
    const [run] = await read('order-completed.json');
    const last = run.snapshots.at(-1)!;
    expect(last.steps['fetchOrder-1']).toMatchObject({ status: 'completed', attempts: 1, input: { orderId: 'A-2' }, output: { orderId: 'A-2', amount: 100 } });
    expect(last.steps['price-2']).toMatchObject({ status: 'completed', attempts: 2, output: { total: 120 } });
    // A payload that is not JSON stays base64, with its encoding.
    expect(last.steps['ship-4'].output).toMatchObject({ encoding: 'binary/plain', data: Buffer.from('TRK-1').toString('base64') });
    expect(run.workflow).toEqual({
      id: 'orderWorkflow',
      name: 'orderWorkflow',
      steps: [
        { id: 'fetchOrder-1', needs: [] },
        { id: 'price-2', needs: ['fetchOrder-1'] },
        { id: 'stock-3', needs: ['fetchOrder-1'] },
        { id: 'timer-1', needs: ['stock-3', 'price-2'] },
        { id: 'ship-4', needs: ['timer-1'] },
      ],
    });
  });

  it('timers are in the cursor until they fire; signals and the memo are the state', async () => {
    const [run] = await read('order-completed.json');
    const waiting = run.snapshots.find((s) => s.metadata.eventId === 20)!;
    expect(waiting.cursor.timers).toEqual([{ stepId: 'timer-1', wakeAt: '2026-03-02T10:00:06.260Z' }]);
    expect(waiting.steps['timer-1']).toMatchObject({ status: 'waiting' });
    const signalled = run.snapshots.find((s) => s.metadata.eventId === 22)!;
    expect(signalled.cursor.timers).toEqual([]);
    expect(signalled.state).toEqual({ memo: { customer: 'acme' }, signals: { approve: { approved: true, by: 'ops@acme' } } });
    expect(run.snapshots[0].state).toEqual({ memo: { customer: 'acme' }, signals: {} });
  });

  it('a failed activity keeps its attempt count and failure; the workflow failure becomes the run error', async () => {
    const [run] = await read('order-failed.json');
    expect(run.status).toBe('failed');
    const failedStep = run.snapshots.find((s) => s.kind === 'step-failed')!;
    expect(failedStep.steps['charge-1']).toMatchObject({
      status: 'failed',
      attempts: 3,
      error: { name: 'CardDeclined', message: 'card declined', stack: 'CardDeclined: card declined\n    at charge (activities.ts:30:9)' },
    });
    expect(run.error).toMatchObject({ name: 'ActivityFailure', message: 'Activity task failed: card declined' });
    expect(run.snapshots.at(-1)!.kind).toBe('run-failed');
  });

  it('event types spelled ActivityTaskFailed read the same as EVENT_TYPE_ACTIVITY_TASK_FAILED', async () => {
    const [long] = await read('order-failed.json');
    const [short] = await read('order-failed-short.json');
    const strip = (doc: (typeof long.snapshots)[number]) => {
      const { original: _o, ...metadata } = withoutSource(doc).metadata;
      const { eventsBefore: _b, eventsAfter: _a, ...rest } = metadata;
      return { ...doc, metadata: rest };
    };
    expect(short.snapshots.map(strip)).toEqual(long.snapshots.map(strip));
  });

  it('two files of the same run merge by event id; the events in between are kept verbatim', async () => {
    const runs = await read('order-failed.json', 'order-failed-short.json');
    expect(runs).toHaveLength(1);
    expect(runs[0].snapshots).toHaveLength(5);
    const events = history('order-failed.json').events;
    const scheduled = runs[0].snapshots[1];
    expect(scheduled.metadata.original).toEqual(events[4]);
    expect(scheduled.metadata.source).toEqual({ file: fixture('temporal', 'order-failed.json'), row: 5 });
    expect(scheduled.metadata.eventsBefore).toEqual(events.slice(1, 4));
    expect(runs[0].snapshots.at(-1)!.metadata.eventsBefore).toEqual(events.slice(7, 10));
  });

  it('importing twice gives the same run id and documents', async () => {
    expect(await read('order-completed.json')).toEqual(await read('order-completed.json'));
  });

  it('an eventId that is not a number names the file, the event and the field', async () => {
    const h = history('order-failed.json');
    h.events[6].eventId = '7a';
    const file = write('bad-id.json', JSON.stringify(h));
    const err = await expectImportError(temporalAdapter.read([file]), { file, row: 7, field: 'events[6].eventId', expected: /whole number/, got: '"7a"' });
    expect(err.message).toContain(`${file} row 7`);
  });

  it('a payload whose data is not base64, and an activity event for an activity never scheduled, are refused', async () => {
    const h = history('order-completed.json');
    h.events[6].activityTaskCompletedEventAttributes.result.payloads[0].data = 'not base64!';
    const file = write('bad-payload.json', JSON.stringify(h));
    await expectImportError(temporalAdapter.read([file]), {
      file,
      row: 7,
      field: 'events[6].activityTaskCompletedEventAttributes.result.payloads[0].data',
      expected: /base64/,
      got: '"not base64!"',
    });
    const orphan = history('order-failed.json');
    orphan.events[6].activityTaskFailedEventAttributes.scheduledEventId = '99';
    const file2 = write('orphan.json', JSON.stringify(orphan));
    await expectImportError(temporalAdapter.read([file2]), { file: file2, row: 7, field: 'events[6].activityTaskFailedEventAttributes.scheduledEventId', expected: /ActivityTaskScheduled/, got: '99' });
  });
});
