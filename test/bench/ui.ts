// The UI benchmark, in Chromium against `serve`: a run of 100,000 snapshots (time from selecting it to its first
// timeline rows, longest main-thread task while scrolling its timeline end to end) and two 5 MB snapshots
// (time to diff them, longest main-thread task meanwhile). Run alone with `npx tsx test/bench/ui.ts`.
// A second process keeps one core busy for the whole section: the targets must hold on a loaded machine.
// Main-thread tasks are read from Chromium's trace, every one of them, so a phase's longest says its margin.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CDPSession, Page } from 'playwright-core';
import { ReadableDB } from '../../src-main/core/store/handles';
import { lastRunChange, runsChangedSince } from '../../src-main/core/store/runs';
import { Store } from '../../src-main/core/store/store';
import { StudioService } from '../../src-main/core/studio';
import { SNAPSHOT_SCHEMA_VERSION, type SnapshotDocument } from '../../src-main/shared/snapshot';
import { launchChromium, startServer, stopServer } from '../e2e/harness';
import buildRendererIfStale from '../support/globalSetup';
import type { BenchSection } from './report';

const root = resolve(import.meta.dirname, '../..');
const SNAPSHOTS = 100_000;
const BIG_ITEMS = 22_000; // about 5 MB of state
/** Older finished runs in the history, every other one a retry of the one before (50,000 work orders). */
const HISTORY = 100_000;
/** Work orders a page of the Runs list holds (RUN_PAGE in runsStore). */
const RUN_PAGE = 200;
const historyId = (i: number) => `hist-${String(i).padStart(5, '0')}`;

/** A snapshot of a seeded run; its run ends with the one marked `last` (a run left running would be recovered at each start). */
function doc(runId: string, workflowVersion: string, seq: number, state: SnapshotDocument['state'], last = seq === SNAPSHOTS): SnapshotDocument {
  const step = `s${seq % 4}`;
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    runId,
    workflowId: 'orders-linear',
    workflowVersion,
    seq,
    kind: seq === 1 ? 'run-started' : seq % 2 ? 'step-completed' : 'step-started',
    stepId: seq === 1 ? null : step,
    status: last ? 'completed' : 'running',
    at: new Date(Date.UTC(2026, 0, 1) + seq * 10).toISOString(),
    input: null,
    config: {},
    state,
    steps: { [step]: { status: seq % 2 ? 'completed' : 'running', attempts: 1, output: { n: seq } } },
    cursor: { ready: [], running: [], waiting: [], timers: [] },
    metadata: {},
  };
}

/** Seeds the database directly: one run of 100,000 small snapshots, one of two 5 MB snapshots, and HISTORY older runs. */
export async function seed(dbFile: string): Promise<{ longRun: string; bigRun: string }> {
  const service = await StudioService.open({ dbPath: dbFile, workspaceDir: join(root, 'resources/examples'), appRoot: root });
  const version = (await service.listWorkflows()).workflows.find((w) => w.id === 'orders-linear')!.version;
  const store = service.store as Store;
  const at = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const longRun = 'bench-100k';
  const bigRun = 'bench-5mb';
  store.db.transaction(() => {
    store.sync.write.createRun({ id: longRun, workflowId: 'orders-linear', workflowVersion: version, origin: 'local', input: null, config: {}, at });
    for (let seq = 1; seq <= SNAPSHOTS; seq++) store.sync.write.appendSnapshots([doc(longRun, version, seq, { counter: seq })]);
    store.sync.write.createRun({ id: bigRun, workflowId: 'orders-linear', workflowVersion: version, origin: 'local', input: null, config: {}, at });
    // Keyed by id: jsondiffpatch matches long arrays with an LCS whose cost grows with the square of their length.
    const items = Object.fromEntries(Array.from({ length: BIG_ITEMS }, (_, i) => [`item-${i}`, { name: `Item number ${i}`, price: i * 1.5, tags: ['a', 'b', 'c'], note: 'x'.repeat(120) }]));
    store.sync.write.appendSnapshots([doc(bigRun, version, 1, { items })]);
    const changed = Object.fromEntries(Object.entries(items).map(([id, item], i) => [id, i % 100 === 0 ? { ...item, price: item.price + 1, note: 'changed' } : item]));
    store.sync.write.appendSnapshots([doc(bigRun, version, 2, { items: changed }, true)]);
    for (let i = 0; i < HISTORY; i++) {
      const created = new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString();
      store.sync.write.createRun({ id: historyId(i), workflowId: 'orders-linear', workflowVersion: version, origin: 'local', input: null, config: {}, at: created, ...(i % 2 ? { retryOf: historyId(i - 1) } : {}) });
    }
    store.db.prepare(`UPDATE runs SET status = 'completed' WHERE id LIKE 'hist-%'`).run();
  })();
  await service.close();
  return { longRun, bigRun };
}

/**
 * Chromium's trace categories read: 'toplevel' has every task a thread runs (wall and thread time), and
 * 'devtools.timeline' what ran inside it (script and its entry point, style, layout, paint, GC).
 */
const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline'];
/** A console.timeStamp label the page leaves in the trace when its empty Runs region is there. */
const RUNS_REGION = 'bench: Runs region';
/** The label a traced phase leaves first: its thread is the page's main thread. */
const PHASE_START = 'bench: phase';
const RUN_TASK = 'ThreadControllerImpl::RunTask';
const MICROTASKS = 'BlinkScheduler_PerformMicrotaskCheckpoint';

interface RawTraceEvent {
  ph: string;
  name: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { src_func?: string; data?: { functionName?: string; type?: string; message?: string } };
}

/** A trace event as kept: its thread, start and wall length (µs), thread time (µs), and what it was about. */
interface Slice {
  pid: number;
  tid: number;
  ts: number;
  dur: number;
  tdur: number;
  name: string;
  detail: string;
}

/** The parts of a task named in the notes: outermost events of each group, nested groups counted in each. */
const GROUPS: [string, ReadonlySet<string>][] = [
  ['script', new Set(['FunctionCall', 'EvaluateScript', 'v8.evaluateModule', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'FireIdleCallback'])],
  ['style', new Set(['UpdateLayoutTree'])],
  ['layout', new Set(['Layout'])],
  ['paint', new Set(['PrePaint', 'Paint', 'Layerize'])],
  ['GC', new Set(['MajorGC', 'MinorGC', 'V8.GC_MC_INCREMENTAL'])],
  ['HTML parsing', new Set(['ParseHTML'])],
];
const KEPT = new Set([RUN_TASK, MICROTASKS, ...GROUPS.flatMap(([, names]) => [...names])]);

/** A task of the page's main thread with the microtasks run right after it, as the Long Tasks API counts it. */
interface MainTask {
  ts: number;
  end: number;
  /** Thread time: less than the wall time when the thread waited for a core. */
  cpu: number;
  slices: Slice[];
}

const sliceOf = (e: RawTraceEvent): Slice => ({
  pid: e.pid,
  tid: e.tid,
  ts: e.ts,
  dur: e.dur ?? 0,
  tdur: e.tdur ?? 0,
  name: e.name,
  detail: e.args?.src_func ?? e.args?.data?.functionName ?? e.args?.data?.type ?? e.args?.data?.message ?? '',
});

/**
 * Traces the browser while `during` runs and returns every task of the page's main thread, told by the thread
 * that left the mark `from` (a console.timeStamp label; by default one left as the phase starts), from the
 * task that ran the mark on. Trace events are reduced as they arrive: a 100 s phase brings about 200 MB.
 */
async function traceMainThread<T>(page: Page, during: () => Promise<T>, from = PHASE_START): Promise<{ result: T; tasks: MainTask[] }> {
  const cdp: CDPSession = await page.context().browser()!.newBrowserCDPSession();
  const slices: Slice[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => {
    for (const e of value as unknown as RawTraceEvent[]) if ((e.ph === 'X' && KEPT.has(e.name)) || e.name === 'TimeStamp') slices.push(sliceOf(e));
  });
  await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { recordMode: 'recordAsMuchAsPossible', includedCategories: TRACE_CATEGORIES } });
  const stop = async () => {
    const complete = new Promise<{ dataLossOccurred: boolean }>((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    const { dataLossOccurred } = await complete;
    await cdp.detach();
    if (dataLossOccurred) throw new Error('the trace lost events (its buffer filled): the longest task cannot be told');
  };
  let result: T;
  try {
    if (from === PHASE_START) await page.evaluate(`console.timeStamp(${JSON.stringify(PHASE_START)})`);
    result = await during();
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  await stop();
  const mark = slices.find((s) => s.name === 'TimeStamp' && s.detail === from);
  if (!mark) throw new Error(`the trace has no mark "${from}": the page's main thread cannot be told`);
  const own = slices.filter((s) => s.pid === mark.pid && s.tid === mark.tid && s.name !== 'TimeStamp').sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const tasks: MainTask[] = [];
  let task: MainTask | undefined;
  for (const s of own) {
    if (task && s.ts < task.end) task.slices.push(s);
    else if (task && s.name === MICROTASKS && s.ts - task.end < 100) {
      task.end = Math.max(task.end, s.ts + s.dur);
      task.cpu += s.tdur;
      task.slices.push(s);
    } else tasks.push((task = { ts: s.ts, end: s.ts + s.dur, cpu: s.tdur, slices: [s] }));
  }
  return { result, tasks: tasks.filter((t) => t.end > mark.ts) };
}

const ms = (us: number) => us / 1000;
const fixed = (us: number) => ms(us).toFixed(1);

/** What a task was, from its outermost events: "a frame: script 12.3 (scroll event 9.1), layout 4.2, paint 3.0". */
function describeTask(task: MainTask): string {
  const parts: [string, number][] = [];
  for (const [label, names] of GROUPS) {
    let total = 0;
    let end = -1;
    for (const s of task.slices) {
      if (!names.has(s.name) || s.ts < end) continue;
      total += s.dur;
      end = s.ts + s.dur;
    }
    if (total >= 500) parts.push([label, total]);
  }
  parts.sort((a, b) => b[1] - a[1]);
  const entries = task.slices.filter((s) => GROUPS[0][1].has(s.name));
  const entry = (s: Slice) =>
    s.name === 'EventDispatch'
      ? `${s.detail} event`
      : s.name === 'FireAnimationFrame'
        ? 'animation frame'
        : s.name === 'TimerFire'
          ? 'timer'
          : s.name === 'FunctionCall'
            ? s.detail ? `${s.detail}()` : 'a script'
            : s.name;
  // Entry points that are not inside another one, longest first.
  const outer: Slice[] = [];
  for (const s of entries) if (!outer.some((o) => s.ts >= o.ts && s.ts < o.ts + o.dur)) outer.push(s);
  outer.sort((a, b) => b.dur - a.dur);
  const top = task.slices[0];
  const kind = top.detail === 'ScheduledActionSendBeginMainFrame' ? 'a frame' : outer[0] ? entry(outer[0]) : `a task (${top.detail || top.name})`;
  const what = parts.map(([label, us]) =>
    label === 'script' && kind === 'a frame' && outer.length > 0 ? `script ${fixed(us)} (${outer.slice(0, 2).map((s) => `${entry(s)} ${fixed(s.dur)}`).join(', ')})` : `${label} ${fixed(us)}`,
  );
  return `${fixed(task.end - task.ts)} ms (${fixed(task.cpu)} on the CPU), ${kind}${what.length ? `: ${what.join(', ')}` : ''}`;
}

interface TaskSummary {
  /** The longest task's wall time, ms (0 when the phase ran none). */
  longest: number;
  note: string;
}

/**
 * A phase's longest task, and a note: its tasks' p99, how many outlasted a 60 Hz frame, the thread's CPU time in all
 * and the most one task took (the work itself, whatever the wait for a core), and its three longest, what each was.
 */
function summarise(phase: string, tasks: MainTask[]): TaskSummary {
  const walls = tasks.map((t) => t.end - t.ts).sort((a, b) => a - b);
  const p99 = walls[Math.max(0, Math.ceil(walls.length * 0.99) - 1)] ?? 0;
  const overFrame = walls.filter((w) => w > 16_700).length;
  const cpu = tasks.reduce((sum, t) => sum + t.cpu, 0);
  const heaviest = Math.max(0, ...tasks.map((t) => t.cpu));
  const longest = [...tasks].sort((a, b) => b.end - b.ts - (a.end - a.ts)).slice(0, 3);
  return {
    longest: ms(walls.at(-1) ?? 0),
    note:
      `${phase}: ${tasks.length.toLocaleString('en')} main-thread tasks, p99 ${fixed(p99)} ms, ${overFrame} over 16.7 ms; ` +
      `${(cpu / 1e6).toFixed(2)} s on the CPU in all, at most ${fixed(heaviest)} ms in one; longest ${longest.map(describeTask).join('; ')}`,
  };
}

/** Marks when the empty Runs region is painted and when its first rows show; notes the Diff's progress bar. */
const MARKS = `
  window.__shell = -1;
  window.__firstRunRow = -1;
  new MutationObserver(() => {
    if (window.__shell < 0 && document.querySelector('section[aria-label="Runs"]')) {
      window.__shell = performance.now();
      // In the trace too: opening the Runs list is measured from here, on the thread that ran this.
      console.timeStamp('${RUNS_REGION}');
    }
    if (window.__firstRunRow < 0 && document.querySelector('[data-run-id]')) window.__firstRunRow = performance.now();
    // The Diff's progress bar, while a large diff is computed off the UI thread.
    if (document.querySelector('section[aria-label="Diff"] progress[aria-label="Diff progress"]')) window.__sawDiffProgress = true;
  }).observe(document, { childList: true, subtree: true });
`;

// Page scripts are strings: tsx would wrap named functions in a helper (__name) the page does not have.

/** Clicks a selector's element and measures until `until` matches, timed inside the page. */
function timeUntil(page: Page, click: string, until: string): Promise<number> {
  return page.evaluate(`new Promise((done) => {
    const t0 = performance.now();
    document.querySelector(${JSON.stringify(click)}).click();
    const check = () => (document.querySelector(${JSON.stringify(until)}) || performance.now() - t0 > 30000 ? done(performance.now() - t0) : requestAnimationFrame(check));
    check();
  })`);
}

/** Scrolls the timeline end to end in 400 frames, then waits for its last row; the time taken. */
const SCROLL_TIMELINE = `new Promise((done) => {
  const scroller = document.querySelector('section[aria-label="Timeline"] .panel__body');
  const t0 = performance.now();
  const stepPx = scroller.scrollHeight / 400;
  const tick = () => {
    scroller.scrollTop = Math.min(scroller.scrollHeight, scroller.scrollTop + stepPx);
    if (scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 2) return requestAnimationFrame(tick);
    const last = () => (document.querySelector('section[aria-label="Timeline"] [aria-label^="#${SNAPSHOTS} "]') ? done(performance.now() - t0) : requestAnimationFrame(last));
    last();
  };
  requestAnimationFrame(tick);
})`;

/** Scrolls the Runs list end to end, a screenful a frame, while its pages arrive, until the oldest run shows. */
const SCROLL_RUNS = `new Promise((done) => {
  const scroller = document.querySelector('section[aria-label="Runs"] .panel__body');
  const t0 = performance.now();
  const tick = () => {
    if (document.querySelector('[data-run-id="${historyId(0)}"]') || performance.now() - t0 > 300000) return done(performance.now() - t0);
    scroller.scrollTop = Math.min(scroller.scrollHeight, scroller.scrollTop + scroller.clientHeight);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})`;

/** Fetches one API call from the page and parses its answer, as the window does; the time taken. */
function timeCall(page: Page, token: string, method: string, args: unknown[]): Promise<number> {
  return page.evaluate(`(async () => {
    const t0 = performance.now();
    const res = await fetch('/api/call/${method}', { method: 'POST', headers: { 'content-type': 'application/json', 'x-studio-token': ${JSON.stringify(token)} }, body: ${JSON.stringify(JSON.stringify(args))} });
    await res.json();
    return performance.now() - t0;
  })()`);
}

/** A child process spinning one core until killed: the load the UI targets must hold under. */
function startBusyCore(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
}

function stopBusyCore(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * What serve's watcher of other processes costs on this history, once another process wrote one run: the runs
 * changed since the last change number it saw (schema version 8), against every run's status, last snapshot and
 * update time, which it read before, at start and at each poll. Median of 5 each, in µs.
 */
function watcherPoll(dbFile: string): { changedSince: number; everyRun: number } {
  const store = Store.open(dbFile);
  const other = Store.open(dbFile);
  try {
    const reader = new ReadableDB(store.db);
    const since = lastRunChange(reader);
    other.db.prepare(`UPDATE runs SET updated_at = ? WHERE id = ?`).run(new Date().toISOString(), historyId(0));
    const time = (read: () => unknown[], expected: number) => {
      const us: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        const found = read().length;
        us.push((performance.now() - t0) * 1000);
        if (found !== expected) throw new Error(`the watcher's read found ${found} runs, expected ${expected}`);
      }
      return Math.round(median(us));
    };
    return { changedSince: time(() => runsChangedSince(reader, since), 1), everyRun: time(() => store.sync.read.runMarks(), HISTORY + 2) };
  } finally {
    void other.close();
    void store.close();
  }
}

export async function benchUi(): Promise<BenchSection> {
  buildRendererIfStale(); // serve hands out the built renderer: measure the code as it is now
  const load = loadavg()[0];
  const busy = startBusyCore();
  const dir = mkdtempSync(join(tmpdir(), 'studio-bench-ui-'));
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
  try {
    const seeded = Date.now();
    const { longRun, bigRun } = await seed(join(dir, 'studio.db'));
    const seedMs = Date.now() - seeded;
    const poll = watcherPoll(join(dir, 'studio.db'));
    server = await startServer(join(dir, 'studio.db'));
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript(MARKS);
    // 0. The history of 100,000 runs: from navigation to the first run rows, then the first page against the
    // whole history in one answer (what the window read before it paged), then scrolling it end to end.
    // Opening the Runs list: tasks that ended after its empty region was there, until a second after its first rows.
    const runsOpen = await traceMainThread(
      page,
      async () => {
        await page.goto(server!.url.href);
        await page.locator(`[data-run-id="${longRun}"]`).waitFor();
        await page.waitForTimeout(1000);
      },
      RUNS_REGION,
    );
    const firstRunRowsMs = await page.evaluate<number>('window.__firstRunRow');
    // What the history itself costs: from the window's first paint of the Runs region to its first rows.
    const historyRowsMs = await page.evaluate<number>('window.__firstRunRow - window.__shell');
    const pageMs: number[] = [];
    const wholeMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      pageMs.push(await timeCall(page, server.token, 'listRunPage', [{ limit: 200 }]));
      wholeMs.push(await timeCall(page, server.token, 'listRuns', []));
    }
    const runsScroll = await traceMainThread(page, () => page.evaluate<number>(SCROLL_RUNS));
    const reachedOldest = (await page.locator(`[data-run-id="${historyId(0)}"]`).count()) === 1;
    await page.locator('section[aria-label="Runs"] .panel__body').evaluate((el) => (el.scrollTop = 0));
    await page.locator(`[data-run-id="${longRun}"]`).waitFor();

    // 1. Select the 100,000-snapshot run: until its first rows show, and the longest task while it opens.
    const openLong = await traceMainThread(page, async () => {
      const firstRowsMs = await timeUntil(page, `[data-run-id="${longRun}"]`, 'section[aria-label="Timeline"] .timeline-item__row');
      await page.waitForTimeout(1000);
      return firstRowsMs;
    });

    // 2. Scroll its timeline end to end, a screenful a frame and then in big jumps, and wait for the last row.
    const timelineScroll = await traceMainThread(page, () => page.evaluate<number>(SCROLL_TIMELINE));

    // 3. Open the run of two 5 MB snapshots (its newest one is read for the waterfall, graph and header), then
    // diff them: from Compare to the rendered diff.
    const openBig = await traceMainThread(page, async () => {
      await page.locator(`[data-run-id="${bigRun}"]`).click();
      await page.locator('section[aria-label="Timeline"] .timeline-item__row').first().waitFor();
      await page.waitForTimeout(1500);
    });
    await page.getByRole('checkbox', { name: 'Compare #1', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Compare #2', exact: true }).check();
    // Let the run's opening settle (its newest snapshot is read for the waterfall) before timing the diff alone.
    await page.waitForTimeout(1500);
    const diff = await traceMainThread(page, async () => {
      const diffMs = await timeUntil(page, 'section[aria-label="Timeline"] .panel__actions button', 'section[aria-label="Diff"] .diff-view .jsondiffpatch-delta');
      await page.waitForTimeout(200);
      return diffMs;
    });
    const paths = await page.locator('section[aria-label="Diff"] .changed-paths__count').textContent();
    const sawProgress = await page.evaluate<boolean>('window.__sawDiffProgress === true');
    // What the window holds at the end (the history scrolled, a long timeline and a 5 MB diff seen): every major
    // collection marks it. Read after the phases, as a full collection would change what they measure.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heapMb = (await cdp.send('Runtime.getHeapUsage')).usedSize / 1e6;
    await cdp.detach();

    const runsOpenTasks = summarise('opening the Runs list', runsOpen.tasks);
    const runsScrollTasks = summarise('scrolling the Runs list', runsScroll.tasks);
    const openLongTasks = summarise(`opening the run of ${SNAPSHOTS.toLocaleString('en')}`, openLong.tasks);
    const timelineTasks = summarise('scrolling its timeline', timelineScroll.tasks);
    const openBigTasks = summarise('opening the 5 MB run', openBig.tasks);
    const diffTasks = summarise('diffing', diff.tasks);
    const runsScrollMs = runsScroll.result;
    const firstRowsMs = openLong.result;
    const scrollMs = timelineScroll.result;
    const diffMs = diff.result;
    const longest = (t: TaskSummary) => Math.round(t.longest);

    return {
      title: 'UI (Chromium, browser mode)',
      rows: [
        { name: `open the window on ${HISTORY.toLocaleString('en')} + 2 runs → first run rows, from navigation (loads the whole app)`, value: Math.round(firstRunRowsMs), unit: 'ms' },
        { name: `… of which from the empty Runs region to its first rows (the history's own cost)`, value: Math.round(historyRowsMs), unit: 'ms', target: '≤ 150 ms', pass: firstRunRowsMs >= 0 && historyRowsMs <= 150 },
        { name: 'longest main-thread task opening the Runs list (from its empty region to a second after its first rows)', value: longest(runsOpenTasks), unit: 'ms', target: '< 50 ms', pass: runsOpenTasks.longest < 50 },
        {
          name: 'read the first page of the history (200 work orders), median of 5',
          value: Math.round(median(pageMs)),
          unit: 'ms',
          baseline: { name: 'the whole history in one answer (listRuns)', value: Math.round(median(wholeMs)) },
        },
        {
          name: `serve's watcher finds the one run another process wrote among ${(HISTORY + 2).toLocaleString('en')} (a poll, and its start), median of 5`,
          value: poll.changedSince,
          unit: 'µs',
          baseline: { name: "every run's status, last snapshot and update time (its read before schema version 8)", value: poll.everyRun },
        },
        { name: `longest main-thread task scrolling the Runs list end to end (${HISTORY.toLocaleString('en')} runs, ${Math.ceil(HISTORY / 2 / RUN_PAGE)} pages)`, value: longest(runsScrollTasks), unit: 'ms', target: '< 50 ms', pass: reachedOldest && runsScrollTasks.longest < 50 },
        { name: 'scrolling the Runs list end to end, pages read as it goes', value: Math.round(runsScrollMs), unit: 'ms' },
        { name: `select a run of ${SNAPSHOTS.toLocaleString('en')} snapshots → first timeline rows`, value: Math.round(firstRowsMs), unit: 'ms', target: '< 300 ms', pass: firstRowsMs < 300 },
        { name: 'longest main-thread task opening that run', value: longest(openLongTasks), unit: 'ms', target: '< 50 ms', pass: openLongTasks.longest < 50 },
        { name: 'longest main-thread task scrolling that timeline end to end', value: longest(timelineTasks), unit: 'ms', target: '< 50 ms', pass: timelineTasks.longest < 50 },
        { name: 'scrolling it end to end (400 steps + last page)', value: Math.round(scrollMs), unit: 'ms' },
        { name: 'longest main-thread task opening a run whose newest snapshot is 5 MB', value: longest(openBigTasks), unit: 'ms', target: '< 50 ms', pass: openBigTasks.longest < 50 },
        { name: 'diff two 5 MB snapshots → rendered diff', value: Math.round(diffMs), unit: 'ms', target: '≤ 800 ms', pass: diffMs <= 800 },
        { name: 'longest main-thread task while diffing', value: longest(diffTasks), unit: 'ms', target: '< 50 ms', pass: diffTasks.longest < 50 },
        { name: 'the Diff showed its progress bar while computing (1 = yes)', value: sawProgress ? 1 : 0, unit: '', target: 'shown', pass: sawProgress },
      ],
      notes: [
        `seeded ${SNAPSHOTS.toLocaleString('en')} + 2 snapshots in one transaction in ${seedMs} ms; the diff found ${paths} changed paths`,
        `main-thread tasks are every task of the page's renderer main thread in Chromium's trace (categories ${TRACE_CATEGORIES.join(', ')}), with the microtasks run after each; a task's time is wall time, its time on the CPU is the thread's own`,
        ...[runsOpenTasks, runsScrollTasks, openLongTasks, timelineTasks, openBigTasks, diffTasks].map((t) => t.note),
        `the page's JavaScript heap at the end, after a full collection: ${heapMb.toFixed(1)} MB`,
        `a second process (node -e 'for (;;) {}', pid ${busy.pid}) kept one core busy from seeding to the end of this section (${cpus().length} cores here; load average ${load.toFixed(2)} when it started, other processes included)`,
      ],
    };
  } finally {
    await browser?.close();
    if (server) await stopServer(server.child);
    await stopBusyCore(busy);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const section = await benchUi();
  console.log(section.title);
  for (const r of section.rows) {
    const base = r.baseline ? `  (${r.baseline.name}: ${r.baseline.value} ${r.unit})` : '';
    console.log(`  ${r.pass === undefined ? ' ' : r.pass ? '✓' : '✗'} ${r.name}: ${r.value} ${r.unit}${base}${r.target ? `  (target ${r.target})` : ''}`);
  }
  for (const n of section.notes ?? []) console.log(`  · ${n}`);
}
