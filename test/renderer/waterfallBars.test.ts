// The waterfall's geometry: attempts and the backoff between them, a wait that grows while it lasts, and an
// axis whose long idle stretches are cut so the short steps around them keep their width.
import { describe, expect, it } from 'vitest';
import type { SnapshotSummary } from '@shared/api';
import type { SnapshotDocument, StepRecord } from '@shared/snapshot';
import { formatTick, niceStep, stepLanes, timeAxis, xOf, BREAK_SHARE } from '../../src-renderer/features/timeline/waterfallBars';

const T0 = Date.parse('2026-11-30T21:00:00.000Z');
const iso = (offset: number) => new Date(T0 + offset).toISOString();
type Ev = Pick<SnapshotSummary, 'kind' | 'stepId' | 'at'>;
const ev = (offset: number, kind: SnapshotSummary['kind'], stepId: string | null = null): Ev => ({ kind, stepId, at: iso(offset) });

function doc(steps: Record<string, StepRecord>, extra: Partial<SnapshotDocument> = {}): SnapshotDocument {
  return {
    schemaVersion: 2,
    runId: 'r',
    workflowId: 'w',
    workflowVersion: 'v',
    seq: 1,
    kind: 'run-completed',
    stepId: null,
    status: 'completed',
    at: iso(0),
    input: null,
    config: null,
    state: {},
    steps,
    cursor: { ready: [], running: [], waiting: [], timers: [] },
    metadata: {},
    ...extra,
  };
}

describe('a step retried after failures', () => {
  // flaky-recovers: callUpstream fails twice, waits 200 ms then 400 ms, and succeeds on the third attempt.
  const events: Ev[] = [
    ev(0, 'run-started'),
    ev(1, 'step-started', 'request'),
    ev(4, 'step-completed', 'request'),
    ev(4, 'step-started', 'callUpstream'),
    ev(6, 'retry-scheduled', 'callUpstream'),
    ev(206, 'step-started', 'callUpstream'),
    ev(207, 'retry-scheduled', 'callUpstream'),
    ev(610, 'step-started', 'callUpstream'),
    ev(611, 'step-completed', 'callUpstream'),
    ev(611, 'run-completed'),
  ];
  const document = doc({
    request: { status: 'completed', attempts: 1, startedAt: iso(1), endedAt: iso(4) },
    callUpstream: { status: 'completed', attempts: 3, startedAt: iso(610), endedAt: iso(611) },
  });
  const [, call] = stepLanes(document, ['request', 'callUpstream'], events, T0 + 611);

  it('draws each attempt, failed ones as failed, with the backoff between them', () => {
    expect(call.segments.map((s) => [s.kind, s.outcome, s.attempt ?? null, s.end - s.start])).toEqual([
      ['attempt', 'failed', 1, 2],
      ['backoff', 'waiting', null, 200],
      ['attempt', 'failed', 2, 1],
      ['backoff', 'waiting', null, 403],
      ['attempt', 'completed', 3, 1],
    ]);
  });

  it('spans the lane from the first attempt to the last, not the last attempt alone', () => {
    expect([call.start! - T0, call.end! - T0]).toEqual([4, 611]);
  });
});

describe('a step waiting for a signal for four minutes', () => {
  const events: Ev[] = [
    ev(0, 'run-started'),
    ev(2, 'step-started', 'assess'),
    ev(4, 'step-completed', 'assess'),
    ev(5, 'step-started', 'approve'),
    ev(6, 'waiting', 'approve'),
  ];
  const document = doc(
    {
      assess: { status: 'completed', attempts: 1, startedAt: iso(2), endedAt: iso(4) },
      approve: { status: 'waiting', attempts: 1, startedAt: iso(5), suspended: true },
    },
    { status: 'waiting', kind: 'waiting', at: iso(6), cursor: { ready: [], running: [], waiting: [{ stepId: 'approve', signal: 'approval', since: iso(6) }], timers: [] } },
  );

  it('is drawn as an open wait that grows with the time, not as a fixed bar', () => {
    const at = (now: number) => stepLanes(document, ['assess', 'approve'], events, T0 + now)[1].segments;
    const early = at(1000);
    const late = at(240_006);
    expect(early.map((s) => [s.kind, s.open])).toEqual([
      ['attempt', false],
      ['wait', true],
    ]);
    expect(early[1].waitsFor).toBe('signal "approval"');
    expect(late[1].end - late[1].start).toBe(240_000);
    expect(late[1].end).toBeGreaterThan(early[1].end);
  });

  it('is cut on the axis with a break saying how long, so the steps before it keep their width', () => {
    const lanes = stepLanes(document, ['assess', 'approve'], events, T0 + 240_006);
    const axis = timeAxis(lanes, T0 + 240_006);
    expect(axis.breaks).toEqual([{ x0: expect.any(Number), x1: 1, label: '4 m 0 s', labelX: 1, align: 'end' }]);
    expect(axis.breaks[0].x1 - axis.breaks[0].x0).toBeCloseTo(BREAK_SHARE);
    // assess ran 2 ms of 6 ms busy: about a third of what is left after the break, far from a sliver.
    const assess = lanes[0].segments[0];
    expect(xOf(axis.pieces, assess.end) - xOf(axis.pieces, assess.start)).toBeGreaterThan(0.25);
    expect(xOf(axis.pieces, T0 + 240_006)).toBe(1);
  });

  it('is read from the newest document alone when the snapshots are not all at hand', () => {
    const [, approve] = stepLanes(document, ['assess', 'approve'], null, T0 + 60_000);
    expect(approve.segments.map((s) => [s.kind, s.open, s.start - T0, s.end - T0])).toEqual([
      ['attempt', false, 5, 6],
      ['wait', true, 6, 60_000],
    ]);
  });

  it('continues the same attempt when the step starts again after the signal', () => {
    const resumed = [...events, ev(9000, 'resumed', 'approve'), ev(9010, 'step-started', 'approve'), ev(9100, 'step-completed', 'approve')];
    const [, approve] = stepLanes(document, ['assess', 'approve'], resumed, T0 + 9100);
    expect(approve.segments.map((s) => [s.kind, s.attempt ?? null, s.open])).toEqual([
      ['attempt', 1, false],
      ['wait', null, false],
      ['attempt', 1, false],
    ]);
  });
});

describe('the time axis', () => {
  it('is to scale with round ticks when nothing is idle for long', () => {
    const lanes = stepLanes(doc({ a: { status: 'completed', attempts: 1, startedAt: iso(0), endedAt: iso(1000) } }), ['a'], null, T0 + 1000);
    const axis = timeAxis(lanes, T0 + 1000);
    expect(axis.breaks).toEqual([]);
    // "1.0 s" would hang left over "800 ms" at the edge: it is left out.
    expect(axis.ticks.map((t) => t.label)).toEqual(['0', '200 ms', '400 ms', '600 ms', '800 ms']);
    expect(axis.ticks.map((t) => t.x)).toEqual([0, 0.2, 0.4, 0.6, 0.8].map((x) => expect.closeTo(x, 6)));
  });

  it('does not cut an idle second, only longer stretches', () => {
    const lanes = stepLanes(
      doc({
        a: { status: 'completed', attempts: 1, startedAt: iso(0), endedAt: iso(10) },
        b: { status: 'completed', attempts: 1, startedAt: iso(900), endedAt: iso(910) },
      }),
      ['a', 'b'],
      null,
      T0 + 910,
    );
    expect(timeAxis(lanes, T0 + 910).breaks).toEqual([]);
  });

  it('labels a break in the middle over its centre, and keeps the ticks clear of that label', () => {
    const lanes = stepLanes(
      doc({
        a: { status: 'completed', attempts: 1, startedAt: iso(0), endedAt: iso(100) },
        b: { status: 'completed', attempts: 1, startedAt: iso(2100), endedAt: iso(2200) },
      }),
      ['a', 'b'],
      null,
      T0 + 2200,
    );
    const axis = timeAxis(lanes, T0 + 2200);
    expect(axis.breaks).toEqual([{ x0: expect.closeTo(0.475, 3), x1: expect.closeTo(0.525, 3), label: '2 s', labelX: expect.closeTo(0.5, 3), align: 'center' }]);
    expect(axis.ticks[0]).toEqual({ x: 0, label: '0', align: 'start' });
    for (const t of axis.ticks) expect(t.x + 0.12 <= 0.43 || t.x >= 0.57).toBe(true);
  });

  it('gives the longer of two nearby breaks the label, so the two never print over each other', () => {
    // 10 ms, 1.5 s idle ("2 s" rounded), 1 ms, 11 s idle: the two breaks are a few hundredths of the width apart.
    const lanes = stepLanes(
      doc({
        a: { status: 'completed', attempts: 1, startedAt: iso(0), endedAt: iso(10) },
        b: { status: 'completed', attempts: 1, startedAt: iso(1510), endedAt: iso(1511) },
      }),
      ['a', 'b'],
      null,
      T0 + 12_511,
    );
    const axis = timeAxis(lanes, T0 + 12_511);
    expect(axis.breaks.map((b) => [b.label, b.hideLabel === true])).toEqual([
      ['2 s', true],
      ['11 s', false],
    ]);
  });

  it('keeps every tick label off every break label, a tick hanging left at the right edge too', () => {
    // Busy, an idle stretch cut short, then a little more work: the break sits near the right edge.
    for (const busy of [60, 80, 100, 120, 150]) {
      for (const after of [1, 2, 3, 5, 8]) {
        const end = busy + 1500 + after;
        const lanes = stepLanes(
          doc({
            a: { status: 'completed', attempts: 1, startedAt: iso(0), endedAt: iso(busy) },
            b: { status: 'completed', attempts: 1, startedAt: iso(busy + 1500), endedAt: iso(end) },
          }),
          ['a', 'b'],
          null,
          T0 + end,
        );
        const axis = timeAxis(lanes, T0 + end);
        for (const b of axis.breaks.filter((x) => !x.hideLabel)) {
          const [from, to] = b.align === 'end' ? [b.labelX - 0.14, b.labelX] : b.align === 'start' ? [b.labelX, b.labelX + 0.14] : [b.labelX - 0.07, b.labelX + 0.07];
          for (const t of axis.ticks) {
            const [left, right] = t.align === 'end' ? [t.x - 0.12, t.x] : [t.x, t.x + 0.12];
            expect(right <= from || left >= to, `${busy} ms + ${after} ms: tick ${t.label} at ${t.x.toFixed(3)}, break label ${from.toFixed(3)}–${to.toFixed(3)}`).toBe(true);
          }
        }
      }
    }
  });

  it('keeps a label hanging left at the right edge clear of the one before it', () => {
    const at = (end: number) => timeAxis(stepLanes(doc({ a: { status: 'completed', attempts: 1, startedAt: iso(0), endedAt: iso(end) } }), ['a'], null, T0 + end), T0 + end).ticks;
    // 25 ms in all, ticks every 5 ms: "25 ms" at the edge would hang left over "20 ms": it is left out.
    expect(at(25).at(-1)).toEqual({ x: expect.closeTo(0.8, 6), label: '20 ms', align: 'start' });
    for (const end of [25, 27, 30, 46, 130, 1000, 9000]) {
      const ticks = at(end);
      for (let i = 1; i < ticks.length; i++) {
        const [before, tick] = [ticks[i - 1], ticks[i]];
        expect(tick.x - (tick.align === 'end' ? 0.12 : 0) - before.x).toBeGreaterThanOrEqual(0.12);
      }
    }
  });

  it('picks 1, 2 or 5 steps and labels them as precisely as the step needs', () => {
    expect([niceStep(0.3), niceStep(3), niceStep(170), niceStep(4000)]).toEqual([1, 5, 200, 5000]);
    expect([formatTick(0, 100), formatTick(250, 50), formatTick(1500, 500), formatTick(242_500, 500)]).toEqual(['0', '250 ms', '1.5 s', '4 m 2.5 s']);
  });
});
