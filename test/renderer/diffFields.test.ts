// Comparing two runs: the older one on the left, the fields that only name the run left out, and the
// snapshot's bookkeeping listed apart from the changes in the run's data.
import { describe, expect, it } from 'vitest';
import { ignoredFields, olderFirst, splitBookkeeping } from '../../src-renderer/features/diff/diffFields';

const VOLATILE = ['at', 'startedAt'];

describe('a comparison of two runs', () => {
  it('leaves out the run’s identity, as volatile, only when the two snapshots are of different runs', () => {
    expect(ignoredFields([{ runId: 'a', seq: 3 }, { runId: 'b', seq: 9 }], true, VOLATILE)).toEqual(['at', 'startedAt', 'runId', 'retryOf', 'forkedFrom', 'replayOf']);
    expect(ignoredFields([{ runId: 'a', seq: 3 }, { runId: 'b', seq: 9 }], false, VOLATILE)).toEqual(['runId', 'retryOf', 'forkedFrom', 'replayOf']);
    expect(ignoredFields([{ runId: 'a', seq: 3 }, { runId: 'a', seq: 9 }], true, VOLATILE)).toEqual(['at', 'startedAt']);
  });

  it('puts the older run on the left, whichever was picked first', () => {
    const older = { run: { createdAt: '2026-11-30T10:00:00.000Z' }, ref: { runId: 'old', seq: 10 } };
    const newer = { run: { createdAt: '2026-11-30T11:00:00.000Z' }, ref: { runId: 'new', seq: 4 } };
    expect(olderFirst(newer, older)).toEqual([older.ref, newer.ref]);
    expect(olderFirst(older, newer)).toEqual([older.ref, newer.ref]);
  });

  it('lists seq, kind, stepId and at apart from the changes in the run’s data', () => {
    const { data, bookkeeping } = splitBookkeeping([
      { path: '/seq', op: 'changed' },
      { path: '/kind', op: 'changed' },
      { path: '/stepId', op: 'changed' },
      { path: '/status', op: 'changed' },
      { path: '/state/totals', op: 'added' },
      { path: '/steps/ship/stepId', op: 'changed' },
    ]);
    expect(bookkeeping.map((p) => p.path)).toEqual(['/seq', '/kind', '/stepId']);
    expect(data.map((p) => p.path)).toEqual(['/status', '/state/totals', '/steps/ship/stepId']);
  });
});
