// A new run the filters hide, in Chromium: after Run, the Runs list says the open run is hidden by the
// filters and offers to clear them; clearing shows it, selected.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';
import { haveChromium, NO_CHROMIUM, openStudioPage, type StudioPage } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`hiddenRun.e2e skipped: ${NO_CHROMIUM}`);

describe.skipIf(!runIt)('a new run hidden by a filter', () => {
  let studio: StudioPage | undefined;
  let page: Page;
  const region = (name: string) => page.getByRole('region', { name, exact: true });

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    studio = await openStudioPage(tempDir('studio-hidden-run-'));
    page = studio.page;
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('says the run just started is hidden by the filters, and clearing them shows it selected', async () => {
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption('payment-fails');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await region('Timeline').getByRole('button', { name: /^#\d+ run-failed/ }).waitFor({ timeout: 20_000 });
    const runs = region('Runs');
    await runs.getByRole('combobox', { name: 'Filter by status' }).selectOption('failed');
    expect(await runs.getByRole('status', { name: 'Selected run hidden' }).count()).toBe(0);

    await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption('orders-linear');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const notice = runs.getByRole('status', { name: 'Selected run hidden' });
    await expect.poll(() => notice.textContent(), { timeout: 20_000 }).toMatch(/^Run \w{8} \(orders-linear, \w+\) is open but the filters hide it\.Clear filters$/);
    await notice.getByRole('button', { name: 'Clear filters' }).click();
    await runs.locator('[data-run-id][aria-current="true"]').filter({ hasText: 'orders-linear' }).waitFor();
    expect(await runs.getByRole('combobox', { name: 'Filter by status' }).inputValue()).toBe('');
    expect(await notice.count()).toBe(0);
    expect(studio!.pageErrors).toEqual([]);
  });
});
