// The debugger in browser mode, as a person uses it: walk a run's timeline by keyboard, read a step in the
// Inspector and copy a value's path, find a step from the Graph, fix a configuration and retry, open an old
// run after the workflow changed, resume a waiting run with a signal, compare snapshots and runs, filter the
// history, diff workflow versions. Saves a screenshot of each main view to test-output/screenshots/.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../support/tmp';
import {
  callApi,
  haveChromium,
  importProductionRun,
  NO_CHROMIUM,
  openStudioPage,
  runWorkflow as runInWindow,
  type RunningServer,
  type StudioPage,
} from './harness';

const shotsDir = join(repoRoot, 'test-output/screenshots');
const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`debugger.e2e skipped: ${NO_CHROMIUM}`);

describe.skipIf(!runIt)('the debugger in Chromium', () => {
  let studio: StudioPage | undefined;
  let server: RunningServer;
  let page: Page;
  let workspace: string;
  /** The export file the export test downloaded, for the bad-import test to corrupt. */
  let exported = '';
  let pageErrors: string[] = [];
  const shot = (name: string) => page.screenshot({ path: join(shotsDir, `${name}.png`) });
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  const call = <T>(method: string, ...args: unknown[]) => callApi<T>(server, method, ...args);
  const tab = (name: string) => page.getByRole('tab', { name, exact: true }).click();

  const runWorkflow = (id: string, until: RegExp = /^#\d+ run-completed/) => runInWindow(page, id, until);

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    mkdirSync(shotsDir, { recursive: true });
    // A workspace of our own: the test edits a workflow file to make a new version.
    studio = await openStudioPage(tempDir('studio-debugger-'), {
      context: { acceptDownloads: true },
      prepare: (context, served) => context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: served.url.origin }),
    });
    ({ workspace, server, page, pageErrors } = studio);
  });

  afterAll(async () => {
    await studio?.close();
  });

  it('says what to do when there is nothing yet; Export waits for a run', async () => {
    await expect.poll(() => region('Runs').textContent()).toContain('No runs yet — run an example workflow or import an export');
    await shot('empty');
    expect(await page.getByRole('button', { name: 'Export' }).isDisabled()).toBe(true);
  });

  it('walks the timeline by keyboard, marks snapshots with space, and shows the step waterfall', async () => {
    await runWorkflow('orders-linear');
    const timeline = region('Timeline');
    const waterfall = timeline.getByRole('group', { name: /^Step waterfall/ });
    await waterfall.getByRole('button', { name: /^ship, completed, \d+ ms/ }).waitFor();
    expect(await waterfall.getByRole('button').count()).toBe(4);

    await timeline.getByRole('button', { name: /^#1 run-started/ }).click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => timeline.getByRole('button', { name: /^#3 / }).getAttribute('aria-current')).toBe('true');
    await page.keyboard.press(' ');
    await page.keyboard.press('End');
    await expect.poll(() => timeline.getByRole('button', { name: /^#10 / }).getAttribute('aria-current')).toBe('true');
    await page.keyboard.press(' ');
    expect(await timeline.getByRole('checkbox', { name: 'Compare #3', exact: true }).isChecked()).toBe(true);
    expect(await timeline.getByRole('checkbox', { name: 'Compare #10', exact: true }).isChecked()).toBe(true);
    await page.keyboard.press('Home');
    await expect.poll(() => timeline.getByRole('button', { name: /^#1 / }).getAttribute('aria-current')).toBe('true');
    await shot('timeline');
    expect(await page.getByRole('button', { name: 'Export' }).isDisabled()).toBe(false);
  });

  it('compares the marked snapshots: only changes, volatile fields ignored, and where a path first changed', async () => {
    const timeline = region('Timeline');
    const diff = region('Diff');
    await timeline.getByRole('button', { name: 'Compare', exact: true }).click();
    await diff.getByLabel('Diff summary').waitFor();
    expect(await diff.getByRole('checkbox', { name: 'Only changes' }).isChecked()).toBe(true);
    expect(await diff.getByRole('checkbox', { name: 'Ignore volatile fields' }).isChecked()).toBe(true);
    const paths = diff.getByRole('list', { name: 'Changed paths' });
    // Timestamps changed between #3 and #10, and are left out.
    expect(await paths.textContent()).not.toMatch(/\/at\b|startedAt|endedAt/);
    await paths.getByRole('button', { name: 'First changed at /steps/ship/status' }).click();
    // ship went pending → running at its start (#8).
    await expect.poll(() => paths.textContent()).toContain('first changed at #8');
    await expect.poll(() => timeline.getByRole('button', { name: /^#8 / }).getAttribute('aria-current')).toBe('true');
    await shot('diff');

    // With volatile fields compared too, the timestamps show up; the field list is the person's and is kept.
    await diff.getByRole('checkbox', { name: 'Ignore volatile fields' }).uncheck();
    await expect.poll(() => paths.textContent(), { timeout: 10_000 }).toContain('startedAt');
    await diff.getByRole('checkbox', { name: 'Ignore volatile fields' }).check();
    const fields = diff.getByRole('textbox', { name: 'Volatile fields' });
    await fields.fill('at, startedAt, endedAt, since, duration*, tracking');
    await fields.press('Enter');
    await page.reload();
    await region('Runs').getByRole('button', { name: /^orders-linear run / }).click();
    await timeline.getByRole('checkbox', { name: 'Compare #1', exact: true }).check();
    await timeline.getByRole('checkbox', { name: 'Compare #2', exact: true }).check();
    await timeline.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect.poll(() => region('Diff').getByRole('textbox', { name: 'Volatile fields' }).inputValue()).toContain('tracking');
  });

  it('reads the selected step in the Inspector and copies a value’s JSON pointer', async () => {
    const timeline = region('Timeline');
    const inspector = region('Inspector');
    await timeline.getByRole('button', { name: /^#3 step-completed validate/ }).click();
    const step = inspector.getByRole('region', { name: 'Step validate' });
    await expect.poll(() => step.textContent()).toContain('order validated');
    expect(await step.textContent()).toContain('Output');
    const tree = inspector.getByRole('tree', { name: 'Snapshot #3 document' });
    await tree.getByRole('treeitem', { name: /^"seq": 3/ }).click();
    await inspector.getByRole('button', { name: 'Copy path' }).click();
    await expect.poll(() => inspector.getByRole('status').textContent()).toBe('Copied path of /seq');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('/seq');
    // Arrow keys walk the tree; right opens a value.
    await tree.locator('[data-path="/input"]').click();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await inspector.getByRole('button', { name: 'Copy value' }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/^\{/);
    await shot('inspector');
  });

  it('finds a step from the Graph, coloured by its status at the selected snapshot', async () => {
    await tab('Graph');
    const graph = region('Graph');
    // At #3 validate has completed and ship has not started.
    await graph.getByRole('button', { name: 'Step validate completed' }).waitFor();
    await graph.getByRole('button', { name: 'Step ship pending' }).click();
    const timeline = region('Timeline');
    await expect.poll(() => timeline.getByRole('button', { name: /^#9 step-completed ship/ }).getAttribute('aria-current')).toBe('true');
    await graph.getByRole('button', { name: 'Step ship completed' }).waitFor();
    await shot('graph');
  });

  it('refuses an invalid configuration naming the field, then retries with a corrected one', async () => {
    await tab('Configuration');
    const config = region('Run configuration');
    await config.locator('.monaco-editor').first().waitFor({ timeout: 20_000 });
    await config.getByRole('button', { name: 'YAML' }).click();
    await config.getByLabel('Configuration file').setInputFiles({ name: 'bad.yaml', mimeType: 'application/yaml', buffer: Buffer.from('currency: EUR\ntaxRate: 3\n') });
    const problems = config.getByRole('list', { name: 'Configuration problems' });
    await expect.poll(() => problems.textContent()).toContain('taxRate: must be at most 1, got 3');
    await config.locator('.squiggly-error').first().waitFor();
    expect(await config.getByRole('button', { name: 'Retry with latest version' }).isDisabled()).toBe(true);
    expect(await config.getByRole('button', { name: 'Retry with original version' }).isDisabled()).toBe(true);
    await shot('config-invalid');

    await config.getByLabel('Configuration file').setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from('{"currency":"USD","taxRate":0.1}') });
    await config.getByRole('status').filter({ hasText: 'Valid' }).waitFor();
    await config.getByRole('checkbox', { name: 'Diff with original' }).check();
    await config.locator('.monaco-diff-editor').waitFor();
    await shot('config');
    await config.getByRole('button', { name: 'Retry with original version' }).click();
    const timeline = region('Timeline');
    await expect.poll(() => timeline.textContent(), { timeout: 10_000 }).toMatch(/retry of/);
    await timeline.getByRole('button', { name: /^#\d+ run-completed/ }).waitFor({ timeout: 20_000 });
    await timeline.getByRole('button', { name: /^#\d+ run-completed/ }).click();
    await tab('Inspector');
    await region('Inspector').locator('[data-path="/config"]').click();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => region('Inspector').getByRole('tree').textContent()).toContain('"USD"');
  });

  it('groups the retry under its run, and filters and searches the history', async () => {
    const runs = region('Runs');
    await runWorkflow('payment-fails', /^#\d+ run-failed/);
    const list = runs.getByRole('list', { name: 'Runs by work order' });
    // The retry sits under the run it retries.
    const rows = list.locator('[data-run-id]');
    const names = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')!));
    expect(names[0]).toMatch(/^payment-fails run/);
    expect(names[1]).toMatch(/^orders-linear run/);
    expect(names[2]).toMatch(/^orders-linear run/);
    expect(await list.getByText('retry', { exact: true }).count()).toBe(1);
    await runs.getByRole('combobox', { name: 'Filter by status' }).selectOption('failed');
    await expect.poll(() => rows.count()).toBe(1);
    await runs.getByRole('combobox', { name: 'Filter by status' }).selectOption('');
    const id = (names[1].match(/run (\S+) /) ?? [])[1];
    await runs.getByRole('searchbox', { name: 'Search run id' }).fill(id);
    await expect.poll(() => list.getByRole('button', { name: new RegExp(`run ${id} `) }).count()).toBe(1);
    await shot('runs');
    await runs.getByRole('searchbox', { name: 'Search run id' }).fill('');
    await runs.getByRole('button', { name: /^Hide the 1 run made from run/ }).click();
    await expect.poll(() => rows.count()).toBe(2);
    await runs.getByRole('button', { name: /^Show the 1 run made from run/ }).click();
  });

  it('shows a failed step’s error with its stack, its attempts and its timing in the Inspector', async () => {
    const runs = region('Runs');
    await runs.getByRole('button', { name: /^payment-fails run .* failed/ }).click();
    await region('Timeline').getByRole('button', { name: /^#\d+ step-failed charge/ }).click();
    const step = region('Inspector').getByRole('region', { name: 'Step charge' });
    const error = step.getByRole('group', { name: 'Step error' });
    await expect.poll(() => error.textContent()).toMatch(/^Error: card declined for \d+(\.\d+)? EUR/);
    expect(await error.getByRole('list', { name: 'Stack frames' }).locator('> li').first().textContent()).toMatch(/^at Object\.run \(payment-fails\.workflow\.ts:\d+:\d+\)$/);
    const head = await step.locator('header').textContent();
    expect(head).toMatch(/attempts? \d+/);
    expect(head).toMatch(/took \d/);
    await shot('inspector-error');
  });

  it('compares a run with another run of the same workflow, steps aligned by id', async () => {
    const runs = region('Runs');
    await runs.getByRole('button', { name: /^orders-linear run / }).last().click();
    const diff = region('Diff');
    const other = await diff.getByRole('combobox', { name: 'Compare with run' }).locator('option').nth(1).getAttribute('value');
    await diff.getByRole('combobox', { name: 'Compare with run' }).selectOption(other!);
    const table = diff.getByRole('table', { name: 'Steps side by side' });
    await table.waitFor();
    expect(await table.getByRole('row').count()).toBe(5);
    await expect.poll(() => diff.getByRole('list', { name: 'Changed paths' }).textContent()).toContain('/config/currency');
    await shot('diff-runs');
  });

  it('shows an old run as a snapshot of its workflow, switches to the latest version, and diffs the versions', async () => {
    const runs = region('Runs');
    const picker = page.getByRole('combobox', { name: 'Workflow', exact: true });
    await picker.selectOption('orders-linear');
    const before = await page.locator('.workflow-picker__meta').textContent();
    // Saving the workflow file with a change makes a new version, which the window hears about.
    const file = join(workspace, 'orders-linear.workflow.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("carrier: 'DHL'", "carrier: 'UPS'"));
    await expect.poll(() => page.locator('.workflow-picker__meta').textContent(), { timeout: 15_000 }).not.toBe(before);
    await runs.getByRole('button', { name: /^orders-linear run / }).last().click();
    const timeline = region('Timeline');
    await timeline.getByText(/^older version [0-9a-f]{8}, saved (\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d$/).waitFor();
    await shot('run-header-old-version');
    await timeline.getByRole('button', { name: 'Switch to latest version' }).click();
    await timeline.locator('.chip--latest').filter({ hasText: /^latest/ }).waitFor();

    await tab('Versions');
    const versions = region('Workflow versions');
    await expect.poll(() => versions.getByRole('list', { name: 'Versions' }).getByRole('listitem').count()).toBe(2);
    await versions.getByRole('button', { name: 'What changed since this run' }).click();
    await versions.locator('.monaco-diff-editor').waitFor({ timeout: 20_000 });
    await expect.poll(() => versions.locator('.monaco-diff-editor').textContent()).toMatch(/carrier:\s'UPS'/);
    await shot('versions');
    await tab('Inspector');
  });

  it('resumes a run waiting for a signal with a chosen signal and payload', async () => {
    await runWorkflow('human-approval', /^#\d+ waiting /);
    const timeline = region('Timeline');
    const form = timeline.getByRole('form', { name: 'Resume with a signal' });
    await form.waitFor();
    expect(await form.getByRole('combobox', { name: 'Signal' }).inputValue()).toBe('approval');
    // The payload is written in Monaco (one line): select what is there, type over it.
    await form.locator('.signal-resume__editor .monaco-editor').waitFor({ timeout: 20_000 });
    const payload = form.getByRole('textbox', { name: 'Signal payload (JSON)' });
    await payload.focus();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText('{"ok": true, "by": ');
    await expect.poll(() => form.getByRole('button', { name: 'Resume' }).isDisabled()).toBe(true);
    await page.keyboard.insertText('"ada"}');
    await expect.poll(() => form.getByRole('button', { name: 'Resume' }).isDisabled()).toBe(false);
    await shot('resume-signal');
    await form.getByRole('button', { name: 'Resume' }).click();
    await timeline.getByRole('button', { name: /^#\d+ run-completed/ }).waitFor({ timeout: 20_000 });
    await timeline.getByRole('button', { name: /^#\d+ step-completed refund/ }).click();
    await expect.poll(() => region('Inspector').getByRole('region', { name: 'Step refund' }).textContent()).toContain('"approvedBy": "ada"');
  });

  it('draws a looping step with its arc and the iteration it is at, at the selected snapshot', async () => {
    cpSync(join(repoRoot, 'test/core/fixtures/engine/loop.workflow.ts'), join(workspace, 'loop.workflow.ts'));
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).locator('option', { hasText: 'loop' }).waitFor({ state: 'attached', timeout: 15_000 });
    await runWorkflow('loop');
    await tab('Graph');
    const graph = region('Graph');
    // bump runs while items remain (3 of them), spin until its output reaches 2.
    await graph.getByRole('button', { name: 'Step bump completed, loops while, iteration 3' }).waitFor();
    await graph.getByRole('button', { name: 'Step spin completed, loops until, iteration 2' }).waitFor();
    // The loop arcs and their labels are drawn by React Flow's edge layer, a frame or more after the nodes.
    await expect.poll(() => graph.locator('.graph-loop-label').allTextContents()).toEqual(expect.arrayContaining(['↻ while · 3', '↻ until · 2']));
    await expect.poll(() => graph.locator('.react-flow__edge-path.graph-loop-edge').count()).toBe(2);
    await shot('graph-loop');
    // Earlier in the run, the graph shows the iteration of then.
    await region('Timeline').getByRole('button', { name: /^#\d+ step-started bump/ }).nth(1).click();
    await graph.getByRole('button', { name: 'Step bump running, loops while, iteration 2' }).waitFor();
    await tab('Inspector');
  });

  it('imports a foreign file from the file chooser with progress and a summary, and draws the imported run’s graph', async () => {
    await page.evaluate(`void (window.__sawImportProgress = false, new MutationObserver(() => {
      if (document.querySelector('[aria-label="Import progress"]')) window.__sawImportProgress = true;
    }).observe(document.body, { childList: true, subtree: true }))`);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import…' }).click();
    await page.getByRole('dialog', { name: 'Import' }).getByRole('button', { name: 'Choose a file…' }).click();
    await (await chooser).setFiles(join(repoRoot, 'test/fixtures/foreign/refluxo/exec-7f3c.ndjson'));
    const dialog = page.getByRole('dialog', { name: 'Import' });
    const summary = dialog.getByRole('status', { name: 'Import summary' });
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/exec-7f3c\.ndjson read as refluxo\..*1 run imported.*\d+ snapshots.*0 runs skipped/);
    expect(await page.evaluate('window.__sawImportProgress')).toBe(true);
    await shot('import-summary');
    await dialog.getByRole('button', { name: 'Close' }).click();

    await region('Runs').getByRole('button', { name: /^exec-7f3c run / }).click();
    await region('Timeline').getByText('imported', { exact: true }).waitFor();
    await tab('Graph');
    const graph = region('Graph');
    await expect.poll(() => graph.getByRole('button', { name: /^Step / }).count()).toBeGreaterThan(1);
    await shot('graph-imported');
    await tab('Inspector');
  });

  it('exports a run as a download with secrets redacted, and importing it back skips the run already here', async () => {
    await region('Runs').getByRole('button', { name: /^orders-linear run / }).first().click();
    await page.getByRole('button', { name: 'Export', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Export' });
    expect(await dialog.getByRole('checkbox', { name: 'Redact secrets' }).isChecked()).toBe(true);
    await dialog.getByRole('radio', { name: /^Its work order \(2 runs\)/ }).check();
    await dialog.getByRole('textbox', { name: 'Also redact keys' }).fill('customer');
    await shot('export-dialog');
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Export runs' }).click();
    const file = join(tempDir('studio-export-'), (await download).suggestedFilename());
    await (await download).saveAs(file);
    expect(file).toMatch(/orders-linear-\w+\.ssx\.ndjson\.gz$/);
    await expect.poll(() => dialog.getByRole('status', { name: 'Export summary' }).textContent()).toMatch(/^Wrote 2 runs and \d+ snapshots to .*, \d+ values? redacted\.$/);
    const lines = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
    expect(lines.filter((l) => l.includes('"type":"run"'))).toHaveLength(2);
    // The customer's address is gone from every snapshot (the workflow's source, kept as is, still has its default).
    const snapshots = lines.filter((l) => l.includes('"type":"snapshot"'));
    expect(snapshots.length).toBeGreaterThan(0);
    expect(snapshots.filter((l) => l.includes('ada@example.com')).length).toBe(0);
    await dialog.getByRole('button', { name: 'Close' }).click();

    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Import…' }).click();
    await page.getByRole('dialog', { name: 'Import' }).getByRole('button', { name: 'Choose a file…' }).click();
    await (await chooser).setFiles(file);
    const importDialog = page.getByRole('dialog', { name: 'Import' });
    await expect.poll(() => importDialog.getByRole('status', { name: 'Import summary' }).textContent()).toMatch(/read as Snapshot Studio export\..*0 runs imported.*2 runs skipped/);
    await importDialog.getByRole('button', { name: 'Close' }).click();
    exported = file;
  });

  it('names the file, line and reason of a bad file dropped on the window, and imports nothing', async () => {
    const lines = gunzipSync(readFileSync(exported)).toString('utf8').split('\n');
    const bad = lines.findIndex((l) => l.includes('"type":"snapshot"'));
    lines[bad] = lines[bad].replace('"seq":', '"seq":"7a","was":');
    const runsBefore = await region('Runs').locator('[data-run-id]').count();
    // What a person's drop gives the page: a DataTransfer holding the file.
    await page.evaluate(
      `(() => {
        const data = new DataTransfer();
        data.items.add(new File([${JSON.stringify(lines.join('\n'))}], 'prod.ssx.ndjson'));
        window.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, cancelable: true }));
        window.dispatchEvent(new DragEvent('drop', { dataTransfer: data, cancelable: true }));
      })()`,
    );
    const dialog = page.getByRole('dialog', { name: 'Import' });
    const error = dialog.getByRole('alert', { name: 'Import error' });
    await error.waitFor();
    expect(await error.textContent()).toMatch(new RegExp(`^Nothing was imported from prod\\.ssx\\.ndjson:prod\\.ssx\\.ndjson:${bad + 1}\\b.*seq`));
    expect(await error.textContent()).not.toMatch(/snapshot-studio-upload/);
    await shot('import-error');
    // Chromium logs the refused upload (422) to the console: expected here, and only here.
    const refused = pageErrors.findIndex((m) => /status of 422/.test(m));
    expect(refused, pageErrors.join('\n')).toBeGreaterThanOrEqual(0);
    pageErrors.splice(refused, 1);
    await dialog.getByRole('button', { name: 'Close' }).click();
    expect(await region('Runs').locator('[data-run-id]').count()).toBe(runsBefore);
  });

  it('replays an imported production run against the local workflow and ends in the run-against-run diff', async () => {
    // "Production": another database, the same workflows; its run is exported and imported here.
    const recorded = await importProductionRun(page, tempDir('studio-prod-'), 'parallel-fanout');

    await page.locator(`[data-run-id="${recorded}"]`).click();
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    const report = page.getByRole('status', { name: 'Replay report' });
    await expect.poll(() => report.textContent(), { timeout: 20_000 }).toMatch(/^Replay: identical: \d+ step\(s\) compared \(status, output, state\)/);
    // The whole line is shown, wrapped if need be: nothing is cut off.
    expect(await report.evaluate((el) => ({ cut: el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight, ellipsis: getComputedStyle(el).textOverflow }))).toEqual({
      cut: false,
      ellipsis: 'clip',
    });
    // The Diff compares the recording with its replay, steps side by side.
    const diff = region('Diff');
    await diff.getByRole('table', { name: 'Steps side by side' }).waitFor({ timeout: 20_000 });
    const runs = await call<{ id: string; replayOf?: string }[]>('listRuns');
    const replayId = runs.find((r) => r.replayOf === recorded)?.id;
    expect(typeof replayId).toBe('string');
    expect(await diff.textContent()).toMatch(new RegExp(`${recorded.slice(0, 8)} #\\d+ → ${String(replayId).slice(0, 8)} #\\d+`));
    expect(await page.locator(`[data-run-id="${replayId}"]`).count()).toBe(1);
    await shot('replay-diff');
  });

  it('acts from the run header: cancel a waiting run, retry it with the latest version, fork from a snapshot, edit its configuration', async () => {
    const timeline = region('Timeline');
    const runs = region('Runs');
    await runWorkflow('human-approval', /^#\d+ waiting /);
    // A live run offers Pause and Cancel, not Retry.
    expect(await timeline.getByRole('button', { name: 'Retry with latest version' }).count()).toBe(0);
    await timeline.getByRole('button', { name: 'Cancel', exact: true }).click();
    await timeline.getByRole('button', { name: /^#\d+ run-cancelled/ }).waitFor({ timeout: 10_000 });
    const cancelled = await runs.locator('[aria-current="true"]').getAttribute('data-run-id');
    expect(await runs.locator('[aria-current="true"]').getAttribute('aria-label')).toMatch(/ cancelled, /);
    await shot('run-header');

    // Retry with the latest version: a new run, selected, under the cancelled one in its work order.
    await timeline.getByRole('button', { name: 'Retry with latest version', exact: true }).click();
    await expect.poll(() => timeline.textContent(), { timeout: 10_000 }).toContain(`retry of ${cancelled!.slice(0, 8)}`);
    const retried = await runs.locator('[aria-current="true"]').getAttribute('data-run-id');
    expect(retried).not.toBe(cancelled);
    await timeline.getByRole('button', { name: /^#\d+ waiting / }).first().waitFor({ timeout: 20_000 });

    // Fork from the first snapshot: a new run continues from it.
    await timeline.getByRole('button', { name: /^#1 run-started/ }).click();
    await region('Inspector').getByRole('button', { name: 'Fork from here (#1)' }).click();
    await expect.poll(() => timeline.textContent(), { timeout: 10_000 }).toContain(`forked from ${retried!.slice(0, 8)}`);
    const forked = await runs.locator('[aria-current="true"]').getAttribute('data-run-id');
    expect([cancelled, retried]).not.toContain(forked);
    await timeline.getByRole('button', { name: /^#\d+ waiting /, exact: false }).first().waitFor({ timeout: 20_000 });
    await timeline.getByRole('button', { name: 'Cancel', exact: true }).click();
    await timeline.getByRole('button', { name: /^#\d+ run-cancelled/ }).waitFor({ timeout: 10_000 });

    // Edit configuration opens this run's configuration in the editor, its retry buttons beneath.
    await timeline.getByRole('button', { name: 'Edit configuration', exact: true }).click();
    expect(await page.getByRole('tab', { name: 'Configuration', exact: true }).getAttribute('aria-selected')).toBe('true');
    await region('Run configuration').getByRole('button', { name: 'Retry with original version' }).waitFor();
    await tab('Inspector');
  });

  it('names every control, reaches each by Tab, and does not shift the layout as a live run’s data arrives', async () => {
    // Every control in the accessibility tree has a name, in each view of the detail column.
    const unnamed: string[] = [];
    for (const view of ['Inspector', 'Graph', 'Configuration', 'Versions', 'Named']) {
      await tab(view);
      await page.waitForTimeout(300);
      const tree = await page.locator('body').ariaSnapshot();
      for (const line of tree.split('\n')) {
        if (/^\s*- (button|checkbox|combobox|textbox|searchbox|tab|radio|slider|spinbutton|switch|link|menuitem|option)\s*(\[[^\]]*\])?\s*(:.*)?$/.test(line)) unnamed.push(`${view}: ${line.trim()}`);
      }
    }
    expect(unnamed).toEqual([]);
    await tab('Inspector');
    await region('Timeline').getByRole('button', { name: /^#1 / }).click();

    // Tab walks from the toolbar through every region without getting stuck; each stop has a name.
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    const stops: string[] = [];
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      stops.push(
        await page.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          const region = el?.closest('section[aria-label]')?.getAttribute('aria-label') ?? el?.closest('header, [role=tablist]')?.tagName ?? 'other';
          const labelled = el && 'labels' in el ? (el as HTMLInputElement).labels?.[0]?.textContent : undefined;
          const name = el?.getAttribute('aria-label') ?? labelled?.trim() ?? el?.textContent?.trim().slice(0, 40) ?? '';
          return `${region}|${el?.tagName}|${name}`;
        }),
      );
    }
    const regions = new Set(stops.map((s) => s.split('|')[0]));
    for (const r of ['Runs', 'Timeline', 'Inspector', 'Diff']) expect(regions).toContain(r);
    expect(stops.filter((s) => s.endsWith('|'))).toEqual([]);

    // A run waiting for a signal, opened; then the signal is sent from elsewhere: its snapshots, status and
    // actions arrive by events alone, with no input nearby, and nothing on screen moves out of its place.
    const started = await call<{ id: string }>('startRun', 'human-approval', {});
    await page.locator(`[data-run-id="${started.id}"]`).click();
    await region('Timeline').getByRole('button', { name: /^#\d+ waiting /, exact: false }).first().waitFor({ timeout: 20_000 });
    await page.waitForTimeout(800);
    // Chromium reports layout shifts (an empty list below means none happened, not that none were watched).
    expect(await page.evaluate(() => PerformanceObserver.supportedEntryTypes.includes('layout-shift'))).toBe(true);
    await page.evaluate(() => {
      const w = window as unknown as { __shifts: number[] };
      w.__shifts = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) if (!e.hadRecentInput) w.__shifts.push(e.value);
      }).observe({ type: 'layout-shift' });
    });
    await call('resume', started.id, { signal: 'approval', payload: { ok: true, by: 'grace' } });
    await region('Timeline').getByRole('button', { name: /^#\d+ run-completed/ }).waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    const shifts = await page.evaluate(() => (window as unknown as { __shifts: number[] }).__shifts);
    // The web's "good" cumulative layout shift is under 0.1; the window should not move at all.
    expect(shifts.reduce((a, b) => a + b, 0)).toBeLessThan(0.01);
  });

  it('follows the system’s dark setting, with nothing gone wrong on the way', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await region('Timeline').getByRole('button', { name: /^#2 / }).click();
    await shot('overview-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await shot('overview');
    // The error bar never showed (Monaco keeps empty live regions of its own, so look for ours by class).
    expect(await page.locator('.error-bar').allTextContents()).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
