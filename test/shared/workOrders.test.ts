// The History list: runs grouped as work orders, filtered, fast at 10,000 runs.
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src-main/shared/api';
import { join } from 'node:path';
import { NO_FILTER, pageWorkOrders, workOrderOf, workOrderRows } from '../../src-main/shared/workOrders';
import { StudioService } from '../../src-main/core/studio';
import { Store } from '../../src-main/core/store/store';
import { argsSchemaOf } from '../../src-main/shared/schemas';
import { repoRoot, tempDir, examplesDir } from '../support/tmp';

function run(id: string, minute: number, extra: Partial<RunSummary> = {}): RunSummary {
  const at = `2026-01-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
  return { id, workflowId: 'orders', workflowVersion: 'v1', status: 'completed', origin: 'local', createdAt: at, updatedAt: at, snapshotCount: 3, lastSeq: 3, ...extra };
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

/** 1,000 runs: every third a first run, the two after it its retry and a fork of the retry; one old run retried just now. */
function history(): RunSummary[] {
  const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  const runs: RunSummary[] = [];
  for (let i = 0; i < 1000; i++) {
    const extra: Partial<RunSummary> = i % 3 === 1 ? { retryOf: `r${i - 1}` } : i % 3 === 2 ? { forkedFrom: `r${i - 1}` } : {};
    runs.push({ ...run(`r${String(i).padStart(4, '0')}`, 0, extra), createdAt: at(i), updatedAt: at(i), status: i % 7 === 0 ? 'failed' : 'completed' });
  }
  // Link ids padded like the runs'.
  for (const r of runs) {
    if (r.retryOf) r.retryOf = `r${r.retryOf.slice(1).padStart(4, '0')}`;
    if (r.forkedFrom) r.forkedFrom = `r${r.forkedFrom.slice(1).padStart(4, '0')}`;
  }
  runs.push({ ...run('late-retry', 0, { retryOf: 'r0003' }), createdAt: at(2000), updatedAt: at(2000) });
  return runs;
}

/** Every page after the first, following `next`, concatenated. */
function readAll(runs: RunSummary[], filter = {}, limit = 50): { pages: RunSummary[][]; all: RunSummary[] } {
  const pages: RunSummary[][] = [];
  let after: string | undefined;
  do {
    const page = pageWorkOrders(runs, { filter, limit, ...(after ? { after } : {}) });
    pages.push(page.runs);
    after = page.next ?? undefined;
  } while (after);
  return { pages, all: pages.flat() };
}

describe('the history a page at a time (pageWorkOrders, what listRunPage answers)', () => {
  const runs = history();

  it('pages whole work orders, newest activity first, each run once and in the order the window lays them out', () => {
    const { pages, all } = readAll(runs);
    expect(pages.length).toBe(Math.ceil(334 / 50));
    expect(all.length).toBe(runs.length);
    expect(new Set(all.map((r) => r.id)).size).toBe(runs.length);
    // No work order is cut between two pages: each page holds every run of the work orders it has.
    for (const page of pages) for (const r of page) expect(workOrderOf(runs, r.id).every((id) => page.some((p) => p.id === id))).toBe(true);
    // Laying out the pages held so far gives the rows of the whole history, in order, cut after them.
    const full = workOrderRows(runs, NO_FILTER, new Set()).map((r) => r.run.id);
    const firstTwo = workOrderRows([...pages[0], ...pages[1]], NO_FILTER, new Set()).map((r) => r.run.id);
    expect(firstTwo).toEqual(full.slice(0, firstTwo.length));
    // The old run retried just now leads the history, with its whole work order.
    expect(full.slice(0, 4)).toEqual(['r0003', 'r0004', 'r0005', 'late-retry']);
  });

  it('filters in the core: only work orders with a matching run, the counts for "N of M", and a search reaching the last page', () => {
    const failed = pageWorkOrders(runs, { filter: { status: 'failed' }, limit: 10 });
    expect(failed.total).toBe(runs.length);
    expect(failed.matching).toBe(runs.filter((r) => r.status === 'failed').length);
    for (const r of failed.runs) expect(workOrderOf(runs, r.id).some((id) => runs.find((x) => x.id === id)!.status === 'failed')).toBe(true);
    // r0001 is the oldest work order's retry: the last page of the unfiltered history, the first when searched.
    const search = pageWorkOrders(runs, { filter: { query: 'R0001' } });
    expect(search.runs.map((r) => r.id).sort()).toEqual(['r0000', 'r0001', 'r0002']);
    expect([search.matching, search.workOrders, search.next]).toEqual([1, 1, null]);
    expect(pageWorkOrders(runs, { filter: { origin: 'imported' } })).toMatchObject({ runs: [], matching: 0, workOrders: 0, next: null });
    expect(pageWorkOrders(runs, { limit: 0 })).toMatchObject({ runs: [], total: runs.length, workflowIds: ['orders'] });
  });

  it('keeps its place when runs are added between two pages (keyset, not offset), and gives one run’s whole work order', () => {
    const first = pageWorkOrders(runs, { limit: 20 });
    const grown = [...runs, { ...run('brand-new', 0), createdAt: '2027-01-01T00:00:00.000Z', updatedAt: '2027-01-01T00:00:00.000Z' }];
    const second = pageWorkOrders(grown, { limit: 20, after: first.next! });
    expect(second.runs.filter((r) => first.runs.some((f) => f.id === r.id))).toEqual([]);
    expect(second.runs[0].id).toBe(pageWorkOrders(runs, { limit: 20, after: first.next! }).runs[0].id);
    expect(pageWorkOrders(runs, { workOrderOf: 'r0005' }).runs.map((r) => r.id).sort()).toEqual(['late-retry', 'r0003', 'r0004', 'r0005']);
  });

  it('refuses a cursor it did not write, naming the argument', () => {
    expect(() => pageWorkOrders(runs, { after: 'page-2' })).toThrow(/after: not a run page cursor: page-2/);
    expect(argsSchemaOf('listRunPage').safeParse([{ limit: -1 }]).success).toBe(false);
    expect(argsSchemaOf('listRunPage').safeParse([{ filter: { colour: 'red' } }]).success).toBe(false);
  });

  it('answers from a real database: 10,000 runs, a page of 200 work orders, the search reaching the oldest run', async () => {
    const dir = tempDir('studio-history-');
    const dbPath = join(dir, 'studio.db');
    const store = Store.open(dbPath);
    await store.write.saveWorkflowVersion({ hash: 'aa11', workflowId: 'wf', source: 'src', bundle: 'code', meta: '{}', why: 'ran', createdAt: '2026-01-01T00:00:00.000Z' }, { name: 'wf', file: 'wf.workflow.ts' });
    store.db.transaction(() => {
      for (let i = 0; i < 10_000; i++) {
        const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
        store.sync.write.createRun({ id: `run-${i}`, workflowId: 'wf', workflowVersion: 'aa11', origin: i % 10 === 0 ? 'imported' : 'local', input: {}, config: {}, at, ...(i % 2 === 1 ? { retryOf: `run-${i - 1}` } : {}) });
      }
    })();
    store.close();
    const service = await StudioService.open({ dbPath, workspaceDir: examplesDir, appRoot: repoRoot });
    try {
      const page = await service.listRunPage({ limit: 200 });
      expect([page.total, page.workOrders, page.runs.length]).toEqual([10_000, 5_000, 400]);
      expect(page.runs[0].id).toBe('run-9998');
      // Imported first runs whose id has "run-20" (run-20 is among the oldest), each with its local retry for context.
      const searched = await service.listRunPage({ filter: { query: 'RUN-20', origin: 'imported' }, limit: 200 });
      const hits = Array.from({ length: 10_000 }, (_, i) => i).filter((i) => i % 10 === 0 && `run-${i}`.includes('run-20'));
      expect(searched.matching).toBe(hits.length);
      expect(searched.runs.map((r) => r.id).sort()).toEqual(hits.flatMap((i) => [`run-${i}`, `run-${i + 1}`]).sort());
      expect(searched.runs.map((r) => r.id)).toContain('run-21');
    } finally {
      await service.close();
    }
  });
});
