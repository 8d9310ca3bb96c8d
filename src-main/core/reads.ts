// Reads: runs (all, or a page of work orders), snapshots (a page of summaries, one document, its outline),
// the diff of two snapshots, and a run's log lines.
import type { LogLine, Page, RunPage, RunPageQuery, SnapshotDiff, SnapshotRef, SnapshotSummary } from '../shared/api';
import { diffWithNotes, summarizeDelta } from '../shared/differ';
import type { Json, SnapshotDocument } from '../shared/snapshot';
import { outlineOf } from '../shared/snapshotOutline';
import { cursorOf, pageWorkOrders, readCursor } from '../shared/workOrders';
import type { SnapshotStore } from './store/contract';

const DEFAULT_PAGE = 500;

export async function listRunPage(store: SnapshotStore, query: RunPageQuery): Promise<RunPage> {
  // A search by run id (case folded as the window folds it) and one run's work order are cut from all run
  // summaries; a page otherwise is read by keyset over the stored work orders, whatever the history's size.
  if (query.workOrderOf !== undefined || query.filter?.query?.trim()) return pageWorkOrders(await store.read.listRuns(), query);
  const { workflowId, status, origin } = query.filter ?? {};
  const limit = query.limit ?? 200;
  const page = await store.read.listWorkOrderPage({ filter: { workflowId, status, origin }, ...(query.after !== undefined ? { after: readCursor(query.after) } : {}), limit });
  const last = page.workOrders.at(-1);
  return {
    // The page's runs in the order the window lays them out.
    runs: pageWorkOrders(page.runs, { ...(query.filter ? { filter: query.filter } : {}), limit: page.workOrders.length }).runs,
    next: page.more && last ? cursorOf(last.newest, last.root) : null,
    total: page.total,
    matching: page.matching,
    workOrders: page.workOrderCount,
    workflowIds: page.workflowIds,
  };
}

export async function listSnapshots(store: SnapshotStore, runId: string, page: { offset?: number; limit?: number }): Promise<Page<SnapshotSummary>> {
  const offset = page.offset ?? 0;
  const limit = page.limit ?? DEFAULT_PAGE;
  const total = await store.read.countSnapshots(runId);
  return { items: await store.read.listSnapshots(runId, offset, limit), total, offset, limit };
}

export async function getSnapshotOutline(store: SnapshotStore, runId: string, seq: number): Promise<SnapshotDocument> {
  return outlineOf(await store.read.getSnapshot(runId, seq));
}

export async function diffSnapshots(store: SnapshotStore, a: SnapshotRef, b: SnapshotRef): Promise<SnapshotDiff> {
  const left = await store.read.getSnapshot(a.runId, a.seq);
  const right = await store.read.getSnapshot(b.runId, b.seq);
  const { delta, notes } = diffWithNotes(left, right);
  const result: SnapshotDiff = { a, b, left, summary: summarizeDelta(delta, notes) };
  if (delta !== undefined) result.delta = delta as Json;
  return result;
}

export async function listLogs(store: SnapshotStore, runId: string, options: { stepId?: string }): Promise<LogLine[]> {
  await store.read.getRunSummary(runId);
  const lines = await store.read.listLogs(runId);
  return options.stepId === undefined ? lines : lines.filter((l) => l.stepId === options.stepId);
}
