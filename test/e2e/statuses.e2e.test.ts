// Every status says what it labels, in Chromium against `serve`: a failed step's row says "failed" while the
// run was still running, the Inspector's header says what the row says, the run header says where and why
// the run failed with a link to that snapshot, and the Graph says "not run" of steps a failure stopped.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';
import { haveChromium, NO_CHROMIUM, openStudioPage, type StudioPage } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`statuses.e2e skipped: ${NO_CHROMIUM}`);

describe.skipIf(!runIt)('statuses in the window', () => {
  let studio: StudioPage | undefined;
  let page: Page;
  const region = (name: string) => page.getByRole('region', { name, exact: true });

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    studio = await openStudioPage(tempDir('studio-statuses-'));
    page = studio.page;
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption('payment-fails');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await region('Timeline').getByRole('button', { name: /^#6 run-failed/ }).waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('gives each timeline row its own outcome: the step’s on step rows, the run’s on the run’s', async () => {
    const timeline = region('Timeline');
    const names = await timeline.getByRole('button', { name: /^#\d+ / }).evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label')));
    expect(names).toEqual([
      '#1 run-started running',
      '#2 step-started quote started',
      '#3 step-completed quote completed',
      '#4 step-started charge started',
      '#5 step-failed charge failed',
      '#6 run-failed failed',
    ]);
    expect(await timeline.getByRole('button', { name: '#5 step-failed charge failed' }).locator('.status-badge').textContent()).toBe('failed');
    // The run's status stays in the header.
    expect(await timeline.locator('.run-bar__line > .status-badge').textContent()).toBe('failed');
  });

  it('says in the run header where and why the run failed, and the step links to its failed snapshot', async () => {
    const why = region('Timeline').getByRole('status', { name: 'Why the run failed' });
    await expect.poll(() => why.textContent()).toBe('failed at charge: card declined for 120 EUR');
    await why.getByRole('button', { name: 'charge', exact: true }).click();
    await expect.poll(() => region('Timeline').getByRole('button', { name: /^#5 / }).getAttribute('aria-current')).toBe('true');
    // The Inspector's header says what the row says.
    await expect.poll(() => region('Inspector').locator('.inspector-panel__detail').textContent()).toBe('#5 step-failed · charge failed');
  });

  it('says "not run" in the Graph of a step the failure stopped, "pending" of one not reached yet', async () => {
    await page.getByRole('tab', { name: 'Graph', exact: true }).click();
    const graph = region('Graph');
    await graph.getByRole('button', { name: 'Step charge failed' }).waitFor();
    await graph.getByRole('button', { name: 'Step receipt not run' }).waitFor();
    await region('Timeline').getByRole('button', { name: /^#3 / }).click();
    await graph.getByRole('button', { name: 'Step receipt pending' }).waitFor();
    expect(studio!.pageErrors).toEqual([]);
  });
});
