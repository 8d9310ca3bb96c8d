// Runs grouped as work orders: a first run with the retries, forks and replays made from it nested under it
// (retryOf / forkedFrom / replayOf), newest work first, filtered by workflow, status, origin and run id.
// One grouping for both sides: the core pages the history by whole work orders (pageWorkOrders), the
// window lays out the pages it holds (workOrderRows), so both agree on the order.
import type { RunPage, RunPageQuery, RunSummary } from './api';
import { StudioError } from './errors';

export interface RunFilter {
  query: string;
  workflowId: string;
  status: string;
  origin: string;
}

export const NO_FILTER: RunFilter = { query: '', workflowId: '', status: '', origin: '' };

export interface RunRowModel {
  run: RunSummary;
  depth: number;
  /** How this run came from its parent. */
  relation?: 'retry' | 'fork' | 'replay';
  /** Runs nested under this one (all depths). */
  descendants: number;
  collapsed: boolean;
  /** Shown for context only: it does not match the filter, a run of its work order does. */
  dimmed: boolean;
}

// Plain code-unit order: ISO dates and ids sort right without localeCompare's cost (10,000 runs).
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The run a run was made from (a retry, fork or replay), if any. */
export const parentOf = (r: RunSummary) => r.retryOf ?? r.forkedFrom ?? r.replayOf;

/** Whether a work order at place [newest activity, first run's id] sorts after another: the history's order. */
export const comesAfter = ([newest, id]: [string, string], [otherNewest, otherId]: [string, string]) => newest < otherNewest || (newest === otherNewest && id < otherId);
const relationOf = (r: RunSummary): RunRowModel['relation'] => (r.retryOf ? 'retry' : r.forkedFrom ? 'fork' : r.replayOf ? 'replay' : undefined);

export function matches(run: RunSummary, f: RunFilter): boolean {
  if (f.workflowId && run.workflowId !== f.workflowId) return false;
  if (f.status && run.status !== f.status) return false;
  if (f.origin && run.origin !== f.origin) return false;
  const q = f.query.trim().toLowerCase();
  return !q || run.id.toLowerCase().includes(q);
}

/** Runs as a forest of work orders, with what the filter makes of each tree. */
interface Grouping {
  /** First runs, newest activity first. */
  roots: RunSummary[];
  children: Map<string, RunSummary[]>;
  /** The newest createdAt in a run's tree: a fresh retry brings its whole work order to the top. */
  newest: Map<string, string>;
  /** Whether a run or any run under it matches the filter. */
  anyMatch: Map<string, boolean>;
  /** Runs under a run, all depths. */
  size: Map<string, number>;
}

/** Each run under its parent when the parent is among `runs` (oldest child first); the others are roots. */
function forest(runs: readonly RunSummary[]): { byId: Map<string, RunSummary>; children: Map<string, RunSummary[]>; roots: RunSummary[] } {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const children = new Map<string, RunSummary[]>();
  const roots: RunSummary[] = [];
  for (const r of runs) {
    const parent = parentOf(r);
    if (parent && byId.has(parent) && parent !== r.id) {
      const list = children.get(parent) ?? [];
      list.push(r);
      children.set(parent, list);
    } else roots.push(r);
  }
  for (const list of children.values()) list.sort((a, b) => cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id));
  return { byId, children, roots };
}

/** A run and every run under it, all depths (each once, whatever the links say). */
function treeOf(root: RunSummary, children: ReadonlyMap<string, RunSummary[]>): RunSummary[] {
  const out: RunSummary[] = [];
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const r = stack.pop()!;
    if (seen.has(r.id)) continue;
    seen.add(r.id);
    out.push(r);
    stack.push(...(children.get(r.id) ?? []));
  }
  return out;
}

function group(runs: readonly RunSummary[], filter: RunFilter): Grouping {
  const { children, roots } = forest(runs);

  const newest = new Map<string, string>();
  const anyMatch = new Map<string, boolean>();
  const size = new Map<string, number>();
  const visit = (r: RunSummary, seen: Set<string>): [string, boolean, number] => {
    seen.add(r.id);
    let latest = r.createdAt;
    let match = matches(r, filter);
    let count = 0;
    for (const c of children.get(r.id) ?? []) {
      if (seen.has(c.id)) continue;
      const [l, m, n] = visit(c, seen);
      if (l > latest) latest = l;
      match ||= m;
      count += n + 1;
    }
    newest.set(r.id, latest);
    anyMatch.set(r.id, match);
    size.set(r.id, count);
    return [latest, match, count];
  };
  const seen = new Set<string>();
  for (const r of roots) visit(r, seen);
  roots.sort((a, b) => cmp(newest.get(b.id)!, newest.get(a.id)!) || cmp(b.id, a.id));
  return { roots, children, newest, anyMatch, size };
}

export function workOrderRows(runs: readonly RunSummary[], filter: RunFilter, collapsed: ReadonlySet<string>): RunRowModel[] {
  const { roots, children, anyMatch, size } = group(runs, filter);
  const rows: RunRowModel[] = [];
  const emit = (r: RunSummary, depth: number) => {
    if (!anyMatch.get(r.id)) return;
    const isCollapsed = collapsed.has(r.id);
    rows.push({ run: r, depth, relation: depth > 0 ? relationOf(r) : undefined, descendants: size.get(r.id) ?? 0, collapsed: isCollapsed, dimmed: !matches(r, filter) });
    if (!isCollapsed) for (const c of children.get(r.id) ?? []) emit(c, depth + 1);
  };
  for (const r of roots) emit(r, 0);
  return rows;
}

/** The page cursor of a work order: its newest activity and its first run's id, the order's sort key. */
export function cursorOf(newest: string, rootId: string): string {
  return JSON.stringify([newest, rootId]);
}

/** The newest activity of the last work order before a cursor: work orders newer than it are on the pages before. */
export function cursorNewest(cursor: string): string {
  return readCursor(cursor)[0];
}

export function readCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(cursor);
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') return [value[0], value[1]];
  } catch {
    // Reported below.
  }
  throw new StudioError('E_BAD_ARGUMENT', `after: not a run page cursor: ${cursor.slice(0, 80)} (pass the "next" of the page before)`);
}

/**
 * One page of the history: whole work orders (every run of each, matching the filter or not, so the window
 * can nest and dim them), the newest activity first, starting after `query.after`. A work order is in when
 * any of its runs matches the filter. With `workOrderOf`, the work order of that run alone.
 */
export function pageWorkOrders(runs: readonly RunSummary[], query: RunPageQuery): RunPage {
  const filter = { ...NO_FILTER, ...query.filter };
  const workflowIds = [...new Set(runs.map((r) => r.workflowId))].sort(cmp);
  let matching = 0;
  for (const r of runs) if (matches(r, filter)) matching++;
  const summary = { total: runs.length, matching, workflowIds };
  if (query.workOrderOf !== undefined) {
    const ids = new Set(workOrderOf(runs, query.workOrderOf));
    return { ...summary, runs: runs.filter((r) => ids.has(r.id)), workOrders: ids.size > 0 ? 1 : 0, next: null };
  }

  const { roots, children, newest, anyMatch } = group(runs, filter);
  const shown = roots.filter((r) => anyMatch.get(r.id));
  let start = 0;
  if (query.after !== undefined) {
    const after = readCursor(query.after);
    // The first work order sorting after the cursor: still right when runs were added since (keyset paging).
    start = shown.findIndex((r) => comesAfter([newest.get(r.id)!, r.id], after));
    if (start === -1) start = shown.length;
  }
  const limit = query.limit ?? 200;
  const page = shown.slice(start, start + limit);
  const last = page[page.length - 1];
  const next = start + limit < shown.length && last ? cursorOf(newest.get(last.id)!, last.id) : null;
  return { ...summary, runs: page.flatMap((root) => treeOf(root, children)), workOrders: shown.length, next };
}

/** The ids of a run's work order: its first run and every retry, fork and replay made from it, at any depth. */
export function workOrderOf(runs: readonly RunSummary[], runId: string): string[] {
  const { byId, children } = forest(runs);
  let root = byId.get(runId);
  if (!root) return [];
  const seen = new Set<string>();
  while (!seen.has(root.id) && byId.has(parentOf(root) ?? '')) {
    seen.add(root.id);
    root = byId.get(parentOf(root)!)!;
  }
  return treeOf(root, children).map((r) => r.id);
}
