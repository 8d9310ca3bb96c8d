// The diff worker: fetches both snapshots itself where it can (browser mode: JSON parsed off the main
// thread; both asked for at once, so one is parsed here while the server reads the other), or takes them
// from the page (Electron), then runs the comparison and posts progress and result. It calls the server
// without the full client, whose method table would bring every schema into this worker's bundle.
import type { SnapshotRef } from '@shared/api';
import type { SnapshotDocument } from '@shared/snapshot';
import { callApi } from '../../transport/httpCall';
import { runDiffJob } from './diffJob';

export interface DiffRequest {
  id: number;
  a: SnapshotRef;
  b: SnapshotRef;
  ignored: string[];
  /** Browser mode: the worker calls the server itself. */
  token?: string;
  docs?: [SnapshotDocument, SnapshotDocument];
}

export type DiffMessage =
  | { id: number; type: 'progress'; stage: string; step: number; of: number }
  | { id: number; type: 'done'; result: ReturnType<typeof runDiffJob> }
  | { id: number; type: 'error'; message: string };

const post = (m: DiffMessage) => (self as unknown as Worker).postMessage(m);
const STAGES = 4;

self.onmessage = async (event: MessageEvent<DiffRequest>) => {
  const { id, a, b, ignored, token, docs } = event.data;
  let step = 0;
  const progress = (stage: string) => post({ id, type: 'progress', stage, step: ++step, of: STAGES });
  try {
    let left: SnapshotDocument;
    let right: SnapshotDocument;
    if (docs) [left, right] = docs;
    else {
      const read = (ref: SnapshotRef) => callApi(token ?? '', 'getSnapshot', [ref.runId, ref.seq]) as Promise<SnapshotDocument>;
      progress(`Loading #${a.seq} and #${b.seq}`);
      [left, right] = await Promise.all([read(a), read(b)]);
    }
    post({ id, type: 'done', result: runDiffJob(left, right, ignored, progress) });
  } catch (err) {
    post({ id, type: 'error', message: (err as Error).message });
  }
};
