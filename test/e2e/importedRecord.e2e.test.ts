// An imported run is a record: in Chromium, one that was waiting for a signal where it was recorded shows as
// waiting, but offers none of the controls that would continue it here (the core refuses them: E_IMPORTED_RUN),
// only what a record allows: Replay, a retry with the workspace's latest version, and editing its configuration.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';
import { haveChromium, importProductionRun, NO_CHROMIUM, openStudioPage, type StudioPage } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`importedRecord.e2e skipped: ${NO_CHROMIUM}`);

describe.skipIf(!runIt)('an imported run that was waiting where it was recorded', () => {
  let studio: StudioPage | undefined;
  let page: Page;
  const dir = tempDir('studio-imported-record-');

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    studio = await openStudioPage(dir);
    page = studio.page;
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('shows it waiting, without Pause, Resume, Cancel or the signal form, and with Replay and Retry', async () => {
    const recorded = await importProductionRun(page, dir, 'human-approval');
    await page.locator(`[data-run-id="${recorded}"]`).click();
    const timeline = page.getByRole('region', { name: 'Timeline', exact: true });
    await timeline.getByText('imported', { exact: true }).waitFor();
    expect(await timeline.getByText('waiting', { exact: true }).count()).toBeGreaterThan(0);
    await timeline.getByRole('button', { name: 'Replay', exact: true }).waitFor();
    expect(await timeline.getByRole('button', { name: 'Retry with latest version' }).count()).toBe(1);
    for (const name of ['Pause', 'Resume', 'Cancel']) expect(await timeline.getByRole('button', { name, exact: true }).count(), name).toBe(0);
    expect(await page.getByRole('form', { name: 'Resume with a signal' }).count()).toBe(0);
    expect(studio!.pageErrors).toEqual([]);
  });
});
