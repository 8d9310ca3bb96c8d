// The window's Import… reads a production database by its URL: a person pastes the postgres:// URL of a LangGraph
// PostgresSaver database (written by the real LangGraph.js against the test run's PostgreSQL server), narrows it
// as the CLI does, and the threads appear as runs. The dialog says at once that a path or another scheme is not
// read from a window, and the password in the URL is shown nowhere.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { THREADS, withPostgresSaver, writeThreads } from '../fixtures/langgraph/generate';
import { createDatabase, describePostgres } from '../support/postgres';
import { repoRoot, tempDir } from '../support/tmp';
import { haveChromium, NO_CHROMIUM, openStudioPage, type StudioPage } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`databaseImport.e2e skipped: ${NO_CHROMIUM}`);
const PASSWORD = 'hunter2-never-shown';
const shotsDir = join(repoRoot, 'test-output/screenshots');

describePostgres('Import… from a database URL', (pg) => {
  const dir = tempDir('studio-e2e-db-import-');
  let studio: StudioPage;
  let url: string;
  beforeAll(async () => {
    if (!runIt) return;
    const plain = await createDatabase(pg, 'window_e2e');
    await withPostgresSaver(plain, writeThreads);
    // The test server trusts local connections; the password goes along as it would to a real one.
    const u = new URL(plain);
    u.password = PASSWORD;
    url = u.toString();
    studio = await openStudioPage(dir);
  }, 120_000);
  afterAll(() => studio?.close());

  it.skipIf(!runIt)('imports the threads asked for, then the rest, as runs; refuses a path in the dialog; never shows the password', async () => {
    const { page } = studio;
    const dialog = page.getByRole('dialog', { name: 'Import' });
    const form = dialog.getByRole('form', { name: 'Import from a database' });
    const field = (name: string) => form.getByRole('textbox', { name, exact: true });
    const submit = form.getByRole('button', { name: 'Import from database' });

    await page.getByRole('button', { name: 'Import…' }).click();
    await dialog.getByRole('button', { name: 'Choose a file…' }).waitFor();

    // A path, or a URL of another scheme, is refused where it is typed: the button stays off.
    for (const bad of ['/srv/app/checkpoints.db', 'file:///srv/app/checkpoints.db', 'sqlite:///srv/app/checkpoints.db']) {
      await field('Database URL').fill(bad);
      await expect.poll(() => form.getByText('only a postgres:// or postgresql:// URL is read from a window').count()).toBe(1);
      expect(await submit.isDisabled(), bad).toBe(true);
    }
    await field('Database URL').fill(`${url}?sslrootcert=/home/ada/ca.pem`);
    await form.getByText(/parameter sslrootcert is not read from a window/).waitFor();
    expect(await submit.isDisabled()).toBe(true);

    // Two threads, as LangGraph checkpoints, from the public schema, since a date long past.
    await field('Database URL').fill(url);
    expect(await submit.isDisabled()).toBe(false);
    await form.getByText('Narrow the import').click();
    await form.getByRole('combobox', { name: 'Format' }).selectOption('langgraph');
    await field('Threads').fill(`${THREADS.linear}, ${THREADS.waiting}`);
    await field('Since').fill('2020-01-01');
    await field('Schema').fill('public');
    await page.screenshot({ path: join(shotsDir, 'import-database-form.png') });
    await submit.click();
    const summary = dialog.getByRole('status', { name: 'Import summary' });
    await summary.waitFor({ timeout: 20_000 });
    expect(await summary.textContent()).toMatch(/^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/window_e2e_\w+ read as LangGraph checkpoints\..*2 runs imported.*\d+ snapshots.*0 runs skipped/);
    await page.screenshot({ path: join(shotsDir, 'import-database-summary.png') });
    const runs = page.getByRole('region', { name: 'Runs', exact: true });
    for (const thread of [THREADS.linear, THREADS.waiting]) await runs.locator(`[data-run-id="langgraph-${thread}"]`).waitFor();
    expect(await runs.locator(`[data-run-id="langgraph-${THREADS.failed}"]`).count()).toBe(0);

    // Again without the narrowing: the rest of the threads come, the two already here are skipped.
    await dialog.getByRole('button', { name: 'Import more…' }).click();
    expect(await field('Database URL').inputValue()).toBe(url);
    await field('Threads').fill('');
    await field('Since').fill('');
    await submit.click();
    await expect.poll(() => summary.textContent(), { timeout: 20_000 }).toMatch(/read as LangGraph checkpoints\..*\d+ runs imported.*2 runs skipped/);
    await dialog.getByRole('button', { name: 'Close' }).click();
    for (const thread of Object.values(THREADS)) await runs.locator(`[data-run-id="langgraph-${thread}"]`).waitFor();

    // A thread is a run with its timeline: the one waiting for a person ends waiting.
    await runs.locator(`[data-run-id="langgraph-${THREADS.waiting}"]`).click();
    await page.getByRole('region', { name: 'Timeline', exact: true }).getByRole('button', { name: /^#\d+ waiting review waiting/ }).waitFor({ timeout: 10_000 });

    // A database that is not there: host, port and database named, the password not, nothing imported.
    const missing = new URL(url);
    missing.pathname = '/no_such_database';
    await page.getByRole('button', { name: 'Import…' }).click();
    await field('Database URL').fill(missing.toString());
    await submit.click();
    const error = dialog.getByRole('alert', { name: 'Import error' });
    await error.waitFor({ timeout: 20_000 });
    expect(await error.textContent()).toMatch(new RegExp(`cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${missing.port}.*no_such_database`));
    await page.screenshot({ path: join(shotsDir, 'import-database-error.png') });
    expect(await page.locator('body').innerText()).not.toContain(PASSWORD);
    // Back keeps what was typed, to fix it.
    await dialog.getByRole('button', { name: 'Back' }).click();
    expect(await field('Database URL').inputValue()).toBe(missing.toString());
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Chromium logs the refused call (422) to the console: expected here, and only here.
    const refused = studio.pageErrors.findIndex((m) => /status of 422/.test(m));
    expect(refused, studio.pageErrors.join('\n')).toBeGreaterThanOrEqual(0);
    studio.pageErrors.splice(refused, 1);
    expect(studio.pageErrors).toEqual([]);
  });
});
