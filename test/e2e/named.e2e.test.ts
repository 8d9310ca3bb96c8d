// Named snapshots in browser mode, as a person uses them from the Named tab: the empty state says what to do,
// a run's configuration and input are saved under a name, a bad name is refused with the core's reason,
// running one makes a new run that is selected and completes, the list filters by workflow and walks by
// keyboard, and deleting asks first. Saves test-output/screenshots/named-snapshots.png of the view with items.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NamedSnapshot, RunDetail, RunSummary } from '../../src-main/shared/api';
import { repoRoot, tempDir } from '../support/tmp';
import { haveChromium, NO_CHROMIUM, openStudioPage, type RunningServer, type StudioPage } from './harness';

const shotsDir = join(repoRoot, 'test-output/screenshots');
const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`named.e2e skipped: ${NO_CHROMIUM}`);

describe.skipIf(!runIt)('named snapshots in Chromium', () => {
  let studio: StudioPage | undefined;
  let server: RunningServer;
  let page: Page;
  let pageErrors: string[] = [];
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  const tab = (name: string) => page.getByRole('tab', { name, exact: true }).click();
  const named = () => region('Named snapshots');
  const list = () => named().getByRole('list', { name: 'Named snapshot list' });
  const row = (name: string) => list().getByRole('button', { name: new RegExp(`^${name}: `) });
  const selectedRun = () => region('Runs').locator('[data-run-id][aria-current="true"]');

  /** One call on the server's HTTP API, as the window makes it. */
  async function api<T>(method: string, ...args: unknown[]): Promise<T> {
    const response = await fetch(new URL(`/api/call/${method}`, server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-studio-token': server.token },
      body: JSON.stringify(args),
    });
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new Error(`${method}: ${body.error.message}`);
    return body.result as T;
  }

  async function saveSelectedRunAs(name: string): Promise<void> {
    await named().getByRole('button', { name: /^Save as named snapshot/ }).click();
    const form = named().getByRole('form', { name: 'Save as named snapshot' });
    await form.getByRole('textbox', { name: 'Snapshot name' }).fill(name);
    await form.getByRole('button', { name: 'Save', exact: true }).click();
  }

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    mkdirSync(shotsDir, { recursive: true });
    studio = await openStudioPage(tempDir('studio-named-'));
    ({ server, page, pageErrors } = studio);
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('says what to do when there are no named snapshots, and saving waits for a run', async () => {
    await tab('Named');
    await expect.poll(() => named().textContent()).toContain('No named snapshots yet');
    expect(await named().textContent()).toContain('snapshot-studio snapshot create NAME --workflow ID');
    expect(await named().getByRole('button', { name: /^Save as named snapshot/ }).isDisabled()).toBe(true);
  });

  it('saves the selected run’s version, configuration and input under a name, and lists it', async () => {
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption('orders-linear');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await region('Timeline').getByRole('button', { name: /^#\d+ run-completed/ }).waitFor({ timeout: 20_000 });
    const runId = (await selectedRun().getAttribute('data-run-id'))!;

    await tab('Named');
    await saveSelectedRunAs('nightly-eu');
    await row('nightly-eu').waitFor();
    expect(await list().getByRole('listitem').count()).toBe(1);
    expect(await row('nightly-eu').getAttribute('aria-label')).toMatch(/^nightly-eu: orders-linear version [0-9a-f]{8}, saved \d\d:\d\d:\d\d$/);
    // Saved, it is the one shown: its configuration read-only.
    expect(await row('nightly-eu').getAttribute('aria-current')).toBe('true');
    await expect.poll(() => named().getByRole('region', { name: 'Configuration of nightly-eu' }).textContent()).toContain('"currency": "EUR"');

    const run = await api<RunDetail>('getRun', runId);
    const [saved] = await api<NamedSnapshot[]>('listNamedSnapshots');
    expect(saved).toMatchObject({ name: 'nightly-eu', workflowId: 'orders-linear', workflowVersion: run.workflowVersion, config: run.config, input: run.input });
  });

  it('refuses a bad name with the core’s reason in the error bar, and keeps the form to correct it', async () => {
    await saveSelectedRunAs('bad/name');
    const alert = page.locator('.error-bar');
    await expect.poll(() => alert.textContent()).toContain('Could not save the named snapshot "bad/name"');
    expect(await alert.textContent()).toContain('createNamedSnapshot: name: a name is 1–100 letters, digits, spaces, and . _ : -');
    const form = named().getByRole('form', { name: 'Save as named snapshot' });
    expect(await form.getByRole('textbox', { name: 'Snapshot name' }).inputValue()).toBe('bad/name');
    expect(await api<NamedSnapshot[]>('listNamedSnapshots')).toHaveLength(1);
    // The refusal is logged to the console, by the app and by Chromium (a 4xx answer): expected here only.
    for (const expected of [/Could not save the named snapshot "bad\/name"/, /status of 4\d\d/]) {
      const at = pageErrors.findIndex((m) => expected.test(m));
      expect(at, pageErrors.join('\n')).toBeGreaterThanOrEqual(0);
      pageErrors.splice(at, 1);
    }
    await page.getByRole('button', { name: 'Dismiss error' }).click();
    await form.getByRole('textbox', { name: 'Snapshot name' }).press('Escape');
    await form.waitFor({ state: 'detached' });
    expect(await alert.count()).toBe(0);
  });

  it('runs a named snapshot: the new run is selected in Runs and completes with the frozen configuration', async () => {
    const before = await selectedRun().getAttribute('data-run-id');
    await named().getByRole('button', { name: 'Run named snapshot nightly-eu', exact: true }).click();
    await expect.poll(() => selectedRun().getAttribute('data-run-id')).not.toBe(before);
    const newRun = (await selectedRun().getAttribute('data-run-id'))!;
    await expect.poll(() => selectedRun().getAttribute('aria-label'), { timeout: 20_000 }).toMatch(/^orders-linear run \S+ completed,/);
    await region('Timeline').getByRole('button', { name: /^#\d+ run-completed/ }).waitFor({ timeout: 20_000 });
    const [saved] = await api<NamedSnapshot[]>('listNamedSnapshots');
    const run = await api<RunDetail>('getRun', newRun);
    expect(run).toMatchObject({ workflowId: 'orders-linear', workflowVersion: saved.workflowVersion, config: saved.config, input: saved.input, status: 'completed' });
    expect(await page.locator('[data-run-id]').count()).toBe(2);
  });

  it('saves a run started with its own configuration and input, filters by workflow, and walks the list by keyboard', async () => {
    // A run started elsewhere (here: the HTTP API), with a configuration and an input that are not the defaults.
    const started = await api<RunSummary>('startRun', 'payment-fails', { input: { amount: 75 } });
    await page.locator(`[data-run-id="${started.id}"]`).click();
    await tab('Named');
    await saveSelectedRunAs('declined-75');
    await row('declined-75').waitFor();
    await expect.poll(() => named().getByRole('region', { name: 'Input of declined-75' }).textContent()).toContain('"amount": 75');
    // Newest first.
    const names = await list().locator('[data-named]').evaluateAll((els) => els.map((e) => e.getAttribute('data-named')));
    expect(names).toEqual(['declined-75', 'nightly-eu']);
    const [saved] = await api<NamedSnapshot[]>('listNamedSnapshots');
    expect(saved).toMatchObject({ name: 'declined-75', workflowId: 'payment-fails', input: { amount: 75 } });

    await named().getByRole('checkbox', { name: 'Only this workflow' }).check();
    await expect.poll(() => list().locator('[data-named]').count()).toBe(1);
    expect(await row('declined-75').count()).toBe(1);
    await named().getByRole('checkbox', { name: 'Only this workflow' }).uncheck();
    await expect.poll(() => list().locator('[data-named]').count()).toBe(2);

    await row('declined-75').focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => row('nightly-eu').getAttribute('aria-current')).toBe('true');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-named'));
    await expect.poll(focused).toBe('nightly-eu');
    await expect.poll(() => named().getByRole('region', { name: 'Configuration of nightly-eu' }).count()).toBe(1);
    await page.keyboard.press('Home');
    await expect.poll(() => row('declined-75').getAttribute('aria-current')).toBe('true');
    await expect.poll(focused).toBe('declined-75');
    // Tab reaches the item's buttons.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Run named snapshot declined-75');
    await page.screenshot({ path: join(shotsDir, 'named-snapshots.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: join(shotsDir, 'named-snapshots-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('deletes a named snapshot only after it is confirmed, by mouse and by keyboard, until the list is empty', async () => {
    await named().getByRole('button', { name: 'Delete named snapshot nightly-eu', exact: true }).click();
    await named().getByRole('button', { name: 'Keep named snapshot nightly-eu', exact: true }).click();
    await named().getByRole('button', { name: 'Delete named snapshot nightly-eu', exact: true }).waitFor();
    expect(await api<NamedSnapshot[]>('listNamedSnapshots')).toHaveLength(2);

    await named().getByRole('button', { name: 'Delete named snapshot nightly-eu', exact: true }).click();
    await named().getByRole('button', { name: 'Confirm delete nightly-eu', exact: true }).click();
    await expect.poll(() => list().locator('[data-named]').count()).toBe(1);
    expect((await api<NamedSnapshot[]>('listNamedSnapshots')).map((n) => n.name)).toEqual(['declined-75']);

    // By keyboard: Enter on Delete moves the focus to the confirmation; Enter there deletes.
    await named().getByRole('button', { name: 'Delete named snapshot declined-75', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Confirm delete declined-75');
    await page.keyboard.press('Enter');
    await expect.poll(() => named().textContent()).toContain('No named snapshots yet');
    expect(await api<NamedSnapshot[]>('listNamedSnapshots')).toEqual([]);
    expect(await page.locator('.error-bar').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
