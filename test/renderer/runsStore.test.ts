// The history in the window: pages of work orders read as the list scrolls, runs from events merged in without
// a slow answer undoing a newer event, and a filter changed meanwhile dropping the answers it made stale.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunPage, RunPageQuery, RunSummary, StudioClient } from '@shared/api';
import { setStudioClient } from '../../src-renderer/lib/studio';
import { useErrors } from '../../src-renderer/lib/attempt';
import { MAX_HELD_PAGES, RUN_PAGE, runById, runRowAt, useRuns } from '../../src-renderer/features/runs/runsStore';
import { workOrderRows } from '@shared/workOrders';
import { FIRST_CALLS } from '../../src-renderer/transport/firstCalls';

const T0 = Date.UTC(2026, 0, 1);

/** Run number i, created i seconds after T0 (a larger i is newer). */
function run(i: number, change: Partial<RunSummary> = {}): RunSummary {
  const at = new Date(T0 + i * 1000).toISOString();
  return { id: `run-${String(i).padStart(5, '0')}`, workflowId: i % 2 ? 'odd' : 'even', workflowVersion: 'v1', status: 'completed', origin: 'local', createdAt: at, updatedAt: at, snapshotCount: 3, lastSeq: 3, ...change };
}

const cursorOf = (r: RunSummary) => JSON.stringify([r.createdAt, r.id]);

/**
 * A core holding `count` runs, each its own work order, that answers listRunPage newest first. After hold(), the
 * next request's answer waits for release(); `asked` lists every query.
 */
function fakeCore(count: number) {
  let runs = Array.from({ length: count }, (_, i) => run(i + 1)).reverse();
  const asked: RunPageQuery[] = [];
  const held: { resolve: () => void }[] = [];
  let holding = false;
  const page = (q: RunPageQuery): RunPage => {
    const matching = runs.filter((r) => !q.filter?.workflowId || r.workflowId === q.filter.workflowId);
    if (q.workOrderOf) return { runs: runs.filter((r) => r.id === q.workOrderOf || r.id === runs.find((p) => p.id === q.workOrderOf)?.retryOf), next: null, total: runs.length, matching: matching.length, workOrders: matching.length, workflowIds: ['even', 'odd'] };
    const after = q.after ? (JSON.parse(q.after) as [string, string]) : null;
    const from = after ? matching.findIndex((r) => r.createdAt < after[0]) : 0;
    const limit = q.limit ?? RUN_PAGE;
    const items = from === -1 ? [] : matching.slice(from, from + limit);
    const more = from !== -1 && from + limit < matching.length;
    return { runs: items, next: more && items.length ? cursorOf(items[items.length - 1]) : null, total: runs.length, matching: matching.length, workOrders: matching.length, workflowIds: ['even', 'odd'] };
  };
  const client = {
    listRunPage: async (q: RunPageQuery) => {
      asked.push(q);
      const answer = page(q); // read when asked, answered when released
      if (holding) {
        holding = false;
        await new Promise<void>((resolve) => held.push({ resolve }));
      }
      return answer;
    },
    startRun: async () => run(count + 1, { status: 'running' }),
  } as unknown as StudioClient;
  setStudioClient(client);
  return {
    asked,
    hold: () => (holding = true),
    release: async () => {
      for (const h of held.splice(0)) h.resolve();
      await vi.runAllTimersAsync();
    },
    add: (r: RunSummary) => (runs = [r, ...runs]),
    /** The run leaves the history's order (as one does a filter's when its status changes). */
    remove: (runId: string) => (runs = runs.filter((r) => r.id !== runId)),
  };
}

const ids = () => useRuns.getState().runs.map((r) => r.id);
/** The rows of the pages held, in the list's order. */
const heldRows = () => useRuns.getState().pages.flatMap((p) => p.rows ?? []);

describe('the runs store', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    useRuns.setState(useRuns.getInitialState(), true);
    useErrors.getState().dismissAll();
  });
  afterEach(() => vi.useRealTimers());

  it('reads the history a page at a time, newest first, and stops at the last page', async () => {
    const core = fakeCore(RUN_PAGE * 2 + 10);
    await useRuns.getState().load();
    let s = useRuns.getState();
    expect(s.runs).toHaveLength(RUN_PAGE);
    expect(s.runs[0].id).toBe(run(RUN_PAGE * 2 + 10).id);
    expect(s).toMatchObject({ loaded: true, total: RUN_PAGE * 2 + 10, matching: RUN_PAGE * 2 + 10, workflowIds: ['even', 'odd'] });
    expect(s.pages).toHaveLength(1);
    expect(s.next).not.toBeNull();

    await useRuns.getState().loadMore();
    await useRuns.getState().loadMore();
    s = useRuns.getState();
    expect(s.runs).toHaveLength(RUN_PAGE * 2 + 10);
    expect(s.pages).toHaveLength(3);
    expect(s.rowCount).toBe(RUN_PAGE * 2 + 10);
    expect(s.next).toBeNull();
    expect(s.runs.at(-1)!.id).toBe(run(1).id);
    expect(new Set(ids()).size).toBe(s.runs.length); // each run once

    await useRuns.getState().loadMore(); // nothing left: no call
    expect(core.asked).toHaveLength(3);
    expect(core.asked[1]).toMatchObject({ after: cursorOf(run(RUN_PAGE * 2 + 10 - RUN_PAGE + 1)), limit: RUN_PAGE });
  });

  it("asks first exactly what the page's entry script asked for early, so it takes that answer", async () => {
    const core = fakeCore(10);
    await useRuns.getState().load();
    // askEarly's answers are taken by the same method and the same arguments as JSON (key order included).
    const [method, args] = FIRST_CALLS.find(([m]) => m === 'listRunPage')!;
    expect(method).toBe('listRunPage');
    expect(JSON.stringify([core.asked[0]])).toBe(JSON.stringify(args));
  });

  it('asks for one next page at a time, however often the list asks', async () => {
    const core = fakeCore(RUN_PAGE * 3);
    await useRuns.getState().load();
    core.hold();
    const first = useRuns.getState().loadMore();
    void useRuns.getState().loadMore();
    void useRuns.getState().loadMore();
    expect(useRuns.getState().loadingMore).toBe(true);
    await core.release();
    await first;
    expect(core.asked.filter((q) => q.after)).toHaveLength(1);
    expect(useRuns.getState()).toMatchObject({ loadingMore: false });
    expect(useRuns.getState().pages).toHaveLength(2);
  });

  it('reads again as many pages as it holds, so a refresh keeps the place the person scrolled to', async () => {
    const core = fakeCore(RUN_PAGE * 3);
    await useRuns.getState().load();
    await useRuns.getState().loadMore();
    await useRuns.getState().load();
    expect(core.asked.at(-1)).toMatchObject({ limit: RUN_PAGE * 2 });
    // One answer of two pages' work orders, held as two pages again (each can be dropped and read on its own).
    const { pages } = useRuns.getState();
    expect(pages.map((p) => [p.after, p.runs?.length])).toEqual([
      [null, RUN_PAGE],
      [cursorOf(run(RUN_PAGE * 2 + 1)), RUN_PAGE],
    ]);
    expect(useRuns.getState().runs).toHaveLength(RUN_PAGE * 2);
  });

  it('drops the answer to a filter the person has already changed', async () => {
    const core = fakeCore(30);
    core.hold();
    useRuns.getState().setFilter({ workflowId: 'odd' }); // asked first, answered last
    useRuns.getState().setFilter({ workflowId: 'even' });
    await vi.runAllTimersAsync();
    expect(useRuns.getState().runs.every((r) => r.workflowId === 'even')).toBe(true);
    await core.release(); // the odd runs arrive now, after the person moved on
    const s = useRuns.getState();
    expect(s.filter.workflowId).toBe('even');
    expect(s.runs.every((r) => r.workflowId === 'even')).toBe(true);
    expect(s.matching).toBe(15);
  });

  it('keeps the copy of a run an event brought when a slower list answer carries an older one', async () => {
    const core = fakeCore(5);
    await useRuns.getState().load();
    core.hold();
    const load = useRuns.getState().load(); // reads run 5 as completed, answers later
    useRuns.getState().upsert(run(5, { status: 'failed', updatedAt: new Date(T0 + 60_000).toISOString(), snapshotCount: 4 }));
    await core.release();
    await load;
    const five = useRuns.getState().runs.find((r) => r.id === run(5).id)!;
    expect(five).toMatchObject({ status: 'failed', snapshotCount: 4 });
    expect(ids()).toEqual([5, 4, 3, 2, 1].map((i) => run(i).id));
  });

  it('shows a new run at once, and leaves one below the pages held to its page', async () => {
    const core = fakeCore(RUN_PAGE + 5);
    await useRuns.getState().load();
    const fresh = run(RUN_PAGE + 100, { status: 'running' });
    core.add(fresh);
    useRuns.getState().upsert(fresh);
    expect(ids()[0]).toBe(fresh.id);
    // Run 1 is older than every run on the first page: its event changes nothing held.
    useRuns.getState().upsert(run(1, { status: 'failed', updatedAt: new Date(T0 + 90_000).toISOString() }));
    expect(ids()).not.toContain(run(1).id);
    // The counts are read again once events settle.
    await vi.runAllTimersAsync();
    expect(core.asked.at(-1)).toMatchObject({ limit: 0 });
    expect(useRuns.getState().total).toBe(RUN_PAGE + 6);
  });

  it('brings the work order of a retry whose original the pages do not hold', async () => {
    const core = fakeCore(RUN_PAGE + 5);
    await useRuns.getState().load();
    const retry = run(RUN_PAGE + 50, { retryOf: run(1).id });
    core.add(retry);
    useRuns.getState().upsert(retry);
    await vi.runAllTimersAsync();
    expect(core.asked.some((q) => q.workOrderOf === retry.id)).toBe(true);
    expect(ids()).toContain(run(1).id);
    expect(ids()[0]).toBe(retry.id);
  });

  it('keeps the selected run when a filter hides it, and updates a run in place', async () => {
    fakeCore(10);
    await useRuns.getState().load();
    useRuns.getState().select(run(3).id);
    useRuns.getState().setFilter({ workflowId: 'even' });
    await vi.runAllTimersAsync();
    expect(ids()).toContain(run(3).id);
    useRuns.getState().upsert(run(3, { status: 'cancelled', updatedAt: new Date(T0 + 99_000).toISOString() }));
    expect(useRuns.getState().runs.filter((r) => r.id === run(3).id)).toEqual([expect.objectContaining({ status: 'cancelled' })]);
  });

  it('keeps the same runs when a run held is selected, so views reading them do not render again', async () => {
    fakeCore(RUN_PAGE * 2);
    await useRuns.getState().load();
    const before = useRuns.getState().runs;
    useRuns.getState().select(run(RUN_PAGE * 2 - 3).id);
    expect(useRuns.getState().runs).toBe(before);
    expect(useRuns.getState().selectedWorkOrder.map((r) => r.id)).toEqual([run(RUN_PAGE * 2 - 3).id]);
  });

  it('starts a run and holds it, leaving what to select to the caller', async () => {
    fakeCore(3);
    await useRuns.getState().load();
    const started = await useRuns.getState().startRun('odd');
    expect(started?.id).toBe(run(4).id);
    expect(ids()[0]).toBe(run(4).id);
    expect(useRuns.getState()).toMatchObject({ starting: false, selectedRunId: null });
  });

  it('lays out a next page after the rows it holds, leaving those rows as they were', async () => {
    const core = fakeCore(RUN_PAGE * 3);
    await useRuns.getState().load();
    const before = useRuns.getState().pages[0];
    expect(before.rows).toHaveLength(RUN_PAGE);
    await useRuns.getState().loadMore();
    // The first page is the very same: the next page's rows were added, the history was not grouped again.
    expect(useRuns.getState().pages[0]).toBe(before);
    const after = heldRows();
    expect(after).toHaveLength(RUN_PAGE * 2);
    expect(after.map((r) => r.run.id)).toEqual(Array.from({ length: RUN_PAGE * 2 }, (_, i) => run(RUN_PAGE * 3 - i).id));
    expect(core.asked).toHaveLength(2);
  });

  it('keeps its rows those of the runs it holds through pages, events, filters and folding', async () => {
    const core = fakeCore(RUN_PAGE * 2 + 20);
    const same = () => {
      const s = useRuns.getState();
      expect(heldRows()).toEqual(workOrderRows(s.runs, s.filter, s.collapsed));
      expect(s.rowCount).toBe(heldRows().length);
    };
    await useRuns.getState().load();
    same();
    const retry = run(RUN_PAGE * 2 + 30, { retryOf: run(RUN_PAGE * 2 + 20).id });
    core.add(retry);
    useRuns.getState().upsert(retry);
    same();
    await useRuns.getState().loadMore();
    same();
    useRuns.getState().toggleCollapsed(run(RUN_PAGE * 2 + 20).id);
    same();
    useRuns.getState().upsert(run(RUN_PAGE * 2 + 19, { status: 'failed', updatedAt: new Date(T0 + 999_000).toISOString() }));
    same();
    useRuns.getState().setFilter({ status: 'failed' });
    same();
    await vi.runAllTimersAsync();
    same();
    useRuns.getState().setFilter({ status: '' });
    await vi.runAllTimersAsync();
    await useRuns.getState().loadMore();
    await useRuns.getState().loadMore();
    same();
  });

  it('finds a held run by id as a scan of the runs held would, through pages, events and filters', async () => {
    const core = fakeCore(RUN_PAGE * 2 + 20);
    const agrees = () => {
      const { runs } = useRuns.getState();
      for (const r of runs) expect(runById(runs, r.id)).toBe(r);
      expect(runById(runs, 'no-such-run')).toBeUndefined();
      expect(runById(runs, null)).toBeUndefined();
    };
    await useRuns.getState().load();
    agrees();
    // Read before the next page lands: the index of the first page must not answer for the second.
    const firstPage = useRuns.getState().runs;
    await useRuns.getState().loadMore();
    agrees();
    expect(runById(useRuns.getState().runs, run(RUN_PAGE).id)).toBe(useRuns.getState().runs.find((r) => r.id === run(RUN_PAGE).id));
    expect(runById(firstPage, run(RUN_PAGE).id)).toBeUndefined();
    // An event replaces a held run by a fresher copy: that copy is the one found.
    const newer = run(RUN_PAGE * 2 + 20, { status: 'failed', updatedAt: new Date(T0 + 999_000).toISOString() });
    useRuns.getState().upsert(newer);
    expect(runById(useRuns.getState().runs, newer.id)).toMatchObject({ status: 'failed' });
    agrees();
    const fresh = run(RUN_PAGE * 2 + 40, { status: 'running' });
    core.add(fresh);
    useRuns.getState().upsert(fresh);
    agrees();
    useRuns.getState().setFilter({ workflowId: 'even' });
    await vi.runAllTimersAsync();
    agrees();
    expect(runById(useRuns.getState().runs, run(RUN_PAGE * 2 + 19).id)).toBeUndefined();
  });

  describe('scrolled far', () => {
    /** Reads `count` pages, as scrolling to the end of the list does. */
    async function readPages(count: number) {
      await useRuns.getState().load();
      for (let i = 1; i < count; i++) await useRuns.getState().loadMore();
    }
    const pageIds = (i: number) => useRuns.getState().pages[i].runs?.map((r) => r.id) ?? null;

    it('drops the pages far from the rows in view, keeping the first, and the list its length', async () => {
      fakeCore(RUN_PAGE * 12);
      await readPages(12);
      expect(useRuns.getState().runs).toHaveLength(RUN_PAGE * 12);
      const rowCount = useRuns.getState().rowCount;
      useRuns.getState().showRows(rowCount - 20, rowCount - 1);
      const s = useRuns.getState();
      expect(s.pages.map((p) => p.runs !== null)).toEqual([true, false, false, false, false, true, true, true, true, true, true, true]);
      expect(s.pages.filter((p) => p.runs)).toHaveLength(MAX_HELD_PAGES);
      expect(s.runs).toHaveLength(RUN_PAGE * MAX_HELD_PAGES);
      expect(s.rowCount).toBe(rowCount);
      expect(runRowAt(s, RUN_PAGE + 5)).toBeUndefined(); // a placeholder until read again
      expect(runRowAt(s, rowCount - 1)?.run.id).toBe(run(1).id);
    });

    it('reads a dropped page again by its cursor when scrolled back to, with the rows it had', async () => {
      const core = fakeCore(RUN_PAGE * 12);
      await readPages(12);
      const before = pageIds(2);
      const after = useRuns.getState().pages[2].after;
      useRuns.getState().showRows(RUN_PAGE * 12 - 20, RUN_PAGE * 12 - 1);
      expect(pageIds(2)).toBeNull();
      const asked = core.asked.length;
      // Scrolled back up fast: only the pages the list stops on (and one either side) are read.
      useRuns.getState().showRows(RUN_PAGE * 3 + 10, RUN_PAGE * 3 + 30);
      useRuns.getState().showRows(RUN_PAGE * 2 + 10, RUN_PAGE * 2 + 30);
      await vi.runAllTimersAsync();
      expect(core.asked.slice(asked).map((q) => q.after)).toEqual([useRuns.getState().pages[1].after, after, useRuns.getState().pages[3].after]);
      expect(core.asked.at(-1)).toMatchObject({ limit: RUN_PAGE });
      expect(pageIds(2)).toEqual(before);
      expect(runRowAt(useRuns.getState(), RUN_PAGE * 2 + 10)?.run.id).toBe(before![10]);
      // Shown again with its pages read, the list drops as many far ones.
      useRuns.getState().showRows(RUN_PAGE * 2 + 10, RUN_PAGE * 2 + 30);
      expect(useRuns.getState().pages.filter((p) => p.runs)).toHaveLength(MAX_HELD_PAGES);
    });

    it('keeps a page read again to its range when runs left it meanwhile: no run shows twice', async () => {
      const core = fakeCore(RUN_PAGE * 12);
      await readPages(12);
      const { rowCount } = useRuns.getState();
      useRuns.getState().showRows(rowCount - 20, rowCount - 1);
      expect(pageIds(2)).toBeNull();
      // A run of the third page leaves the core's order (as one leaves a filter's when its status changes).
      const gone = run(RUN_PAGE * 10 - 5).id;
      core.remove(gone);
      useRuns.getState().showRows(RUN_PAGE * 2 + 10, RUN_PAGE * 2 + 30);
      await vi.runAllTimersAsync();
      const s = useRuns.getState();
      // Its answer ran one work order into the fourth page's range: cut off, so that one shows once, on its page.
      expect(pageIds(2)).toHaveLength(RUN_PAGE - 1);
      expect(pageIds(2)).not.toContain(gone);
      expect(pageIds(3)).toHaveLength(RUN_PAGE);
      const seen = s.pages.flatMap((p) => p.runs ?? []).map((r) => r.id);
      expect(new Set(seen).size).toBe(seen.length);
      expect(s.rowCount).toBe(rowCount - 1);
    });

    it('holds the selected run while its page is dropped, and shows it again when read', async () => {
      fakeCore(RUN_PAGE * 12);
      await readPages(12);
      const selected = run(RUN_PAGE * 10 - 3).id; // on the third page
      useRuns.getState().select(selected);
      const { rowCount } = useRuns.getState();
      useRuns.getState().showRows(rowCount - 20, rowCount - 1);
      expect(pageIds(2)).toBeNull();
      expect(runById(useRuns.getState().runs, selected)?.id).toBe(selected);
      useRuns.getState().upsert(run(RUN_PAGE * 10 - 3, { status: 'failed', updatedAt: new Date(T0 + 9_999_000).toISOString() }));
      expect(runById(useRuns.getState().runs, selected)?.status).toBe('failed');
      expect(useRuns.getState().rowCount).toBe(rowCount);
      useRuns.getState().showRows(RUN_PAGE * 2, RUN_PAGE * 2 + 20);
      await vi.runAllTimersAsync();
      // Read again, the page shows the event's copy, not the older one the core answered with.
      expect(useRuns.getState().pages[2].rows!.find((r) => r.run.id === selected)?.run.status).toBe('failed');
    });

    it('moves the work order of a retry from a page held to the top', async () => {
      const core = fakeCore(RUN_PAGE * 12);
      await readPages(12);
      const { rowCount } = useRuns.getState();
      useRuns.getState().showRows(rowCount - 20, rowCount - 1);
      const original = run(3); // on the last page, held
      const retry = run(RUN_PAGE * 12 + 1, { retryOf: original.id });
      core.add(retry);
      useRuns.getState().upsert(retry);
      const s = useRuns.getState();
      expect([runRowAt(s, 0)?.run.id, runRowAt(s, 1)?.run.id]).toEqual([original.id, retry.id]);
      expect(pageIds(11)).not.toContain(original.id);
      expect(s.rowCount).toBe(rowCount + 1);
    });
  });
});
