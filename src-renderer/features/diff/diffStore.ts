// The comparison of two snapshots, of one run or of two, computed in a web worker (with progress) so even
// two 5 MB documents never hold up the window. "Only changes" and "Ignore volatile fields" are on by
// default; the volatile field names are the person's to edit and are remembered.
import { create } from 'zustand';
import type { SnapshotRef } from '@shared/api';
import { studio, workerToken } from '../../lib/studio';
import { attempt } from '../../lib/attempt';
import type { DiffMessage, DiffRequest } from './diff.worker';
import DiffWorker from './diff.worker?worker';
import type { DiffResult } from './diffJob';
import { ignoredFields } from './diffFields';

const VOLATILE_KEY = 'snapshot-studio.diff.volatile';
export const DEFAULT_VOLATILE = ['at', 'startedAt', 'endedAt', 'since', 'duration*'];

function restoreVolatile(): string[] {
  try {
    const saved = JSON.parse(localStorage.getItem(VOLATILE_KEY) ?? 'null') as unknown;
    return Array.isArray(saved) && saved.every((s) => typeof s === 'string') ? saved : DEFAULT_VOLATILE;
  } catch {
    return DEFAULT_VOLATILE;
  }
}

interface DiffState {
  pair: [SnapshotRef, SnapshotRef] | null;
  result: DiffResult | null;
  loading: boolean;
  progress: { stage: string; step: number; of: number } | null;
  onlyChanges: boolean;
  ignoreVolatile: boolean;
  volatileFields: string[];
  compare(a: SnapshotRef, b: SnapshotRef): Promise<void>;
  setOnlyChanges(on: boolean): void;
  setIgnoreVolatile(on: boolean): void;
  setVolatileFields(names: string[]): void;
  clear(): void;
}

/** Runs one comparison in the diff worker (started on first use, then kept) and resolves with its result. */
function diffWorker(): (request: DiffRequest, onProgress: (p: DiffState['progress']) => void) => Promise<DiffResult> {
  let worker: Worker | null = null;
  return (request, onProgress) => {
    worker ??= new DiffWorker();
    const w = worker;
    return new Promise((resolve, reject) => {
      const onMessage = (event: MessageEvent<DiffMessage>) => {
        const m = event.data;
        if (m.id !== request.id) return;
        if (m.type === 'progress') return onProgress({ stage: m.stage, step: m.step, of: m.of });
        w.removeEventListener('message', onMessage);
        if (m.type === 'done') resolve(m.result);
        else reject(new Error(m.message));
      };
      w.addEventListener('message', onMessage);
      w.postMessage(request);
    });
  };
}

export const useDiff = create<DiffState>()((set, get) => {
  const runInWorker = diffWorker();
  let nextJob = 1;
  return {
    pair: null,
    result: null,
    loading: false,
    progress: null,
    onlyChanges: true,
    ignoreVolatile: true,
    volatileFields: restoreVolatile(),
    compare: async (a, b) => {
      const pair: [SnapshotRef, SnapshotRef] = [a, b];
      set({ pair, result: null, loading: true, progress: null });
      const { ignoreVolatile, volatileFields } = get();
      const request: DiffRequest = { id: nextJob++, a, b, ignored: ignoredFields(pair, ignoreVolatile, volatileFields) };
      const token = workerToken();
      const result = await attempt(`Could not compare #${a.seq} with #${b.seq}`, async () => {
        if (token) request.token = token;
        else request.docs = await Promise.all([studio().getSnapshot(a.runId, a.seq), studio().getSnapshot(b.runId, b.seq)]);
        return runInWorker(request, (progress) => get().pair === pair && set({ progress }));
      });
      if (get().pair !== pair) return;
      set({ result: result ?? null, loading: false, progress: null });
    },
    setOnlyChanges: (on) => set({ onlyChanges: on }),
    setIgnoreVolatile: (on) => {
      set({ ignoreVolatile: on });
      const pair = get().pair;
      if (pair) void get().compare(...pair);
    },
    setVolatileFields: (names) => {
      set({ volatileFields: names });
      try {
        localStorage.setItem(VOLATILE_KEY, JSON.stringify(names));
      } catch {
        // Storage can be unavailable (private modes); the list then lasts until reload.
      }
      const { pair, ignoreVolatile } = get();
      if (pair && ignoreVolatile) void get().compare(...pair);
    },
    clear: () => set({ pair: null, result: null, loading: false, progress: null }),
  };
});
