// Which fields a comparison leaves out and which it shows apart, pure: across two runs the fields that only
// say which run a document belongs to are left out like the volatile ones, and the engine's bookkeeping
// (which snapshot this is, what made it, when) is listed apart from the changes in the run's data.
import type { DiffSummary, RunSummary, SnapshotRef } from '@shared/api';

/** Fields that name the run a document belongs to: always different between two runs, so never news. */
export const RUN_IDENTITY_FIELDS = ['runId', 'retryOf', 'forkedFrom', 'replayOf'] as const;

/** The snapshot's own bookkeeping at the document's root: which one it is, what made it, and when. */
export const BOOKKEEPING_PATHS: readonly string[] = ['/seq', '/kind', '/stepId', '/at'];

/** The field names a comparison of `pair` leaves out. */
export function ignoredFields(pair: readonly [SnapshotRef, SnapshotRef], ignoreVolatile: boolean, volatileFields: readonly string[]): string[] {
  const ignored = ignoreVolatile ? [...volatileFields] : [];
  if (pair[0].runId !== pair[1].runId) for (const f of RUN_IDENTITY_FIELDS) if (!ignored.includes(f)) ignored.push(f);
  return ignored;
}

/** The changed paths in two lists: the run's data, and the snapshot's bookkeeping. */
export function splitBookkeeping(paths: DiffSummary['paths']): { data: DiffSummary['paths']; bookkeeping: DiffSummary['paths'] } {
  const data: DiffSummary['paths'] = [];
  const bookkeeping: DiffSummary['paths'] = [];
  for (const p of paths) (BOOKKEEPING_PATHS.includes(p.path) ? bookkeeping : data).push(p);
  return { data, bookkeeping };
}

/** Two runs' snapshots in the order a comparison reads, older run on the left: what was, then what is. */
export function olderFirst(
  a: { run: Pick<RunSummary, 'createdAt'>; ref: SnapshotRef },
  b: { run: Pick<RunSummary, 'createdAt'>; ref: SnapshotRef },
): [SnapshotRef, SnapshotRef] {
  return Date.parse(b.run.createdAt) < Date.parse(a.run.createdAt) ? [b.ref, a.ref] : [a.ref, b.ref];
}
