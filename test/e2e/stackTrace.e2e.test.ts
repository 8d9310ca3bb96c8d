// A failed step's stack in the Inspector, in Chromium: the message once, the frame in the workflow file
// first and as a link, engine and Node frames folded ("N internal frames"), and the link opening the
// run's version in Versions at that line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplesDir, repoRoot, tempDir } from '../support/tmp';
import { haveChromium, NO_CHROMIUM, openStudioPage, type StudioPage } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`stackTrace.e2e skipped: ${NO_CHROMIUM}`);

/** Line and column (1-based) of the throw in the example. */
const source = readFileSync(join(examplesDir, 'payment-fails.workflow.ts'), 'utf8');
const before = source.slice(0, source.indexOf('new Error(`card declined')).split('\n');
const line = before.length;
const column = before[before.length - 1].length + 1;

describe.skipIf(!runIt)('a failed step’s stack in the Inspector', () => {
  let studio: StudioPage | undefined;
  let page: Page;
  const region = (name: string) => page.getByRole('region', { name, exact: true });

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    studio = await openStudioPage(tempDir('studio-stack-'));
    page = studio.page;
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('shows the message once, the workflow file’s frame first, internal frames folded, and opens Versions at the line', async () => {
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption('payment-fails');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const failed = region('Timeline').getByRole('button', { name: /^#\d+ step-failed charge/ });
    await failed.waitFor({ timeout: 20_000 });
    await failed.click();

    const error = region('Inspector').getByRole('region', { name: 'Step charge' }).getByRole('group', { name: 'Step error' });
    await expect.poll(() => error.textContent()).toMatch(/^Error: card declined for 120 EUR/);
    expect((await error.textContent())!.split('card declined for 120 EUR')).toHaveLength(2);

    const frames = error.getByRole('list', { name: 'Stack frames' });
    const userFrame = frames.getByRole('button', { name: `at Object.run (payment-fails.workflow.ts:${line}:${column})`, exact: true });
    expect(await frames.locator('> li').first().textContent()).toBe(`at Object.run (payment-fails.workflow.ts:${line}:${column})`);
    expect(await error.textContent()).not.toContain('[worker eval]');

    // The engine's and Node's frames are behind one fold, closed until asked for.
    const fold = frames.locator('details');
    const summary = await fold.locator('summary').textContent();
    const folded = Number(/^(\d+) internal frames?$/.exec(summary!)![1]);
    expect(folded).toBeGreaterThan(1);
    expect(await fold.getAttribute('open')).toBeNull();
    expect(await fold.getByText(/node:internal/).first().isVisible()).toBe(false);
    await fold.locator('summary').click();
    expect(await fold.locator('li').count()).toBe(folded);
    expect(await fold.getByText(/node:internal/).first().isVisible()).toBe(true);

    await error.screenshot({ path: join(repoRoot, 'test-output/screenshots/inspector-stack.png') });
    await userFrame.click();
    expect(await page.getByRole('tab', { name: 'Versions', exact: true }).getAttribute('aria-selected')).toBe('true');
    const versions = region('Workflow versions');
    await versions.locator('.versions-panel__frame-line').waitFor({ timeout: 20_000 });
    await expect.poll(() => versions.locator('.line-numbers.active-line-number').textContent()).toBe(String(line));
    await page.screenshot({ path: join(repoRoot, 'test-output/screenshots/versions-at-frame.png') });
    // Monaco renders spaces as no-break spaces.
    expect((await versions.locator('.monaco-editor .view-lines').textContent())!.replace(/\u00a0/g, ' ')).toContain('throw new Error(`card declined for');
    expect(studio!.pageErrors).toEqual([]);
  });
});
