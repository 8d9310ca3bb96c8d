// "Compare with run…" in Chromium: it says so when the workflow has no other run; it puts the older run on
// the left (was → is); the fields that only name the run are left out; and the snapshot's bookkeeping is
// listed apart from the changes in the run's data.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';
import { callApi, haveChromium, NO_CHROMIUM, openStudioPage, type StudioPage } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`compareRuns.e2e skipped: ${NO_CHROMIUM}`);

describe.skipIf(!runIt)('comparing a run with another', () => {
  let studio: StudioPage | undefined;
  let page: Page;
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  const picker = () => region('Diff').getByRole('combobox', { name: 'Compare with run' });

  async function run(workflowId: string): Promise<string> {
    const before = new Set((await callApi<{ id: string }[]>(studio!.server, 'listRuns')).map((r) => r.id));
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption(workflowId);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const fresh = async () => (await callApi<{ id: string }[]>(studio!.server, 'listRuns')).find((r) => !before.has(r.id))?.id;
    await expect.poll(fresh, { timeout: 20_000 }).toBeDefined();
    const id = (await fresh())!;
    await page.locator(`[data-run-id="${id}"][aria-current="true"]`).waitFor({ timeout: 20_000 });
    await region('Timeline').getByRole('button', { name: /^#\d+ run-completed/ }).waitFor({ timeout: 20_000 });
    return id;
  }

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    studio = await openStudioPage(tempDir('studio-compare-runs-'));
    page = studio.page;
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('says there is no other run to compare with, rather than listing nothing', async () => {
    await run('orders-linear');
    await expect.poll(() => picker().isDisabled()).toBe(true);
    expect(await picker().locator('option:checked').textContent()).toBe('No other run');
    expect(await picker().getAttribute('title')).toMatch(/^orders-linear has no other run here to compare with/);
  });

  let older = '';
  let newer = '';
  it('puts the older run on the left, whichever run is open', async () => {
    older = (await callApi<{ id: string }[]>(studio!.server, 'listRuns'))[0].id;
    newer = await run('orders-linear');
    await expect.poll(() => picker().isDisabled()).toBe(false);
    await picker().selectOption(older);
    await region('Diff').getByRole('table', { name: 'Steps side by side' }).waitFor();
    expect(await region('Diff').locator('.panel__detail').textContent()).toMatch(new RegExp(`^${older.slice(0, 8)} #10 → ${newer.slice(0, 8)} #10$`));
  });

  it('leaves out the run’s identity and lists the bookkeeping apart from the data', async () => {
    const diff = region('Diff');
    // Two runs of one workflow with the same input: their data is the same; only identity and times differ.
    await diff.getByText('The two snapshots are identical (volatile fields ignored)').waitFor();
    await diff.getByRole('checkbox', { name: 'Ignore volatile fields' }).uncheck();
    const paths = diff.getByRole('list', { name: 'Changed paths' });
    await expect.poll(() => paths.textContent(), { timeout: 10_000 }).toContain('startedAt');
    expect(await paths.textContent()).not.toMatch(/\/runId|\/seq\b|\/kind\b|\/at\b/);
    expect(await diff.locator('.changed-paths__bookkeeping').textContent()).toBe('and bookkeeping: at');
    await diff.getByRole('checkbox', { name: 'Ignore volatile fields' }).check();
  });
});
