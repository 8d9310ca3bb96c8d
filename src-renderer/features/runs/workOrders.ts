// Runs grouped as work orders: a first run with the retries, forks and replays made from it nested under it
// (retryOf / forkedFrom / replayOf), newest work first, filtered by workflow, status, origin and run id.
import type { RunSummary } from '../../../src-main/shared/api';

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

const parentOf = (r: RunSummary) => r.retryOf ?? r.forkedFrom ?? r.replayOf;
const relationOf = (r: RunSummary): RunRowModel['relation'] => (r.retryOf ? 'retry' : r.forkedFrom ? 'fork' : r.replayOf ? 'replay' : undefined);

export function matches(run: RunSummary, f: RunFilter): boolean {
  if (f.workflowId && run.workflowId !== f.workflowId) return false;
  if (f.status && run.status !== f.status) return false;
  if (f.origin && run.origin !== f.origin) return false;
  const q = f.query.trim().toLowerCase();
  return !q || run.id.toLowerCase().includes(q);
}

export function workOrderRows(runs: RunSummary[], filter: RunFilter, collapsed: ReadonlySet<string>): RunRowModel[] {
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

  // Newest activity first: a fresh retry brings its whole work order to the top.
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

/** The ids of a run's work order: its first run and every retry, fork and replay made from it, at any depth. */
export function workOrderOf(runs: readonly RunSummary[], runId: string): string[] {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const seen = new Set<string>();
  let root = byId.get(runId);
  while (root && !seen.has(root.id) && byId.has(parentOf(root) ?? '')) {
    seen.add(root.id);
    root = byId.get(parentOf(root)!);
  }
  const children = new Map<string, string[]>();
  for (const r of runs) {
    const parent = parentOf(r);
    if (parent) children.set(parent, [...(children.get(parent) ?? []), r.id]);
  }
  const out = new Set<string>();
  const stack = [root?.id ?? runId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return [...out];
}
