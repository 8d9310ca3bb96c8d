// `serve --read-only` in Chromium, as a person opens a database they may only read: the header says "read-only",
// every run, snapshot and named snapshot can be browsed and exported, no action that would write is offered (Run,
// Import…, Retry, Fork, Pause, Resume, Cancel, the signal form, Save as named snapshot, a named snapshot's Run and
// Delete), and a write sent straight to the API is refused with E_READ_ONLY. The database file stays as it was.
import { createHash } from 'node:crypto';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { StudioService } from '../../src-main/core/studio';
import { examplesDir, repoRoot, tempDir } from '../support/tmp';
import { apiRequest, haveChromium, launchChromium, NO_CHROMIUM, startServer, stopServer, type RunningServer } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`readOnly.e2e skipped: ${NO_CHROMIUM}`);

const WRITE_BUTTONS = [
  /^Run$/,
  /^Import…$/,
  /^Retry with/,
  /^Fork from here/,
  /^Pause$/,
  /^Resume/,
  /^Cancel$/,
  /^Edit configuration$/,
  /^Save as named snapshot/,
  /^Run named snapshot/,
  /^Delete named snapshot/,
  /^Replay$/,
];

describe.skipIf(!runIt)('a read-only window in Chromium', () => {
  const dir = tempDir('studio-e2e-read-only-');
  const db = join(dir, 'studio.db');
  const workspace = join(dir, 'workspace');
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let completed: string;
  let waiting: string;
  let before: string;
  const bytes = () => createHash('sha256').update(readFileSync(db)).digest('hex');
  const region = (name: string) => page.getByRole('region', { name, exact: true });

  /** No button of the window that would write is visible now. */
  async function expectNoWriteButton(where: string): Promise<void> {
    for (const name of WRITE_BUTTONS) {
      expect(await page.getByRole('button', { name }).count(), `${where}: ${name}`).toBe(0);
    }
  }

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    cpSync(examplesDir, workspace, { recursive: true });
    // A finished run, a run waiting for a person's approval, and a named snapshot, written by a writable studio.
    const seed = await StudioService.open({ db, workspaceDir: workspace, appRoot: repoRoot });
    try {
      completed = (await seed.waitForRun((await seed.startRun('orders-linear', { input: null })).id)).id;
      waiting = (await seed.startRun('human-approval', { input: { amount: 120 } })).id;
      await vi.waitFor(async () => expect((await seed.getRun(waiting)).status).toBe('waiting'), { timeout: 20_000, interval: 50 });
      await seed.createNamedSnapshot('nightly', { workflowId: 'orders-linear' });
    } finally {
      await seed.close();
    }
    before = bytes();
    server = await startServer(db, workspace, { readOnly: true });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(server.url.href);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
  });

  it('says read-only in the header and offers no action that would write, while everything can be browsed', async () => {
    const badge = page.getByRole('banner').getByText('read-only', { exact: true });
    await badge.waitFor({ timeout: 20_000 });
    expect(await badge.getAttribute('title')).toContain(db);
    await page.locator(`[data-run-id="${completed}"]`).click();
    await region('Timeline').getByRole('button', { name: /run-completed/ }).first().click();
    await region('Inspector').getByText('run-completed').first().waitFor();
    expect(await page.getByRole('button', { name: 'Export', exact: true }).isEnabled()).toBe(true);
    await expectNoWriteButton('a finished run');

    await page.locator(`[data-run-id="${waiting}"]`).click();
    await region('Timeline').getByRole('button', { name: /waiting/ }).first().waitFor();
    await expectNoWriteButton('a waiting run');
    expect(await page.getByRole('form', { name: /signal/i }).count()).toBe(0);

    await page.getByRole('tab', { name: 'Named', exact: true }).click();
    await region('Named snapshots').getByRole('button', { name: /^nightly: / }).waitFor();
    await expectNoWriteButton('the Named tab');
  }, 60_000);

  it('refuses a write sent straight to the API with E_READ_ONLY, and the file keeps its bytes', async () => {
    const headers = { 'x-studio-token': server!.token, host: `127.0.0.1:${server!.port}` };
    const info = await apiRequest(server!.port, 'getStudioInfo', headers);
    expect(JSON.parse(info.body).result).toEqual({ readOnly: true, provider: 'sqlite', database: db });
    for (const [method, args] of [
      ['startRun', ['orders-linear', {}]],
      ['resume', [waiting, { signal: 'approval', payload: { ok: true, by: 'ada' } }]],
      ['deleteNamedSnapshot', ['nightly']],
      ['setRetention', [{ keep: 'last', count: 1 }]],
    ] as const) {
      const r = await apiRequest(server!.port, method, headers, [...args]);
      expect(r.status, method).toBe(403);
      expect(JSON.parse(r.body).error.code, method).toBe('E_READ_ONLY');
    }
    const upload = await fetch(new URL('/api/import?name=runs.ssx.ndjson&format=auto', server!.url), {
      method: 'POST',
      headers: { 'x-studio-token': server!.token, 'content-type': 'application/octet-stream' },
      body: '{}',
    });
    expect(upload.status).toBe(403);
    expect(((await upload.json()) as { error: { code: string } }).error.code).toBe('E_READ_ONLY');
    expect(bytes()).toBe(before);
  }, 30_000);
});
