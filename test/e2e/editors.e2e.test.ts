// Every editable Monaco editor in the window keeps every keystroke when a person types at machine speed
// (Playwright's keyboard.type with no delay): the Run configuration editor, plain and as a diff against the
// original, and the signal payload of a waiting run. Text set from outside (a loaded file) still arrives.
// (The Versions editors are read-only.)
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';
import type { RunDetail, RunSummary } from '../../src-main/shared/api';
import { callApi, haveChromium, NO_CHROMIUM, openStudioPage, type StudioPage } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`editors.e2e skipped: ${NO_CHROMIUM}`);

const TYPED = '{"threshold": 12, "note": "abcdefghijklmnopqrstuvwxyz"';

/** The text of a Monaco editor as shown, one line per view line (Monaco draws spaces as no-break spaces). */
function shownText(editor: Locator): Promise<string> {
  return editor.locator('.view-lines').first().evaluate((el) =>
    [...el.querySelectorAll('.view-line')]
      .map((line) => ({ top: parseFloat((line as HTMLElement).style.top), text: line.textContent!.replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text)
      .join('\n'),
  );
}

describe.skipIf(!runIt)('Monaco editors at machine speed', () => {
  let studio: StudioPage | undefined;
  let page: Page;
  const region = (name: string) => page.getByRole('region', { name, exact: true });

  async function runWorkflow(id: string, until: RegExp): Promise<void> {
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption(id);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await region('Timeline').getByRole('button', { name: until }).first().waitFor({ timeout: 20_000 });
  }

  /** Clicks into the editor, selects everything and types over it with no delay between keys. */
  async function typeOver(textbox: Locator, text: string): Promise<void> {
    await textbox.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(text);
  }

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    studio = await openStudioPage(tempDir('studio-editors-'));
    page = studio.page;
    await runWorkflow('orders-linear', /^#\d+ run-completed/);
    await page.getByRole('tab', { name: 'Configuration', exact: true }).click();
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('keeps every keystroke in the Run configuration editor', async () => {
    const config = region('Run configuration');
    const editor = config.locator('.config-panel__editor:not([hidden]) .monaco-editor').first();
    await editor.waitFor({ timeout: 20_000 });
    await typeOver(config.getByRole('textbox', { name: 'Run configuration editor' }), TYPED);
    await expect.poll(() => shownText(editor)).toBe(TYPED);
    // What the editor holds is what is checked: the unclosed object is reported, not some other text.
    await config.getByRole('list', { name: 'Configuration problems' }).waitFor();
  });

  it('puts a loaded file’s text into the editor', async () => {
    const config = region('Run configuration');
    const editor = config.locator('.config-panel__editor:not([hidden]) .monaco-editor').first();
    await config.getByLabel('Configuration file').setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from('{"currency":"USD","taxRate":0.1}') });
    await expect.poll(() => shownText(editor)).toBe('{"currency":"USD","taxRate":0.1}');
    await config.getByRole('status').filter({ hasText: 'Valid' }).waitFor();
  });

  it('keeps every keystroke in the diff editor: the retry runs with exactly what was typed', async () => {
    const config = region('Run configuration');
    await config.getByRole('checkbox', { name: 'Diff with original' }).check();
    const textbox = config.locator('.monaco-diff-editor .editor.modified [role="textbox"]');
    await textbox.waitFor({ state: 'attached', timeout: 20_000 });
    const typed = '{"currency": "USD", "taxRate": 0.15, "warehouse": {"id": "abcdefghijklmnopqrstuvwxyz", "region": "eu-north"}}';
    await typeOver(textbox, typed);
    await config.getByRole('status').filter({ hasText: 'Valid' }).waitFor();
    const before = await callApi<RunSummary[]>(studio!.server, 'listRuns');
    await config.getByRole('button', { name: 'Retry with latest version' }).click();
    await expect.poll(async () => (await callApi<RunSummary[]>(studio!.server, 'listRuns')).length).toBe(before.length + 1);
    const [retried] = (await callApi<RunSummary[]>(studio!.server, 'listRuns')).filter((r) => !before.some((b) => b.id === r.id));
    expect((await callApi<RunDetail>(studio!.server, 'getRun', retried.id)).config).toEqual(JSON.parse(typed));
  });

  it('keeps every keystroke in the signal payload of a waiting run, and resumes with it', async () => {
    await runWorkflow('human-approval', /^#\d+ waiting /);
    const form = region('Timeline').getByRole('form', { name: 'Resume with a signal' });
    const editor = form.locator('.signal-resume__editor .monaco-editor');
    // Typed once coolingOff's sleep has ended and it ran, so the resume below is taken at once (while another
    // step runs, a resume waits for it; the form itself stays: see signalPayload.e2e).
    await region('Timeline').getByRole('button', { name: /^#\d+ step-completed coolingOff completed$/ }).waitFor({ timeout: 10_000 });
    await editor.waitFor({ timeout: 10_000 });
    const payload = '{"ok": true, "by": "abcdefghijklmnopqrstuvwxyz"}';
    await typeOver(form.getByRole('textbox', { name: 'Signal payload (JSON)' }), payload);
    await expect.poll(() => shownText(editor)).toBe(payload);
    await form.getByRole('button', { name: 'Resume' }).click();
    const timeline = region('Timeline');
    await timeline.getByRole('button', { name: /^#\d+ step-completed refund/ }).click({ timeout: 10_000 });
    await page.getByRole('tab', { name: 'Inspector', exact: true }).click();
    await expect.poll(() => region('Inspector').getByRole('region', { name: 'Step refund' }).textContent()).toContain('"approvedBy": "abcdefghijklmnopqrstuvwxyz"');
    // Monaco's inline diff editor, typed into at machine speed, now and then applies a diff computed for an older
    // text to the newer one and throws from its own code ("startLineNumber N cannot be after
    // endLineNumberExclusive M"; open upstream as monaco-editor's "Illegal value for lineNumber" family of diff
    // editor bugs). The text and the retry are right (asserted above); any other error of the page still fails.
    expect(studio!.pageErrors.filter((e) => !/^startLineNumber \d+ cannot be after endLineNumberExclusive \d+$/.test(e))).toEqual([]);
  });
});
