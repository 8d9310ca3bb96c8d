// The comparison a replay report rests on: first differing JSON path, and step-by-step verdicts.
import { describe, expect, it } from 'vitest';
import { compareRuns, firstDifference } from '../../../src-main/core/replay/compare';
import { statePatches } from '../../../src-main/core/replay/stateChanges';
import { applyStatePatches } from '../../../src-main/core/engine/stateMerge';
import { SNAPSHOT_SCHEMA_VERSION, type SnapshotDocument, type StepRecord } from '../../../src-main/shared/snapshot';

const doc = (steps: Record<string, StepRecord>): SnapshotDocument => ({
  schemaVersion: SNAPSHOT_SCHEMA_VERSION,
  runId: 'r',
  workflowId: 'w',
  workflowVersion: 'v',
  seq: 9,
  kind: 'run-completed',
  stepId: null,
  status: 'completed',
  at: '2026-01-01T00:00:00.000Z',
  input: null,
  config: {},
  state: {},
  steps,
  cursor: { ready: [], running: [], waiting: [], timers: [] },
  metadata: {},
});
const done = (output: StepRecord['output'], startedAt: string, extra: Partial<StepRecord> = {}): StepRecord => ({ status: 'completed', attempts: 1, output, startedAt, ...extra });

describe('firstDifference', () => {
  it('returns null for equal values, whatever the key order', () => {
    expect(firstDifference({ a: [1, { b: null }], c: 'x' }, { c: 'x', a: [1, { b: null }] })).toBeNull();
  });

  it('names the first differing path as a JSON pointer, escaping ~ and /', () => {
    expect(firstDifference({ 'a/b': { 'c~d': [1, 2] } }, { 'a/b': { 'c~d': [1, 3] } })).toEqual({ path: '/a~1b/c~0d/1', recorded: 2, replayed: 3 });
  });

  it('leaves out the value of the side that lacks the path', () => {
    expect(firstDifference({ a: 1 }, { a: 1, b: 2 })).toEqual({ path: '/b', replayed: 2 });
    expect(firstDifference([1, 2], [1])).toEqual({ path: '/1', recorded: 2 });
  });

  it('compares the whole value when the types differ', () => {
    expect(firstDifference({ a: 1 }, [1])).toEqual({ path: '', recorded: { a: 1 }, replayed: [1] });
    expect(firstDifference('1', 1)).toEqual({ path: '', recorded: '1', replayed: 1 });
  });
});

describe('compareRuns', () => {
  it('reports the divergence of the step that started first, not the first in document order', () => {
    const recorded = doc({ late: done({ n: 1 }, '2026-01-01T00:00:02Z'), early: done({ n: 1 }, '2026-01-01T00:00:01Z') });
    const replayed = doc({ late: done({ n: 2 }, '2026-01-01T00:00:02Z'), early: done({ n: 2 }, '2026-01-01T00:00:01Z') });
    expect(compareRuns(recorded, replayed)).toEqual({ firstDivergence: { stepId: 'early', field: 'output', path: '/n', recorded: 1, replayed: 2 }, missingSteps: [], addedSteps: [], compared: 2 });
  });

  it('compares status, then loop iteration, then the error message of failed steps', () => {
    const t = '2026-01-01T00:00:01Z';
    expect(compareRuns(doc({ s: done(1, t) }), doc({ s: { status: 'failed', attempts: 1, startedAt: t, error: { name: 'Error', message: 'x' } } })).firstDivergence).toEqual({
      stepId: 's',
      field: 'status',
      path: 'status',
      recorded: 'completed',
      replayed: 'failed',
    });
    expect(compareRuns(doc({ s: done(1, t, { iteration: 3 }) }), doc({ s: done(1, t, { iteration: 2 }) })).firstDivergence).toEqual({ stepId: 's', field: 'iteration', path: 'iteration', recorded: 3, replayed: 2 });
    const failed = (message: string): StepRecord => ({ status: 'failed', attempts: 2, startedAt: t, error: { name: 'Error', message } });
    expect(compareRuns(doc({ s: failed('card declined') }), doc({ s: failed('card declined') })).firstDivergence).toBeUndefined();
    expect(compareRuns(doc({ s: failed('card declined') }), doc({ s: failed('timeout') })).firstDivergence).toEqual({ stepId: 's', field: 'error', path: 'error', recorded: 'card declined', replayed: 'timeout' });
  });

  it('lists steps the replay did not run and steps it ran that the recording did not; skipped-versus-absent is no difference', () => {
    const recorded = doc({ a: done(1, '2026-01-01T00:00:01Z'), gone: done(1, '2026-01-01T00:00:02Z'), branch: { status: 'skipped', attempts: 0 } });
    const replayed = doc({ a: done(1, '2026-01-01T00:00:01Z'), gone: { status: 'pending', attempts: 0 }, fresh: done(2, '2026-01-01T00:00:03Z') });
    expect(compareRuns(recorded, replayed)).toEqual({
      firstDivergence: { stepId: 'gone', field: 'status', path: 'status', recorded: 'completed', replayed: 'pending' },
      missingSteps: ['gone'],
      addedSteps: ['fresh'],
      compared: 1,
    });
  });

  it('compares the state after each step at the paths it changed, after its output', () => {
    const t = '2026-01-01T00:00:01Z';
    const steps = doc({ s: done(1, t) });
    const change = (before: object, after: object) => new Map([['s', { before, after } as never]]);
    // Same output, a state write more in the replay: named with its /state/... path.
    expect(compareRuns(steps, steps, { recorded: change({}, { order: { id: 1 } }), replayed: change({}, { order: { id: 1, rush: true } }) }).firstDivergence).toEqual({
      stepId: 's',
      field: 'state',
      path: '/state/order/rush',
      replayed: true,
    });
    // A write the replay did not make (the recorded effect's state change, say).
    expect(compareRuns(steps, steps, { recorded: change({ a: 1 }, { a: 1, shipped: true }), replayed: change({ a: 1 }, { a: 1 }) }).firstDivergence).toEqual({
      stepId: 's',
      field: 'state',
      path: '/state/shipped',
      recorded: true,
    });
    // A key a step running beside it wrote, in the other order on the two sides, is not this step's divergence.
    expect(compareRuns(steps, steps, { recorded: change({}, { mine: 1 }), replayed: change({ theirs: 2 }, { theirs: 2, mine: 1 }) }).firstDivergence).toBeUndefined();
    // The output is compared first.
    expect(compareRuns(steps, doc({ s: done(2, t) }), { recorded: change({}, { x: 1 }), replayed: change({}, {}) }).firstDivergence).toMatchObject({ field: 'output' });
  });
});

describe('statePatches', () => {
  it('gives the set/remove patches that turn one state into the other, arrays set whole', () => {
    const before = { keep: { a: 1, b: [1, 2] }, gone: true, same: [1] };
    const after = { keep: { a: 2, b: [1, 2, 3], c: null }, same: [1], added: { x: 1 } };
    const patches = statePatches(before, after);
    expect(patches).toEqual([
      { op: 'remove', path: ['gone'] },
      { op: 'replace', path: ['keep', 'a'], value: 2 },
      { op: 'replace', path: ['keep', 'b'], value: [1, 2, 3] },
      { op: 'add', path: ['keep', 'c'], value: null },
      { op: 'add', path: ['added'], value: { x: 1 } },
    ]);
    expect(applyStatePatches(before, patches)).toEqual(after);
    // Applied to a state that differs elsewhere, they change only what they name.
    expect(applyStatePatches({ ...before, other: 'kept' }, patches)).toEqual({ ...after, other: 'kept' });
  });
});
