// A run another process writes arrives as run-updated only (no snapshot-added): when it is the open run and has
// snapshots past the ones shown, the timeline reads them.
import { describe, expect, it } from 'vitest';
import type { RunSummary, SnapshotSummary, StudioClient } from '@shared/api';
import { setStudioClient } from '../../src-renderer/lib/studio';
import { applyEvent } from '../../src-renderer/features/live/useLiveUpdates';
import { useTimeline } from '../../src-renderer/features/timeline/timelineStore';

function summary(seq: number): SnapshotSummary {
  return { seq, kind: 'step-completed', stepId: 's1', status: 'running', stepStatus: 'completed', at: new Date(Date.UTC(2026, 0, 1) + seq).toISOString(), size: 10 };
}

function run(lastSeq: number): RunSummary {
  return { id: 'r1', workflowId: 'w', workflowVersion: 'v', status: 'running', origin: 'local', createdAt: '', updatedAt: '', snapshotCount: lastSeq, lastSeq };
}

describe('an open run written by another process', () => {
  it('gains the snapshots past the ones shown when its run-updated says it has more', async () => {
    let stored = 3;
    const asked: number[] = [];
    setStudioClient({
      listSnapshots: async (_runId: string, { offset = 0, limit = 100 }: { offset?: number; limit?: number }) => {
        asked.push(offset);
        return { items: Array.from({ length: Math.max(0, Math.min(limit, stored - offset)) }, (_, i) => summary(offset + i + 1)), total: stored };
      },
      getSnapshotOutline: async (runId: string, seq: number) => ({ ...summary(seq), runId, steps: {}, cursor: { ready: [], running: [], waiting: [], timers: [] } }),
    } as unknown as StudioClient);
    await useTimeline.getState().open('r1');
    expect(useTimeline.getState().total).toBe(3);

    applyEvent({ type: 'run-updated', run: run(3) });
    expect(asked).toEqual([0]); // nothing new: nothing read

    stored = 5;
    applyEvent({ type: 'run-updated', run: run(5) });
    await expect.poll(() => useTimeline.getState().total).toBe(5);
    expect(asked).toEqual([0, 0]);
  });
});
