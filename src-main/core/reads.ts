// Reads: runs (all, or a page of work orders), snapshots (a page of summaries, one document, its outline),
// the diff of two snapshots, and a run's log lines.
import type { LogLine, Page, RunPage, RunPageQuery, SnapshotDiff, SnapshotRef, SnapshotSummary } from '../shared/api';
import { diffWithNotes, summarizeDelta } from '../shared/differ';
import type { Json, SnapshotDocument } from '../shared/snapshot';
import { outlineOf } from '../shared/snapshotOutline';
import { pageWorkOrders } from '../shared/workOrders';
import type { SnapshotStore } from './store/contract';

const DEFAULT_PAGE = 500;

export async function listRunPage(store: SnapshotStore, query: RunPageQuery): Promise<RunPage> {
  // Grouping needs every run's links, so the page is cut from all run summaries (a narrow read: 10,000
  // runs in a few milliseconds); the window then holds and lays out only the pages it asked for.
  return pageWorkOrders(await store.read.listRuns(), query);
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
