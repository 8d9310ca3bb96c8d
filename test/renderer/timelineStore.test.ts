// Scrolling a long run's timeline: the store asks for the pages the list settles on, not every page it passed,
// and keeps a bounded number of them.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SnapshotSummary, StudioClient } from '../../src-main/shared/api';
import { setStudioClient } from '../../src-renderer/lib/studio';
import { rowAt, TIMELINE_MAX_PAGES, TIMELINE_PAGE_SIZE, useTimeline } from '../../src-renderer/features/timeline/timelineStore';

const TOTAL = 100_000;

function summary(seq: number): SnapshotSummary {
  return { seq, kind: 'step-completed', stepId: 's1', status: 'running', stepStatus: 'completed', at: new Date(Date.UTC(2026, 0, 1) + seq).toISOString(), size: 10 };
}

/** A server holding one run of TOTAL snapshots; `asked` lists the offsets requested. */
function fakeServer() {
  const asked: number[] = [];
  const client = {
    listSnapshots: async (_runId: string, { offset = 0, limit = 100 }: { offset?: number; limit?: number }) => {
      asked.push(offset);
      const items = Array.from({ length: Math.max(0, Math.min(limit, TOTAL - offset)) }, (_, i) => summary(offset + i + 1));
      return { items, total: TOTAL };
    },
    getSnapshotOutline: async (runId: string, seq: number) => ({ ...summary(seq), runId, steps: {}, cursor: { ready: [], running: [], waiting: [], timers: [] } }),
  } as unknown as StudioClient;
  setStudioClient(client);
  return asked;
}

describe('the timeline of a long run', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fetches the pages the list settles on, not every page it scrolled past', async () => {
    const asked = fakeServer();
    await useTimeline.getState().open('long');
    expect(asked).toEqual([0]);
    expect(useTimeline.getState().latest?.seq).toBe(TOTAL); // the newest snapshot, in outline from core
    // A fast scroll: a new range every frame, across 100 pages.
    for (let first = 0; first < 50_000; first += 250) useTimeline.getState().ensureRange(first - 50, first + 100);
    await vi.runAllTimersAsync();
    expect(asked).toEqual([0, 99 * TIMELINE_PAGE_SIZE]);
    expect(rowAt(useTimeline.getState().pages, 49_800)?.seq).toBe(49_801);
  });

  it('keeps only the pages near the rows in view, and the run start', async () => {
    fakeServer();
    await useTimeline.getState().open('long');
    for (let page = 1; page < 60; page++) {
      useTimeline.getState().ensureRange(page * TIMELINE_PAGE_SIZE, page * TIMELINE_PAGE_SIZE + 40);
      await vi.runAllTimersAsync();
    }
    const { pages } = useTimeline.getState();
    expect(pages.size).toBe(TIMELINE_MAX_PAGES);
    expect(pages.has(0)).toBe(true);
    expect(pages.has(59)).toBe(true);
    expect(pages.has(1)).toBe(false);
    // Scrolling back fetches an evicted page again.
    useTimeline.getState().ensureRange(TIMELINE_PAGE_SIZE, TIMELINE_PAGE_SIZE + 40);
    await vi.runAllTimersAsync();
    expect(rowAt(useTimeline.getState().pages, TIMELINE_PAGE_SIZE)?.seq).toBe(TIMELINE_PAGE_SIZE + 1);
  });

  it('reads the newest snapshot of the run open when the refresh fires, not of the run whose events asked for it', async () => {
    // Run "long" has 100,000 snapshots, run "short" 5: a refresh for "long" must never ask "short"'s total of it, or the reverse.
    const outlines: string[] = [];
    const client = {
      listSnapshots: async (runId: string, { offset = 0, limit = 100 }: { offset?: number; limit?: number }) => {
        const total = runId === 'short' ? 5 : TOTAL;
        return { items: Array.from({ length: Math.max(0, Math.min(limit, total - offset)) }, (_, i) => summary(offset + i + 1)), total };
      },
      getSnapshotOutline: async (runId: string, seq: number) => {
        outlines.push(`${runId}#${seq}`);
        if (seq > (runId === 'short' ? 6 : TOTAL + 1)) throw new Error(`run ${runId} has no snapshot #${seq}`);
        return { ...summary(seq), runId, steps: {}, cursor: { ready: [], running: [], waiting: [], timers: [] } };
      },
    } as unknown as StudioClient;
    setStudioClient(client);
    await useTimeline.getState().open('short');
    useTimeline.getState().snapshotAdded('short', summary(6)); // a live event: a refresh of the newest is scheduled
    await useTimeline.getState().open('long'); // the person opens another run before it fires
    await vi.runAllTimersAsync();
    expect(outlines).toEqual(['short#5', `long#${TOTAL}`, `long#${TOTAL}`]);
    expect(useTimeline.getState().latest).toMatchObject({ runId: 'long', seq: TOTAL });
  });

  it('opens a run whose oldest snapshots were pruned: rows, keys and the newest snapshot by seq, from the first kept', async () => {
    // Retention kept #98..#100 of a run: listSnapshots answers them from offset 0, getSnapshotOutline knows no #3.
    const outlines: number[] = [];
    const client = {
      listSnapshots: async (_runId: string, { offset = 0 }: { offset?: number }) => ({ items: [98, 99, 100].slice(offset).map(summary), total: 3 }),
      // Selecting a snapshot opens it in the Inspector.
      getSnapshot: async (runId: string, seq: number) => ({ ...summary(seq), runId, steps: {}, cursor: { ready: [], running: [], waiting: [], timers: [] } }),
      listLogs: async () => [],
      getSnapshotOutline: async (runId: string, seq: number) => {
        outlines.push(seq);
        if (seq < 98 || seq > 101) throw new Error(`run ${runId} has no snapshot #${seq}`);
        return { ...summary(seq), runId, steps: {}, cursor: { ready: [], running: [], waiting: [], timers: [] } };
      },
    } as unknown as StudioClient;
    setStudioClient(client);
    await useTimeline.getState().open('pruned');
    expect(useTimeline.getState()).toMatchObject({ firstSeq: 98, total: 3, latest: { seq: 100 } });
    useTimeline.getState().move(1);
    expect(useTimeline.getState().selectedSeq).toBe(98);
    useTimeline.getState().move(10);
    expect(useTimeline.getState().selectedSeq).toBe(100);
    // A snapshot written after the prune takes the next row, and the newest is read by its seq.
    useTimeline.getState().snapshotAdded('pruned', summary(101));
    expect(rowAt(useTimeline.getState().pages, 3)?.seq).toBe(101);
    await vi.runAllTimersAsync();
    expect(outlines).toEqual([100, 101]);
  });
});
