// Reads a run's newest snapshot off the main thread (browser mode: the worker calls the server itself) and
// posts back only what the waterfall, graph and run header use: a 5 MB state is parsed here, never there.
import type { SnapshotDocument } from '../../../src-main/shared/snapshot';
import { createHttpClient } from '../../transport/httpTransport';
import { outlineOf } from '../../../src-main/shared/snapshotOutline';

export interface LatestRequest {
  id: number;
  token: string;
  runId: string;
  seq: number;
}

export type LatestMessage = { id: number; ok: true; doc: SnapshotDocument } | { id: number; ok: false; message: string };

self.onmessage = async (event: MessageEvent<LatestRequest>) => {
  const { id, token, runId, seq } = event.data;
  const post = (m: LatestMessage) => (self as unknown as Worker).postMessage(m);
  try {
    post({ id, ok: true, doc: outlineOf(await createHttpClient(token).getSnapshot(runId, seq)) });
  } catch (err) {
    post({ id, ok: false, message: (err as Error).message });
  }
};
