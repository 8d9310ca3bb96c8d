// The History list: runs grouped as work orders, filtered, fast at 10,000 runs.
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src-main/shared/api';
import { NO_FILTER, workOrderOf, workOrderRows } from '../../src-renderer/features/runs/workOrders';

function run(id: string, minute: number, extra: Partial<RunSummary> = {}): RunSummary {
  const at = `2026-01-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
  return { id, workflowId: 'orders', workflowVersion: 'v1', status: 'completed', origin: 'local', createdAt: at, updatedAt: at, snapshotCount: 3, ...extra };
}

describe('work orders', () => {
  const runs = [
    run('a', 1, { status: 'failed' }),
    run('b', 2, { workflowId: 'other' }),
    run('a-retry', 3, { retryOf: 'a' }),
    run('a-retry-fork', 5, { forkedFrom: 'a-retry', status: 'failed' }),
    run('c', 4),
  ];

  it('nests retries and forks under the run they came from, the newest work order first', () => {
    const rows = workOrderRows(runs, NO_FILTER, new Set());
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.run.id}${r.relation ? ` (${r.relation})` : ''}`)).toEqual([
      'a',
      '  a-retry (retry)',
      '    a-retry-fork (fork)',
      'c',
      'b',
    ]);
    expect(rows[0].descendants).toBe(2);
  });

  it('keeps a work order whose runs match a filter, the others dimmed for context, and hides collapsed runs', () => {
    const rows = workOrderRows(runs, { ...NO_FILTER, status: 'failed' }, new Set());
    expect(rows.map((r) => [r.run.id, r.dimmed])).toEqual([
      ['a', false],
      ['a-retry', true],
      ['a-retry-fork', false],
    ]);
    expect(workOrderRows(runs, { ...NO_FILTER, query: 'FORK' }, new Set()).map((r) => r.run.id)).toEqual(['a', 'a-retry', 'a-retry-fork']);
    expect(workOrderRows(runs, NO_FILTER, new Set(['a'])).map((r) => r.run.id)).toEqual(['a', 'c', 'b']);
  });

  it('groups 10,000 runs: a search finds a retry and keeps it under its first run', () => {
    const many = Array.from({ length: 10_000 }, (_, i) => run(`r${i}`, i % 60, i % 3 === 0 || i === 0 ? {} : { retryOf: `r${i - (i % 3)}` }));
    const rows = workOrderRows(many, { ...NO_FILTER, query: 'r9998' }, new Set());
    // r9998 is a retry of r9996: the search shows the work order's head and the matching retry beneath it.
    expect(rows.map((r) => r.run.id)).toEqual(['r9996', 'r9998']);
  });
});

describe('workOrderOf (what "Export its work order" exports)', () => {
  const runs = [run('a', 1), run('b', 2, { retryOf: 'a' }), run('c', 3, { forkedFrom: 'b' }), run('d', 4, { replayOf: 'a' }), run('x', 5), run('y', 6, { retryOf: 'gone' })];

  it('goes up to the first run and takes every run made from it, from any member', () => {
    for (const id of ['a', 'b', 'c', 'd']) expect(workOrderOf(runs, id).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('is the run alone when nothing links to it, or its parent is not here', () => {
    expect(workOrderOf(runs, 'x')).toEqual(['x']);
    expect(workOrderOf(runs, 'y')).toEqual(['y']);
  });
});
