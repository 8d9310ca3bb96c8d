// Reads: runs (all, or a page of work orders), snapshots (a page of summaries, one document, its outline),
// the diff of two snapshots, and a run's log lines.
import type { LogLine, Page, RunPage, RunPageQuery, SnapshotDiff, SnapshotRef, SnapshotSummary } from '../shared/api';
import { diffWithNotes, summarizeDelta } from '../shared/differ';
import type { Json, SnapshotDocument } from '../shared/snapshot';
import { outlineOf } from '../shared/snapshotOutline';
import { pageWorkOrders } from '../shared/workOrders';
import type { Store } from './store/store';

const DEFAULT_PAGE = 500;

export function listRunPage(store: Store, query: RunPageQuery): RunPage {
  // Grouping needs every run's links, so the page is cut from all run summaries (a narrow read: 10,000
  // runs in a few milliseconds); the window then holds and lays out only the pages it asked for.
  return pageWorkOrders(store.read.listRuns(), query);
}

export function listSnapshots(store: Store, runId: string, page: { offset?: number; limit?: number }): Page<SnapshotSummary> {
  const offset = page.offset ?? 0;
  const limit = page.limit ?? DEFAULT_PAGE;
  const total = store.read.countSnapshots(runId);
  return { items: store.read.listSnapshots(runId, offset, limit), total, offset, limit };
}

export function getSnapshotOutline(store: Store, runId: string, seq: number): SnapshotDocument {
  return outlineOf(store.read.getSnapshot(runId, seq));
}

export function diffSnapshots(store: Store, a: SnapshotRef, b: SnapshotRef): SnapshotDiff {
  const left = store.read.getSnapshot(a.runId, a.seq);
  const right = store.read.getSnapshot(b.runId, b.seq);
  const { delta, notes } = diffWithNotes(left, right);
  const result: SnapshotDiff = { a, b, left, summary: summarizeDelta(delta, notes) };
  if (delta !== undefined) result.delta = delta as Json;
  return result;
}

export function listLogs(store: Store, runId: string, options: { stepId?: string }): LogLine[] {
  store.read.getRunSummary(runId);
  const lines = store.read.listLogs(runId);
  return options.stepId === undefined ? lines : lines.filter((l) => l.stepId === options.stepId);
}
