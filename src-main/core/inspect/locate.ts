// Finding snapshots for the debugger: the last one a step made, and the one that first changed a path.
// Reads through the store's reader only: it cannot write, and stays out of the store's own internals.
import type { Json, SnapshotDocument } from '../../shared/snapshot';
import { StudioError } from '../../shared/errors';
import type { StoreReader } from '../store/store';

export async function findStepSnapshot(store: StoreReader, runId: string, stepId: string, which: 'first' | 'last'): Promise<number | null> {
  await store.getRunSummary(runId); // E_NO_RUN for an unknown run
  return (await store.stepSnapshotSeq(runId, stepId, which)) ?? null;
}

const unescapeSegment = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

/** The value at a JSON pointer ("" or "/" is the whole document); undefined where nothing is. */
export function valueAt(doc: unknown, pointer: string): unknown {
  if (pointer === '' || pointer === '/') return doc;
  let node: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    if (node === null || typeof node !== 'object') return undefined;
    const key = unescapeSegment(raw);
    node = Array.isArray(node) ? node[Number(key)] : (node as Record<string, Json>)[key];
  }
  return node;
}

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** Walks the snapshots in (from, to] and returns the first whose value at `pointer` differs from its predecessor's. */
export async function firstChange(store: StoreReader, runId: string, pointer: string, range: { from?: number; to?: number }): Promise<number | null> {
  const last = await store.countSnapshots(runId);
  const from = Math.max(1, range.from ?? 1);
  const to = Math.min(last, range.to ?? last);
  if (from > last) throw new StudioError('E_NO_SNAPSHOT', `run ${runId} has no snapshot #${from}`);
  let previous = valueAt(await store.getSnapshot(runId, from), pointer);
  for (let seq = from + 1; seq <= to; seq++) {
    const doc: SnapshotDocument = await store.getSnapshot(runId, seq);
    const value = valueAt(doc, pointer);
    if (!same(value, previous)) return seq;
    previous = value;
  }
  return null;
}
