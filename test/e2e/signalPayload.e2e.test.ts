// The resume form of a run waiting for a signal, in Chromium: the payload starts as the shape the step
// declared with waitFor(signal, schema) and is checked against it as it is typed; a retry of a run that got
// the signal starts from the payload that run got.
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/tmp';
import { haveChromium, NO_CHROMIUM, openStudioPage, type StudioPage } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`signalPayload.e2e skipped: ${NO_CHROMIUM}`);

/** The text of a one-line Monaco editor as shown (Monaco draws spaces as no-break spaces). */
const shownText = (editor: Locator) => editor.locator('.view-lines').first().evaluate((el) => el.textContent!.replace(/\u00a0/g, ' '));

describe.skipIf(!runIt)('the payload of a signal', () => {
  let studio: StudioPage | undefined;
  let page: Page;
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  const form = () => region('Timeline').getByRole('form', { name: 'Resume with a signal' });
  const hint = () => form().getByLabel('Payload hint');
  const resume = () => form().getByRole('button', { name: 'Resume' });

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    studio = await openStudioPage(tempDir('studio-signal-payload-'));
    page = studio.page;
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('starts as the shape the step declared, and says what is wrong with a payload that does not fit', async () => {
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption('human-approval');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const editor = form().locator('.signal-resume__editor .monaco-editor');
    await editor.waitFor({ timeout: 20_000 });
    expect(await hint().textContent()).toBe('expects { ok: boolean, by: string }');
    await expect.poll(() => shownText(editor)).toBe('{"ok":false,"by":""}');
    await form().getByRole('textbox', { name: 'Signal payload (JSON)' }).focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('{"ok": "yes", "by": "ada"}');
    await expect.poll(() => hint().textContent()).toBe('Not the payload the step expects: ok: expected a boolean, got "yes"');
    expect(await resume().isDisabled()).toBe(true);
    // Focused again: the form re-renders as the run's other step (a durable sleep) moves on, which may take the
    // focus from the editor on a loaded machine; the keys must reach the editor, not the page.
    await form().getByRole('textbox', { name: 'Signal payload (JSON)' }).focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('{"ok": true, "by": "ada"}');
    await expect.poll(() => shownText(editor)).toBe('{"ok": true, "by": "ada"}');
    await expect.poll(() => resume().isDisabled()).toBe(false);
    const bar = region('Timeline').locator('.run-bar');
    const tall = await bar.evaluate((el) => el.getBoundingClientRect().height);
    await resume().click();
    await region('Timeline').getByRole('button', { name: /^#\d+ run-completed/ }).waitFor({ timeout: 20_000 });
    // The form went with the run's wait; the bar keeps its height while the run stays open, so the timeline
    // below stays where it was instead of jumping up under the person's pointer.
    expect(await form().count()).toBe(0);
    expect(await bar.evaluate((el) => el.getBoundingClientRect().height)).toBeGreaterThanOrEqual(tall);
  });

  it('starts a retry’s payload from the payload the retried run got', async () => {
    await region('Timeline').getByRole('button', { name: 'Retry with latest version', exact: true }).click();
    const editor = form().locator('.signal-resume__editor .monaco-editor');
    await editor.waitFor({ timeout: 20_000 });
    await expect.poll(() => shownText(editor)).toBe('{"ok":true,"by":"ada"}');
    expect(await hint().textContent()).toBe('the payload the retried run got; expects { ok: boolean, by: string }');
    expect(studio!.pageErrors).toEqual([]);
  });

  it('keeps the payload editor, its text and its focus while the run’s other step runs on', async () => {
    const runs = region('Runs');
    const retried = await runs.locator('[aria-current="true"]').getAttribute('data-run-id');
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption('human-approval');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    // The new run's form (the retry before it waits too, with the payload its run got).
    await expect.poll(() => hint().textContent(), { timeout: 20_000 }).toBe('expects { ok: boolean, by: string }');
    const editor = form().locator('.signal-resume__editor .monaco-editor');
    await editor.waitFor({ timeout: 20_000 });
    // Its own payload, not the text of the form of the run shown before.
    await expect.poll(() => shownText(editor)).toBe('{"ok":false,"by":""}');
    // Marked, to tell this editor from a new one made if the form went and came back.
    await editor.evaluate((el) => el.setAttribute('data-probe', 'first'));
    await form().getByRole('textbox', { name: 'Signal payload (JSON)' }).focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('{"ok": true, "by": "gr');
    // The cooling-off sleep ends and its step runs (the run is "running" meanwhile), while approve still waits.
    await region('Timeline').getByRole('button', { name: /^#\d+ step-completed coolingOff completed$/ }).waitFor({ timeout: 10_000 });
    expect(await editor.getAttribute('data-probe')).toBe('first');
    expect(await editor.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    await page.keyboard.insertText('ace"}');
    await expect.poll(() => shownText(editor)).toBe('{"ok": true, "by": "grace"}');
    // Another waiting run shows its own payload in its own editor, and this one's text is there on coming back.
    const current = await runs.locator('[aria-current="true"]').getAttribute('data-run-id');
    await runs.locator(`[data-run-id="${retried}"]`).click();
    await expect.poll(() => shownText(editor)).toBe('{"ok":true,"by":"ada"}');
    await runs.locator(`[data-run-id="${current}"]`).click();
    await expect.poll(() => shownText(editor)).toBe('{"ok": true, "by": "grace"}');
    await resume().click();
    await region('Timeline').getByRole('button', { name: /^#\d+ run-completed/ }).waitFor({ timeout: 20_000 });
  });
});
