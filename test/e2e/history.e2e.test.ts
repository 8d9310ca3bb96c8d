// The history of a busy laptop in Chromium: 10,000 runs, read a page of work orders at a time. The window
// opens on the first page only, reads the next as the list nears its end (dropping those far from view, read
// again when scrolled back to), answers filters and searches from the core (a run on the last page is one
// search away), and puts a new run, or a retry of a run far down the history, at the top as the events
// arrive. The first page is asked for by the page's entry script before the app's code loads, and used once.
// Saves test-output/screenshots/history-paged.png.
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src-main/core/store/store';
import type { RunPage, RunSummary } from '../../src-main/shared/api';
import { examplesDir, repoRoot, tempDir } from '../support/tmp';
import { callApi, haveChromium, launchChromium, NO_CHROMIUM, startServer, stopServer, type RunningServer } from './harness';

const shotsDir = join(repoRoot, 'test-output/screenshots');
const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`history.e2e skipped: ${NO_CHROMIUM}`);

const RUNS = 10_000;
const id = (i: number) => `hist-${String(i).padStart(5, '0')}`;

/** 10,000 finished runs of orders-linear, one a minute: every odd one a retry of the one before; every tenth imported. */
async function seed(dbFile: string): Promise<void> {
  const store = Store.open(dbFile);
  await store.write.saveWorkflowVersion({ hash: 'feed0001', workflowId: 'orders-linear', source: '// old', bundle: '', meta: '{}', why: 'imported', createdAt: '2026-01-01T00:00:00.000Z' });
  store.db.transaction(() => {
    for (let i = 0; i < RUNS; i++) {
      const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
      store.sync.write.createRun({ id: id(i), workflowId: 'orders-linear', workflowVersion: 'feed0001', origin: i % 10 === 0 ? 'imported' : 'local', input: {}, config: {}, at, ...(i % 2 === 1 ? { retryOf: id(i - 1) } : {}) });
    }
    // Finished, so the server's recovery leaves them be.
    store.db.prepare(`UPDATE runs SET status = CASE WHEN rowid % 7 = 0 THEN 'failed' ELSE 'completed' END`).run();
  })();
  store.close();
}

describe.skipIf(!runIt)('the history, paged, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  /**
   * What each listRunPage the window asked for answered, in the order the answers came. Chromium hands a
   * body to the test only after the page has it (Network.getResponseBody), so a body may still be on its way
   * when the rows are drawn: `answers()` waits for every one. One a reload threw away reads as null.
   */
  const bodies: Promise<RunPage | null>[] = [];
  const answers = async (): Promise<RunPage[]> => (await Promise.all(bodies)).filter((a): a is RunPage => a !== null);
  /** Core answers (a page of 10,000 runs grouped) take their time on a loaded machine. */
  const slow = { timeout: 20_000 };
  const runsRegion = () => page.getByRole('region', { name: 'Runs', exact: true });
  const rows = () => runsRegion().locator('[data-run-id]');

  const call = <T>(method: string, ...args: unknown[]) => callApi<T>(server, method, ...args);
  /** Every request the page sent, in order, with the script that sent it (Chromium's initiator, over CDP). */
  const sent: { url: string; by: string }[] = [];
  const path = (url: string) => new URL(url).pathname;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    mkdirSync(shotsDir, { recursive: true });
    const dir = tempDir('studio-history-');
    const workspace = join(dir, 'workspace');
    cpSync(examplesDir, workspace, { recursive: true });
    seed(join(dir, 'studio.db'));
    server = await startServer(join(dir, 'studio.db'), workspace);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => msg.type() === 'error' && pageErrors.push(msg.text()));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    cdp.on('Network.requestWillBeSent', ({ request, initiator }) => {
      // The outermost frame with a script: what started the chain of calls that sent it.
      const script = (initiator.stack?.callFrames ?? []).findLast((f) => f.url !== '')?.url;
      if (/^https?:/.test(request.url)) sent.push({ url: path(request.url), by: script ? path(script) : initiator.type });
    });
    page.on('response', (res) => {
      if (!res.url().endsWith('/api/call/listRunPage')) return;
      bodies.push(res.json().then((b: { result?: RunPage }) => b.result ?? null, () => null));
    });
    await page.goto(server.url.href);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
  });

  it('opens on the first page of work orders only, and counts the whole history', async () => {
    await expect.poll(() => runsRegion().textContent(), { timeout: 20_000 }).toContain('10,000');
    await rows().first().waitFor();
    // The newest work order first: the last run and the retry under it.
    expect(await rows().first().getAttribute('data-run-id')).toBe(id(RUNS - 2));
    expect(await rows().nth(1).getAttribute('data-run-id')).toBe(id(RUNS - 1));
    // One page came, of 200 work orders (400 runs), not 10,000 runs; only what is in view is in the page.
    const [first] = await answers();
    expect(first.runs.length).toBe(400);
    expect(first.total).toBe(RUNS);
    expect(await rows().count()).toBeLessThan(60);
  });

  it("asks for the first page and the workflows from the page's entry script, before the app's code, and asks once", async () => {
    const entry = (await page.locator('script[type="module"]').getAttribute('src'))!.replace(/^\./, '');
    const order = sent.map((r) => r.url);
    const firstPage = order.indexOf('/api/call/listRunPage');
    // The entry script sends both calls, then asks for the app's code (boot.tsx's chunk): their answers travel while it loads.
    expect(sent[firstPage].by).toBe(entry);
    expect(sent[order.indexOf('/api/call/listWorkflows')].by).toBe(entry);
    const app = order.findIndex((url) => /^\/assets\/boot-[\w-]+\.js$/.test(url));
    expect(app).toBeGreaterThan(firstPage);
    // The window's own first call took that answer: one request for the first page, one for the workflows.
    expect(order.filter((url) => url === '/api/call/listRunPage').length).toBe(1);
    expect(order.filter((url) => url === '/api/call/listWorkflows').length).toBe(1);
  });

  it("draws the first rows when their answer came before the app's code", async () => {
    const other = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    try {
      // The app's code is handed over only once the page's early answer is there: the list mounts holding rows.
      const firstPage = other.waitForResponse((res) => res.url().endsWith('/api/call/listRunPage'));
      await other.route(/\/assets\/boot-[\w-]+\.js$/, async (route) => {
        await firstPage;
        await route.continue();
      });
      await other.goto(server.url.href);
      await other.locator(`[data-run-id="${id(RUNS - 2)}"]`).waitFor(slow);
      expect(await other.locator('section[aria-label="Runs"] [data-run-id]').count()).toBeGreaterThan(5);
    } finally {
      await other.context().close();
    }
  });

  it('reads the next pages as the list nears its end, down to the oldest run', async () => {
    const body = runsRegion().locator('.panel__body');
    const oldest = () => page.locator(`[data-run-id="${id(0)}"]`).count();
    // Scrolled to the end, the list reads the next page; once its rows are in, the list is longer: scroll again.
    for (let i = 0; i < 30 && (await oldest()) === 0; i++) {
      const height = await body.evaluate((el) => ((el.scrollTop = el.scrollHeight), el.scrollHeight));
      await expect.poll(async () => (await oldest()) > 0 || (await body.evaluate((el) => el.scrollHeight)) > height, slow).toBe(true);
    }
    expect(await oldest()).toBe(1);
    // 5,000 work orders in pages of 200: 25 pages, each read once, each after the one before.
    const pages = (await answers()).filter((a) => a.total === RUNS && a.matching === RUNS);
    expect(pages.length).toBe(25);
    const seen = new Set(pages.flatMap((a) => a.runs.map((r) => r.id)));
    expect(seen.size).toBe(RUNS);
    expect(pages.at(-1)!.next).toBeNull();
    expect(await runsRegion().getByText('Loading more runs…').count()).toBe(0);
  });

  it('drops the pages far from view, and reads one again when the list is scrolled back to it', async () => {
    const body = runsRegion().locator('.panel__body');
    const read = (await answers()).length;
    // Back to the 2,011th row (work order 1,006, on the sixth page): dropped while the list was at its end.
    const row = 2 * 1005;
    await body.evaluate((el, top) => (el.scrollTop = top), row * 44);
    await page.locator(`[data-run-id="${id(RUNS - 2 - row)}"]`).waitFor(slow);
    expect(await page.locator(`[data-run-id="${id(RUNS - 1 - row)}"]`).count()).toBe(1);
    // Read again by its cursor: the page in view and the one either side, not every page the scroll passed.
    const again = (await answers()).slice(read);
    expect(again.length).toBeGreaterThanOrEqual(1);
    expect(again.length).toBeLessThanOrEqual(3);
    expect(again.every((a) => a.runs.length === 400)).toBe(true);
    // Up and down walk the rows read again.
    await page.locator(`[data-run-id="${id(RUNS - 2 - row)}"]`).click();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => runsRegion().locator('[aria-current="true"]').getAttribute('data-run-id')).toBe(id(RUNS - 1 - row));
    expect(pageErrors).toEqual([]);
  });

  it('answers a search from the core: a run of the first hour is found at once, its work order around it', async () => {
    // Every answer read before the reload, so none is lost to it.
    expect((await Promise.all(bodies)).every((a) => a !== null)).toBe(true);
    await page.reload();
    await rows().first().waitFor();
    await runsRegion().getByRole('combobox', { name: 'Filter by origin' }).selectOption('imported');
    await runsRegion().getByRole('searchbox', { name: 'Search run id' }).fill(id(30));
    const shown = () => rows().evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')));
    await expect.poll(shown, slow).toEqual([id(30)]);
    expect(await runsRegion().textContent()).toMatch(/1 of 10,000/);
    // A retry found by its id shows under the first run of its work order, which is there, dimmed, for context.
    await runsRegion().getByRole('combobox', { name: 'Filter by origin' }).selectOption('');
    await runsRegion().getByRole('searchbox', { name: 'Search run id' }).fill(id(31));
    await expect.poll(shown, slow).toEqual([id(30), id(31)]);
    expect(await page.locator(`[data-run-id="${id(30)}"]`).locator('xpath=..').getAttribute('data-dimmed')).toBe('true');
    await runsRegion().getByRole('combobox', { name: 'Filter by status' }).selectOption('failed');
    await expect.poll(() => runsRegion().textContent(), slow).toMatch(/0 of 10,000|No run matches these filters/);
    await runsRegion().getByRole('combobox', { name: 'Filter by status' }).selectOption('');
    await runsRegion().getByRole('combobox', { name: 'Filter by origin' }).selectOption('');
    await runsRegion().getByRole('searchbox', { name: 'Search run id' }).fill('');
    await expect.poll(() => rows().first().getAttribute('data-run-id'), slow).toBe(id(RUNS - 2));
  });

  it('puts a new run at the top as it starts, and a retry of a run far down the history with its whole work order', async () => {
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption('orders-linear');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect.poll(() => runsRegion().textContent(), { timeout: 20_000 }).toContain('10,001');
    const fresh = await rows().first().getAttribute('data-run-id');
    expect(fresh).not.toBe(id(RUNS - 2));
    // Retried from elsewhere (the CLI, another window): only the event reaches this window.
    const retry = await call<RunSummary>('retry', id(40), { version: 'latest' });
    await expect.poll(() => rows().evaluateAll((els) => els.slice(0, 3).map((e) => e.getAttribute('data-run-id'))), { timeout: 20_000 }).toEqual([
      id(40),
      id(41),
      retry.id,
    ]);
    await page.screenshot({ path: join(shotsDir, 'history-paged.png') });
    expect(pageErrors).toEqual([]);
  });
});
