// The history as the Runs list holds it: pages of whole work orders in the core's order, each read after the
// cursor of the one before (keyset paging). A page far from the rows in view is dropped to its row count and read
// again by its cursor when scrolled back to: a history scrolled end to end holds a few pages, not 100,000 runs
// whose marking made every later garbage collection of the window long.
import type { RunSummary } from '@shared/api';
import { comesAfter, cursorOf, parentOf, readCursor, workOrderRows, type RunFilter, type RunRowModel } from '@shared/workOrders';

export interface HistoryPage {
  /** The cursor it is read after: null for the first page. */
  after: string | null;
  /** The cursor of its last work order, which the next page is read after: null when none follows. */
  next: string | null;
  /** Its runs, whole work orders; null once dropped. */
  runs: RunSummary[] | null;
  /** Its rows (workOrderRows of its runs); null once dropped. */
  rows: RunRowModel[] | null;
  /** How many rows it lays out, kept when it is dropped: the list keeps its length and the rows below their place. */
  rowCount: number;
}

/** A page as read, before it is laid out. */
export type PageRead = Pick<HistoryPage, 'after' | 'next'> & { runs: RunSummary[] };

/** `runs` grouped by work order (each first run with the runs made from it, as far as `runs` holds them), in the order their first runs come. */
export function workOrders(runs: readonly RunSummary[]): RunSummary[][] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const rootOf = (r: RunSummary) => {
    const seen = new Set<string>();
    while (!seen.has(r.id) && byId.has(parentOf(r) ?? '')) {
      seen.add(r.id);
      r = byId.get(parentOf(r)!)!;
    }
    return r;
  };
  const orders = new Map<string, RunSummary[]>();
  for (const r of runs) {
    const root = rootOf(r).id;
    const order = orders.get(root);
    if (order) order.push(r);
    else orders.set(root, [r]);
  }
  return [...orders.values()];
}

/** A work order's place in the history's order: its newest activity and its first run (what cursors are made of). */
function positionOf(order: readonly RunSummary[]): [string, string] {
  const ids = new Set(order.map((r) => r.id));
  const root = order.find((r) => !ids.has(parentOf(r) ?? '') || parentOf(r) === r.id) ?? order[0];
  let newest = root.createdAt;
  for (const r of order) if (r.createdAt > newest) newest = r.createdAt;
  return [newest, root.id];
}

/** A work order's place as the core's page cursors say it. */
export function workOrderCursor(order: readonly RunSummary[]): string {
  return cursorOf(...positionOf(order));
}

/** Whether a work order at `cursor` sorts after `boundary` (a page's `next`), so belongs to a later page. */
export function sortsAfter(cursor: string, boundary: string): boolean {
  return comesAfter(readCursor(cursor), readCursor(boundary));
}

/** The page whose range holds a work order at `cursor`; -1 when it sorts after every page read so far. */
export function pageFor(pages: readonly Pick<HistoryPage, 'next'>[], cursor: string): number {
  for (let i = 0; i < pages.length; i++) {
    const next = pages[i].next;
    if (next === null || !sortsAfter(cursor, next)) return i;
  }
  return -1;
}

/**
 * One answer of the core (work orders after `after`, up to `next`) cut into pages of `size` work orders, each
 * with the cursor the core would have given it, so each can be dropped and read again on its own.
 */
export function cutIntoPages(runs: RunSummary[], after: string | null, next: string | null, size: number): PageRead[] {
  const orders = workOrders(runs);
  if (orders.length <= size) return [{ after, next, runs }];
  const pages: PageRead[] = [];
  for (let i = 0; i < orders.length; i += size) {
    const chunk = orders.slice(i, i + size);
    const last = i + size >= orders.length;
    pages.push({ after: pages.at(-1)?.next ?? after, next: last ? next : workOrderCursor(chunk[chunk.length - 1]), runs: chunk.flat() });
  }
  return pages;
}

/** The runs of the work orders that sort up to `until` (a page's `next`; null: all of them). */
export function upTo(runs: RunSummary[], until: string | null): RunSummary[] {
  if (until === null) return runs;
  return workOrders(runs)
    .filter((order) => !sortsAfter(workOrderCursor(order), until))
    .flat();
}

export function layOut(page: PageRead, filter: RunFilter, collapsed: ReadonlySet<string>): HistoryPage {
  const rows = workOrderRows(page.runs, filter, collapsed);
  return { after: page.after, next: page.next, runs: page.runs, rows, rowCount: rows.length };
}

export const dropped = (page: HistoryPage): HistoryPage => ({ ...page, runs: null, rows: null });

/** Where each page's rows start in the list; the last entry is the number of rows. */
export function rowStarts(pages: readonly HistoryPage[]): number[] {
  const starts = [0];
  for (const page of pages) starts.push(starts[starts.length - 1] + page.rowCount);
  return starts;
}

/** The page holding row `index` (the last page for an index past the end, -1 when there is none). */
export function pageOfRow(starts: readonly number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  if (hi < 0) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The row at `index`: undefined while its page is dropped (or past the end). */
export function rowAt(pages: readonly HistoryPage[], starts: readonly number[], index: number): RunRowModel | undefined {
  const page = pageOfRow(starts, index);
  return page === -1 ? undefined : pages[page].rows?.[index - starts[page]];
}

/** The list index of a run's row among the pages held; -1 when no page held shows it. */
export function rowIndexOf(pages: readonly HistoryPage[], starts: readonly number[], runId: string): number {
  for (let p = 0; p < pages.length; p++) {
    const at = pages[p].rows?.findIndex((r) => r.run.id === runId) ?? -1;
    if (at !== -1) return starts[p] + at;
  }
  return -1;
}

/**
 * `pages` with a work order put where its newest activity now sorts (a new run at the top, a retry's whole work
 * order moved up, a fresher copy of a run in place): its runs are taken out of every page held, then added to the
 * page whose range holds it when that page is held. A dropped page reads it with the rest when scrolled back to;
 * one sorting after the pages read comes with its page.
 */
export function place(pages: readonly HistoryPage[], order: readonly RunSummary[], filter: RunFilter, collapsed: ReadonlySet<string>): HistoryPage[] {
  const ids = new Set(order.map((r) => r.id));
  const target = pageFor(pages, workOrderCursor(order));
  return pages.map((page, i) => {
    const holds = page.runs?.some((r) => ids.has(r.id)) ?? false;
    if (!page.runs || (i !== target && !holds)) return page;
    const rest = holds ? page.runs.filter((r) => !ids.has(r.id)) : page.runs;
    return layOut({ ...page, runs: i === target ? insertWorkOrder(rest, order) : rest }, filter, collapsed);
  });
}

/**
 * `runs` with a work order among them where it sorts, its newest run first, as the core would have sent it (views
 * that list the runs held, such as the Diff's other runs, show the newest first).
 */
function insertWorkOrder(runs: RunSummary[], order: readonly RunSummary[]): RunSummary[] {
  const at = positionOf(order);
  const out: RunSummary[] = [];
  let placed = false;
  for (const held of workOrders(runs)) {
    if (!placed && comesAfter(positionOf(held), at)) {
      out.push(...newestFirst(order));
      placed = true;
    }
    out.push(...held);
  }
  if (!placed) out.push(...newestFirst(order));
  return out;
}

const newestFirst = (runs: readonly RunSummary[]) =>
  [...runs].sort((a, b) => (a.createdAt !== b.createdAt ? (a.createdAt < b.createdAt ? 1 : -1) : a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
