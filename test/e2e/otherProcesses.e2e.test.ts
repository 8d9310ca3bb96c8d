// The window follows the database, not only its own server: a run another process writes (the CLI here) appears
// in the Runs list and its timeline, with no reload.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from '../support/cli';
import { tempDir } from '../support/tmp';
import { haveChromium, NO_CHROMIUM, openStudioPage, type StudioPage } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`otherProcesses.e2e skipped: ${NO_CHROMIUM}`);
const dir = tempDir('studio-e2e-other-processes-');

describe.skipIf(!runIt)('a run written by another process', () => {
  let studio: StudioPage;
  beforeAll(async () => {
    studio = await openStudioPage(dir);
  }, 120_000);
  afterAll(() => studio?.close());

  it('appears in Runs and opens with its snapshots, without a reload', async () => {
    const { page } = studio;
    const ran = cliIn(dir)('run', 'orders-linear', '--db', join(dir, 'studio.db'), '--workspace', studio.workspace, '--json');
    expect(ran.code, ran.stderr).toBe(0);
    const { runId } = JSON.parse(ran.stdout) as { runId: string };
    const row = page.locator(`[data-run-id="${runId}"]`);
    await row.waitFor({ timeout: 10_000 });
    await row.click();
    await page.getByRole('region', { name: 'Timeline', exact: true }).getByRole('button', { name: /^#\d+ run-completed/ }).waitFor({ timeout: 10_000 });
    expect(studio.pageErrors).toEqual([]);
  });
});
