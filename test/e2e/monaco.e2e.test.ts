// Monaco complete, in Chromium: its icon font (codicon) ships with the build and loads (no request fails,
// document.fonts has it), so the diff gutter shows its +/− rather than blank boxes; and "Diff with original"
// compares the configuration as data, so text only reformatted shows no change.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';
import { haveChromium, NO_CHROMIUM, openStudioPage, type StudioPage } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`monaco.e2e skipped: ${NO_CHROMIUM}`);

describe.skipIf(!runIt)('Monaco in the window', () => {
  let studio: StudioPage | undefined;
  let page: Page;
  const failed: string[] = [];
  const region = (name: string) => page.getByRole('region', { name, exact: true });

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    studio = await openStudioPage(tempDir('studio-monaco-'));
    page = studio.page;
    page.on('response', (res) => res.status() >= 400 && failed.push(`${res.status()} ${res.url()}`));
    page.on('requestfailed', (req) => failed.push(`failed ${req.url()}`));
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption('orders-linear');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await region('Timeline').getByRole('button', { name: /^#10 run-completed/ }).waitFor({ timeout: 20_000 });
    await page.getByRole('tab', { name: 'Configuration', exact: true }).click();
    await region('Run configuration').locator('.monaco-editor').first().waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('shows the original configuration reformatted as the same data: no change in the diff', async () => {
    const config = region('Run configuration');
    // The run's configuration, minified: the same data in another layout.
    const run = await page.evaluate(() => (document.querySelector('[data-run-id]') as HTMLElement).dataset.runId!);
    const res = await fetch(new URL('/api/call/getRun', studio!.server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-studio-token': studio!.server.token },
      body: JSON.stringify([run]),
    });
    const { result } = (await res.json()) as { result: { config: unknown } };
    await config.getByLabel('Configuration file').setInputFiles({ name: 'same.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(result.config)) });
    await config.getByRole('checkbox', { name: 'Diff with original' }).check();
    await config.locator('.monaco-diff-editor').waitFor({ timeout: 20_000 });
    await config.getByRole('status').filter({ hasText: 'the same data as the original' }).waitFor();
    expect(await config.locator('.monaco-diff-editor .line-insert, .monaco-diff-editor .line-delete').count()).toBe(0);
  });

  it('ships the codicon font: it loads, with no request failing, and the diff gutter draws with it', async () => {
    const config = region('Run configuration');
    await config.getByRole('checkbox', { name: 'Diff with original' }).uncheck();
    await config.getByLabel('Configuration file').setInputFiles({ name: 'usd.json', mimeType: 'application/json', buffer: Buffer.from('{"currency":"USD"}') });
    await config.getByRole('checkbox', { name: 'Diff with original' }).check();
    await config.locator('.monaco-diff-editor .line-insert').first().waitFor({ timeout: 20_000 });
    const fonts = await page.evaluate(async () => {
      await document.fonts.ready;
      await document.fonts.load('16px codicon');
      return [...document.fonts].filter((f) => f.family.replace(/["']/g, '') === 'codicon').map((f) => f.status);
    });
    expect(fonts).toContain('loaded');
    // The gutter's icons are drawn in that font.
    const gutterFont = await config.locator('.monaco-diff-editor .codicon').first().evaluate((el) => getComputedStyle(el).fontFamily);
    expect(gutterFont).toMatch(/codicon/);
    expect(failed).toEqual([]);
    expect(studio!.pageErrors).toEqual([]);
  });
});
