// The history's pages in the window: cut from one answer as the core would have paged it, each found again by its
// cursor, rows found across pages some of which are dropped, and a work order moved where its newest run sorts.
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '@shared/api';
import { NO_FILTER, pageWorkOrders } from '@shared/workOrders';
import {
  cutIntoPages,
  dropped,
  layOut,
  pageFor,
  pageOfRow,
  place,
  rowAt,
  rowIndexOf,
  rowStarts,
  upTo,
  workOrderCursor,
  workOrders,
  type HistoryPage,
} from '../../src-renderer/features/runs/historyPages';

const T0 = Date.UTC(2026, 0, 1);
const id = (i: number) => `run-${String(i).padStart(5, '0')}`;

/** Run i, created i minutes after T0: every third one a retry of the one before, every seventh a fork of it. */
function run(i: number): RunSummary {
  const at = new Date(T0 + i * 60_000).toISOString();
  const link = i % 3 === 1 ? { retryOf: id(i - 1) } : i % 7 === 6 ? { forkedFrom: id(i - 1) } : {};
  return { id: id(i), workflowId: 'orders', workflowVersion: 'v1', status: 'completed', origin: 'local', createdAt: at, updatedAt: at, snapshotCount: 3, lastSeq: 3, ...link };
}

const history = Array.from({ length: 1000 }, (_, i) => run(i + 1));
const idsOf = (runs: readonly RunSummary[] | null) => (runs ?? []).map((r) => r.id).sort();
const none = new Set<string>();

describe('the history pages', () => {
  it('cuts one answer into the pages the core would have given, each with its cursor', () => {
    const size = 40;
    const answer = pageWorkOrders(history, { limit: size * 5 });
    const pages = cutIntoPages(answer.runs, null, answer.next, size);
    expect(pages).toHaveLength(5);
    let after: string | undefined;
    for (const page of pages) {
      const core = pageWorkOrders(history, { limit: size, ...(after ? { after } : {}) });
      expect(page.after).toBe(after ?? null);
      expect(idsOf(page.runs)).toEqual(idsOf(core.runs));
      expect(page.next).toBe(core.next);
      after = core.next!;
    }
  });

  it('groups runs by work order, and places a work order by its newest run and its first', () => {
    // 10 retries 9; 7 retries 6, a fork of 5; 4 retries 3.
    const orders = workOrders([run(10), run(7), run(3), run(9), run(5), run(4), run(6)]);
    expect(orders.map((o) => o.map((r) => r.id))).toEqual([[id(10), id(9)], [id(7), id(5), id(6)], [id(3), id(4)]]);
    expect(workOrderCursor(orders[1])).toBe(JSON.stringify([run(7).createdAt, id(5)]));
  });

  it('finds the page whose range holds a work order, or none past the pages read', () => {
    const answer = pageWorkOrders(history, { limit: 60 });
    const pages = cutIntoPages(answer.runs, null, answer.next, 20);
    const [newest] = workOrders(pages[0].runs);
    const [third] = workOrders(pages[2].runs);
    expect(pageFor(pages, workOrderCursor(newest))).toBe(0);
    expect(pageFor(pages, workOrderCursor(third))).toBe(2);
    expect(pageFor(pages, workOrderCursor([run(1)]))).toBe(-1);
    // Past the last page read only while more remain to be read.
    expect(pageFor([{ next: null }], workOrderCursor([run(1)]))).toBe(0);
  });

  it('keeps of a page read again only the work orders up to the end of its range', () => {
    const answer = pageWorkOrders(history, { limit: 60 });
    const [first, second] = cutIntoPages(answer.runs, null, answer.next, 30);
    expect(idsOf(upTo(answer.runs, first.next))).toEqual(idsOf(first.runs));
    expect(idsOf(upTo(answer.runs, null))).toEqual(idsOf([...first.runs, ...second.runs]));
  });

  it('finds rows across pages, none in a dropped page, and the list keeps its length', () => {
    const answer = pageWorkOrders(history, { limit: 30 });
    const pages: HistoryPage[] = cutIntoPages(answer.runs, null, answer.next, 10).map((p) => layOut(p, NO_FILTER, none));
    const counts = pages.map((p) => p.rowCount);
    const held = [pages[0], dropped(pages[1]), pages[2]];
    const starts = rowStarts(held);
    expect(starts).toEqual([0, counts[0], counts[0] + counts[1], counts[0] + counts[1] + counts[2]]);
    expect(pageOfRow(starts, 0)).toBe(0);
    expect(pageOfRow(starts, counts[0])).toBe(1);
    expect(pageOfRow(starts, starts[3] + 5)).toBe(2);
    expect(rowAt(held, starts, counts[0] - 1)).toBe(pages[0].rows![counts[0] - 1]);
    expect(rowAt(held, starts, counts[0])).toBeUndefined();
    expect(rowAt(held, starts, starts[2])).toBe(pages[2].rows![0]);
    const deep = pages[2].rows![3].run.id;
    expect(rowIndexOf(held, starts, deep)).toBe(starts[2] + 3);
    expect(rowIndexOf(held, starts, pages[1].rows![0].run.id)).toBe(-1);
    expect(pageOfRow([0], 0)).toBe(-1);
  });

  it('moves a retried work order to the top, newest run first, out of the page it was on', () => {
    const answer = pageWorkOrders(history, { limit: 30 });
    const pages = cutIntoPages(answer.runs, null, answer.next, 10).map((p) => layOut(p, NO_FILTER, none));
    const [old] = workOrders(pages[2].runs!);
    const retry: RunSummary = { ...run(2000), id: 'run-retry', retryOf: old[old.length - 1].id };
    const moved = place(pages, [...old, retry], NO_FILTER, none);
    expect(moved[0].runs!.slice(0, old.length + 1).map((r) => r.id)).toEqual([retry.id, ...old.map((r) => r.id).reverse()]);
    expect(moved[0].rows![0].run.id).toBe(old[0].id); // its first run on top, the retry nested under it
    expect(moved[2].runs!.some((r) => old.includes(r))).toBe(false);
    expect(moved[2].rowCount).toBe(pages[2].rowCount - old.length);
    expect(moved[1]).toBe(pages[1]); // untouched pages stay as they were
    // Into a dropped page nothing is added: it reads the work order with the rest when scrolled back to.
    const into = place([pages[0], pages[1], dropped(pages[2])], old, NO_FILTER, none);
    expect(into[2].runs).toBeNull();
    expect(into[0]).toBe(pages[0]);
  });
});
