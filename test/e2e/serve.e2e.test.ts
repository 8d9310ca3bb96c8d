// Browser mode end to end: a person opens the URL `snapshot-studio serve` printed, runs an example workflow,
// watches its snapshots arrive live in the timeline, compares two of them and reads the diff, in real Chromium.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../support/tmp';
import { apiRequest, haveChromium, launchChromium, NO_CHROMIUM, startServer, stopServer, type RunningServer } from './harness';

const shotsDir = join(repoRoot, 'test-output/e2e');

if (!haveChromium && !process.env.CI) console.warn(`serve.e2e: skipping the browser test. ${NO_CHROMIUM}`);

describe('browser mode (snapshot-studio serve)', () => {
  let server: RunningServer;
  let browser: Browser | undefined;

  let dbFile = '';
  beforeAll(async () => {
    mkdirSync(shotsDir, { recursive: true });
    dbFile = join(tempDir('studio-e2e-'), 'studio.db');
    server = await startServer(dbFile);
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
  });

  it.skipIf(!haveChromium && !process.env.CI)(
    'runs a workflow, watches its snapshots arrive, diffs two of them, then retries, pauses and resumes runs',
    async () => {
      if (!haveChromium) throw new Error(NO_CHROMIUM);
      browser = await launchChromium();
      const page: Page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
      const pageErrors: string[] = [];
      page.on('pageerror', (err) => pageErrors.push(err.message));
      page.on('console', (msg) => {
        if (msg.type() === 'error') pageErrors.push(msg.text());
      });

      // Items in each answer to listSnapshots, to tell snapshots fetched from those that arrived by events.
      const fetchedPages: number[] = [];
      page.on('response', (res) => {
        if (!res.url().endsWith('/api/call/listSnapshots')) return;
        void res.json().then((body: { result: { items: unknown[] } }) => fetchedPages.push(body.result.items.length), () => undefined);
      });
      await page.goto(server.url.href);
      // The token leaves the address bar once the app has kept it for this tab.
      await expect.poll(() => new URL(page.url()).searchParams.has('token')).toBe(false);

      const picker = page.getByRole('combobox', { name: 'Workflow' });
      await expect.poll(() => picker.locator('option', { hasText: 'orders-linear' }).count()).toBe(1);
      await expect.poll(() => page.getByRole('region', { name: 'Runs' }).textContent()).toContain('No runs yet');
      await picker.selectOption('orders-linear');
      await page.getByRole('button', { name: 'Run', exact: true }).click();

      // The new run is selected, and its snapshots arrive in the timeline as the engine writes them.
      const timeline = page.getByRole('region', { name: 'Timeline' });
      const runs = page.getByRole('region', { name: 'Runs' });
      await expect.poll(() => runs.getByRole('button', { name: /^orders-linear run .* completed, \d+ snapshots$/ }).count(), { timeout: 20_000 }).toBe(1);
      await timeline.getByRole('button', { name: /^#\d+ run-completed/ }).waitFor({ timeout: 20_000 });
      const compareBoxes = timeline.getByRole('checkbox', { name: /^Compare #\d+$/ });
      const count = await compareBoxes.count();
      expect(count).toBeGreaterThanOrEqual(10);
      await expect(timeline.getByRole('button', { name: /^#\d+ step-completed ship \w+$/ }).count()).resolves.toBe(1);
      await expect(runs.textContent()).resolves.toContain(`${count} snap`);

      // The Inspector shows the selected snapshot's document; arrow keys walk the timeline.
      await timeline.getByRole('button', { name: /^#2 / }).click();
      const inspector = page.getByRole('region', { name: 'Inspector' });
      await expect.poll(() => inspector.textContent()).toContain('"seq": 2');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => inspector.textContent()).toContain('"seq": 3');
      await expect(timeline.getByRole('button', { name: /^#3 / }).getAttribute('aria-current')).resolves.toBe('true');
      await page.keyboard.press('ArrowUp');
      await expect.poll(() => inspector.textContent()).toContain('"seq": 2');

      // Compare the second snapshot with the last one.
      const compare = timeline.getByRole('button', { name: 'Compare', exact: true });
      expect(await compare.isDisabled()).toBe(true);
      await timeline.getByRole('checkbox', { name: 'Compare #2', exact: true }).check();
      const last = compareBoxes.last();
      const lastName = await last.getAttribute('aria-label');
      await last.check();
      expect(await compare.isEnabled()).toBe(true);
      await compare.click();

      const diff = page.getByRole('region', { name: 'Diff' });
      await diff.locator('.jsondiffpatch-delta').waitFor({ timeout: 10_000 });
      await expect(diff.textContent()).resolves.toContain(`#2 → ${lastName!.replace('Compare ', '')}`);
      // The run went from running (at #2) to completed (at the end): jsondiffpatch shows it as a modified value.
      const runStatus = diff.locator('.diff-view > .jsondiffpatch-delta > ul > li.jsondiffpatch-modified[data-key="status"]');
      await expect(runStatus.locator('.jsondiffpatch-left-value').textContent()).resolves.toBe('"running"');
      await expect(runStatus.locator('.jsondiffpatch-right-value').textContent()).resolves.toBe('"completed"');
      const stepStatus = diff.locator('li[data-key="ship"] li.jsondiffpatch-modified[data-key="status"], li[data-key="ship"].jsondiffpatch-added');
      expect(await stepStatus.count()).toBeGreaterThan(0);
      const summary = (await diff.getByLabel('Diff summary').textContent()) ?? '';
      const changed = Number(/(\d+) changed/.exec(summary)?.[1]);
      const added = Number(/(\d+) added/.exec(summary)?.[1]);
      expect(changed + added).toBeGreaterThan(0);
      expect(await diff.getByRole('list', { name: 'Changed paths' }).getByRole('listitem').count()).toBeGreaterThan(0);
      await expect(diff.textContent()).resolves.toContain('/status');
      // "Only changes" by default: unchanged values are hidden until asked for.
      expect(await diff.getByRole('checkbox', { name: 'Only changes' }).isChecked()).toBe(true);
      expect(await diff.locator('.diff-view.jsondiffpatch-unchanged-hidden').count()).toBe(1);
      expect(await diff.locator('script').count()).toBe(0);
      await page.screenshot({ path: join(shotsDir, 'diff-light.png') });

      await diff.getByRole('checkbox', { name: 'Only changes' }).uncheck();
      expect(await diff.locator('.diff-view.jsondiffpatch-unchanged-hidden').count()).toBe(0);
      await page.screenshot({ path: join(shotsDir, 'diff-show-unchanged-light.png') });

      await page.emulateMedia({ colorScheme: 'dark' });
      await diff.getByRole('checkbox', { name: 'Only changes' }).check();
      await page.screenshot({ path: join(shotsDir, 'diff-dark.png') });

      // A run started by another client of this server shows up through events alone: no reload, no focus change.
      // Its input is markup, which must reach the page as text in the Inspector and the Diff, never as elements.
      await page.emulateMedia({ colorScheme: 'light' });
      const markup = '<img src=x onerror=window.__pwned=1>';
      const started = await apiRequest(server.port, 'startRun', { host: server.url.host, 'x-studio-token': server.token }, [
        'payment-fails',
        { input: { amount: markup } },
      ]);
      expect(started.status).toBe(200);
      const failedRun = runs.getByRole('button', { name: /^payment-fails run .* failed, \d+ snapshots$/ });
      await failedRun.waitFor({ timeout: 15_000 });
      await failedRun.click();
      await timeline.getByRole('button', { name: /^#\d+ step-failed charge / }).click();
      await expect.poll(() => inspector.textContent()).toContain(`card declined for ${markup} EUR`);
      await timeline.getByRole('checkbox', { name: 'Compare #2', exact: true }).check();
      await compareBoxes.last().check();
      await compare.click();
      await expect.poll(() => diff.locator('.diff-view').textContent()).toContain(`card declined for ${markup} EUR`);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      await page.screenshot({ path: join(shotsDir, 'failed-run-light.png') });

      // Retrying the failed run makes a new run, selected, that says which run it retries.
      const failedRunId = (await page.getByRole('region', { name: 'Inspector' }).textContent())!.match(/"runId": "([^"]+)"/)![1];
      await timeline.getByRole('button', { name: 'Retry with latest version', exact: true }).click();
      await expect.poll(() => timeline.textContent()).toContain(`retry of ${failedRunId.slice(0, 8)}`);

      // A run with retry backoff (200 ms, then 400 ms) writes most of its snapshots after the timeline opened:
      // those can only have come through events.
      await picker.selectOption('flaky-recovers');
      fetchedPages.length = 0;
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await timeline.getByRole('button', { name: /^#\d+ run-completed/ }).waitFor({ timeout: 20_000 });
      const flakyCount = await compareBoxes.count();
      expect(await timeline.getByRole('button', { name: /^#\d+ retry-scheduled callUpstream retry-scheduled$/ }).count()).toBe(2);
      expect(fetchedPages.length).toBeGreaterThan(0);
      expect(fetchedPages[0]).toBeLessThan(flakyCount);
      await page.screenshot({ path: join(shotsDir, 'retries-light.png') });

      // Pause a live run, then resume it to the end.
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await timeline.getByRole('button', { name: 'Pause', exact: true }).click();
      await timeline.getByRole('button', { name: /^#\d+ paused paused$/ }).waitFor({ timeout: 10_000 });
      await timeline.getByRole('button', { name: 'Resume', exact: true }).click();
      await timeline.getByRole('button', { name: /^#\d+ resumed / }).waitFor({ timeout: 10_000 });
      await timeline.getByRole('button', { name: /^#\d+ run-completed/ }).waitFor({ timeout: 20_000 });

      // A run from the CLI, another process on the same database, joins the same list when the window is focused.
      const cliRun = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src-main/cli/main.ts', 'run', 'parallel-fanout', '--db', dbFile, '--json'], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
      expect(cliRun.status).toBe(0);
      const cliRunId = JSON.parse(cliRun.stdout).runId as string;
      await page.evaluate(() => window.dispatchEvent(new Event('focus')));
      const fromCli = runs.getByRole('button', { name: /^parallel-fanout run .* completed, \d+ snapshots$/ });
      await fromCli.waitFor({ timeout: 10_000 });
      await fromCli.click();
      await timeline.getByRole('button', { name: /^#1 run-started/ }).click();
      await expect.poll(() => page.getByRole('region', { name: 'Inspector' }).textContent()).toContain(cliRunId);
      expect(await timeline.getByRole('button', { name: /^#\d+ step-skipped giftWrap/ }).count()).toBe(1);

      // Nothing went wrong on the way: no script errors, no Content-Security-Policy violations, no error bar.
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    },
    60_000,
  );

  it('refuses API calls without the token (401) and from a foreign Host (403)', async () => {
    const host = `127.0.0.1:${server.port}`;
    const noToken = await apiRequest(server.port, 'listRuns', { host });
    expect(noToken.status).toBe(401);
    expect(JSON.parse(noToken.body)).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });

    const wrongToken = await apiRequest(server.port, 'listRuns', { host, 'x-studio-token': `${server.token}x` });
    expect(wrongToken.status).toBe(401);

    const rebound = await apiRequest(server.port, 'listRuns', { host: 'evil.example', 'x-studio-token': server.token });
    expect(rebound.status).toBe(403);

    const allowed = await apiRequest(server.port, 'listRuns', { host, 'x-studio-token': server.token });
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body)).toHaveProperty('result');
  });
});
