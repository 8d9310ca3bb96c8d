// The window's space, in Chromium: the Diff folds to its header while nothing is compared so the pane above
// takes the height, and the split the person chose comes back when a comparison opens, after a reload too.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';
import { haveChromium, NO_CHROMIUM, openStudioPage, runWorkflow, type StudioPage } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`layout.e2e skipped: ${NO_CHROMIUM}`);

describe.skipIf(!runIt)('the window’s space', () => {
  let studio: StudioPage | undefined;
  let page: Page;
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  const height = async (name: string) => (await region(name).boundingBox())!.height;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    studio = await openStudioPage(tempDir('studio-layout-'));
    page = studio.page;
    await runWorkflow(page, 'orders-linear', /^#10 run-completed/);
  });

  afterAll(async () => {
    await studio?.close();
  });

  async function compare(a: number, b: number): Promise<void> {
    const timeline = region('Timeline');
    await timeline.getByRole('checkbox', { name: `Compare #${a}`, exact: true }).check();
    await timeline.getByRole('checkbox', { name: `Compare #${b}`, exact: true }).check();
    await timeline.getByRole('button', { name: 'Compare', exact: true }).click();
    await region('Diff').getByLabel('Diff summary').waitFor();
  }

  it('gives the Inspector the height while the Diff has nothing to show', async () => {
    await region('Timeline').getByRole('button', { name: /^#3 step-completed/ }).click();
    await region('Inspector').getByRole('region', { name: /^Step / }).waitFor();
    expect(await height('Diff')).toBeLessThan(40);
    // 900 px high: the toolbar, the tab strip and the Diff's header take the rest.
    expect(await height('Inspector')).toBeGreaterThan(700);
    expect(await page.getByRole('separator', { name: 'Resize inspector' }).count()).toBe(0);
    expect(await region('Diff').textContent()).toContain('nothing compared yet');
  });

  it('opens the Diff at the split the person chose, and keeps that split across a reload', async () => {
    await compare(3, 10);
    const splitter = page.getByRole('separator', { name: 'Resize inspector' });
    await splitter.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
    const chosen = Number(await splitter.getAttribute('aria-valuenow'));
    expect(await height('Diff')).toBeGreaterThan(200);

    await region('Diff').getByRole('button', { name: 'Close', exact: true }).click();
    await expect.poll(() => height('Diff')).toBeLessThan(40);

    await page.reload();
    await region('Runs').getByRole('button', { name: /^orders-linear run / }).click();
    await compare(1, 2);
    await expect.poll(async () => Math.abs(Number(await splitter.getAttribute('aria-valuenow')) - chosen)).toBeLessThanOrEqual(1);
  });
});
