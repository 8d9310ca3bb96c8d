// A run's documents in seq order, a page at a time, on either provider: what export and anything else that
// reads a whole run use instead of getSnapshot per seq (which rebuilds each document from its keyframe).
// Memory holds one page, however long the run.
import type { SnapshotDocument } from '../../shared/snapshot';
import type { StoreReader } from './contract';
import type { WalkedSnapshot } from './snapshotCodec';

/**
 * Documents per page: large enough that the chain walked to a page's first seq (at most a keyframe interval)
 * is a small part of its cost, small enough that a page of large documents stays a few megabytes.
 */
export const SNAPSHOT_PAGE = 256;

/** The documents of seqs fromSeq..toSeq, a page of `pageSize` read at a time (see StoreReader.snapshotsInOrder). */
export function snapshotsOf(store: StoreReader, runId: string, fromSeq: number, toSeq: number, pageSize = SNAPSHOT_PAGE): AsyncGenerator<SnapshotDocument> {
  return paged(fromSeq, toSeq, pageSize, (from, to) => store.snapshotsInOrder(runId, from, to));
}

/** As snapshotsOf, each document with the stored change that made it from the one before (see StoreReader.snapshotsWithChanges). */
export function snapshotChangesOf(store: StoreReader, runId: string, fromSeq: number, toSeq: number, pageSize = SNAPSHOT_PAGE): AsyncGenerator<WalkedSnapshot> {
  return paged(fromSeq, toSeq, pageSize, (from, to) => store.snapshotsWithChanges(runId, from, to));
}

async function* paged<T>(fromSeq: number, toSeq: number, pageSize: number, read: (from: number, to: number) => Promise<T[]>): AsyncGenerator<T> {
  for (let from = fromSeq; from <= toSeq; from += pageSize) yield* await read(from, Math.min(toSeq, from + pageSize - 1));
}
