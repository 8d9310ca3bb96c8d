// The window's part of the desktop app's File › Open database…, in Chromium: the built renderer served by `serve`, with
// a stand-in for the Electron preload's window.studio (Electron cannot start here) that forwards the contract's calls to
// the real server and records what Open database… is handed. The menu asks, the dialog takes a URL, a refusal is
// shown with the core's reason, and a database that opens makes the window start over.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { studioMethods } from '../../src-main/shared/schemas';
import { tempDir } from '../support/tmp';
import { haveChromium, launchChromium, NO_CHROMIUM, startServer, stopServer, type RunningServer } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`openDatabase.e2e skipped: ${NO_CHROMIUM}`);

/** In the page before its scripts: window.studio as the preload makes it, its calls sent to the server. */
function preloadStandIn({ token, methods }: { token: string; methods: string[] }): void {
  const w = window as unknown as Record<string, unknown>;
  const opened: string[] = JSON.parse(sessionStorage.getItem('opened') ?? '[]');
  w.__opened = opened;
  const call = (method: string) => async (...args: unknown[]) => {
    const res = await fetch(`/api/call/${method}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-studio-token': token }, body: JSON.stringify(args) });
    const body = await res.json();
    if (body.error) throw new Error(`${body.error.code}: ${body.error.message}`);
    return body.result;
  };
  w.studio = {
    ...Object.fromEntries(methods.map((m) => [m, call(m)])),
    subscribe: () => () => undefined,
    onOpenDatabaseAsked(listener: () => void) {
      w.__askDatabase = listener;
      return () => undefined;
    },
    async openDatabase(database: string) {
      if (database.includes('nowhere')) throw new Error('E_DB_CONNECT: cannot connect to PostgreSQL at nowhere:5432: getaddrinfo ENOTFOUND nowhere');
      opened.push(database);
      sessionStorage.setItem('opened', JSON.stringify(opened));
      return { readOnly: false, provider: 'postgres', database };
    },
  };
}

describe.skipIf(!runIt)('Open database… in the window', () => {
  const dir = tempDir('studio-e2e-open-db-');
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    server = await startServer(join(dir, 'studio.db'));
    browser = await launchChromium();
    page = await (await browser.newContext()).newPage();
    await page.addInitScript(preloadStandIn, { token: server.token, methods: studioMethods });
    await page.goto(server.url.href);
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).locator('option', { hasText: 'orders-linear' }).waitFor({ state: 'attached' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await stopServer(server.child);
  });

  it('asks when the menu does, shows a refusal with its reason, and starts over on the database that opens', async () => {
    const dialog = page.getByRole('dialog', { name: 'Open database' });
    expect(await dialog.isVisible()).toBe(false);
    await page.evaluate(() => (window as unknown as { __askDatabase(): void }).__askDatabase());
    await dialog.waitFor();
    expect(await dialog.getByText(join(dir, 'studio.db')).count()).toBe(1); // what is open now
    const field = dialog.getByRole('textbox', { name: 'SQLite file or PostgreSQL URL' });

    await field.fill('postgres://ada:pw@nowhere/team');
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await dialog.getByRole('alert').getByText(/cannot connect to PostgreSQL at nowhere:5432/).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __opened: string[] }).__opened)).toEqual([]);

    const reloaded = page.waitForEvent('load');
    await field.fill('  postgres://ada:pw@db.internal/team  ');
    await dialog.getByRole('button', { name: 'Open', exact: true }).click();
    await reloaded;
    expect(await page.evaluate(() => (window as unknown as { __opened: string[] }).__opened)).toEqual(['postgres://ada:pw@db.internal/team']);
    expect(await page.getByRole('dialog', { name: 'Open database' }).isVisible()).toBe(false);
  }, 60_000);
});
