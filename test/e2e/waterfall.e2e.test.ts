// The step waterfall in Chromium, as a person reads it: a time axis with ticks, a retried step's attempts
// with the backoff between them, and a step waiting for a signal drawn as a wait that grows while it lasts —
// after four minutes, cut with a break so the steps before it keep their width.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, tempDir } from '../support/tmp';
import { haveChromium, NO_CHROMIUM, openStudioPage, runWorkflow, type StudioPage } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`waterfall.e2e skipped: ${NO_CHROMIUM}`);

describe.skipIf(!runIt)('the step waterfall', () => {
  let studio: StudioPage | undefined;
  let page: Page;
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  const waterfall = () => region('Timeline').getByRole('group', { name: /^Step waterfall/ });

  const run = (workflowId: string, until: RegExp) => runWorkflow(page, workflowId, until);

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    // The page's clock can be moved on, so a four-minute wait takes no four minutes.
    studio = await openStudioPage(tempDir('studio-waterfall-'), { prepare: (context) => context.clock.install() });
    page = studio.page;
    mkdirSync(join(repoRoot, 'test-output/screenshots'), { recursive: true });
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('draws a retried step’s attempts with the backoff between them, on an axis with ticks', async () => {
    await run('flaky-recovers', /^#12 run-completed/);
    const row = waterfall().getByRole('button', { name: /^callUpstream, completed, .*3 attempts/ });
    await row.waitFor();
    await expect.poll(() => row.locator('[data-kind="backoff"]').count()).toBe(2);
    expect(await row.locator('[data-kind="attempt"]').count()).toBe(3);
    // The meta reads the lane's span (≈600 ms of backoff), not the last attempt's few milliseconds.
    const meta = await row.locator('.waterfall__meta').textContent();
    expect(Number(/(\d+) ms/.exec(meta ?? '')?.[1])).toBeGreaterThanOrEqual(590);
    await waterfall().screenshot({ path: join(repoRoot, 'test-output/screenshots/waterfall-retries.png') });
    const ticks = await waterfall().locator('.waterfall__tick').allTextContents();
    expect(ticks[0]).toBe('0');
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    const backoff = await row.locator('[data-kind="backoff"]').first().getAttribute('title');
    expect(backoff).toMatch(/^callUpstream: retry backoff\nstart \d\d:\d\d:\d\d\.\d{3} \(\+\d+ ms\)\nend .*\nduration (19\d|2\d\d) ms$/);
  });

  it('draws a step waiting for a signal as a wait that grows, and cuts four idle minutes with a break', async () => {
    await run('human-approval', /^#7 waiting/);
    const approve = waterfall().getByRole('button', { name: /^approve, waiting, .*waiting for signal "approval"/ });
    await approve.waitFor();
    const wait = approve.locator('[data-kind="wait"]');
    // "duration 850 ms", "duration 1.24 s", "duration 4 m 2 s", in milliseconds.
    const lasted = async () => {
      const m = /duration (?:(\d+) m )?([\d.]+) (ms|s)$/.exec((await wait.getAttribute('title')) ?? '');
      return m ? Number(m[1] ?? 0) * 60_000 + Number(m[2]) * (m[3] === 's' ? 1000 : 1) : 0;
    };
    const before = await lasted();
    await expect.poll(lasted).toBeGreaterThan(before);
    expect(await wait.getAttribute('class')).toContain('is-open');

    await page.clock.fastForward('04:00');
    // On a loaded machine a shorter idle stretch may be cut too (≈1 s): the four minutes are one of the breaks.
    const labels = () => waterfall().locator('.waterfall__break-label').allTextContents();
    await expect.poll(async () => (await labels()).some((t) => /^≈4 m \d+ s$/.test(t))).toBe(true);
    expect(await approve.getAttribute('aria-label')).toMatch(/waiting for signal "approval" for 4 m \d+ s/);
    // The four minutes take a break's width, and the milliseconds before them the rest: the axis there is
    // in milliseconds or seconds, not minutes, and assess's few milliseconds are a bar a person can see and
    // hover (to scale over four minutes they would be a hundredth of a pixel).
    // The open wait grows every second, and each redraw replaces the lanes' elements: a box is read again until
    // it is of an element still on the page.
    const assess = () => waterfall().getByRole('button', { name: /^assess, completed/ });
    const cutShare = async () => {
      const track = await assess().locator('.waterfall__track').boundingBox();
      const cut = await assess().locator('.waterfall__break[title^="4 m "]').boundingBox();
      return track && cut ? cut.width / track.width : Infinity;
    };
    await expect.poll(cutShare).toBeLessThan(0.06);
    expect((await waterfall().locator('.waterfall__tick').allTextContents()).filter((t) => / m /.test(t))).toEqual([]);
    await expect.poll(async () => (await assess().locator('[data-kind="attempt"]').boundingBox())?.width ?? 0).toBeGreaterThanOrEqual(2);
    await waterfall().screenshot({ path: join(repoRoot, 'test-output/screenshots/waterfall-wait.png') });
    expect(studio!.pageErrors).toEqual([]);
  });
});
