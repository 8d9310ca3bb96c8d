// What the browser end-to-end tests share: `snapshot-studio serve` started as a person would, Debian's
// Chromium launched by playwright-core, and raw API requests with full control of the headers.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

// Not from ../support/tmp, which needs vitest: the UI benchmark runs this outside the test runner.
const repoRoot = resolve(import.meta.dirname, '../..');

export const CHROMIUM = '/usr/bin/chromium';
export const NO_CHROMIUM = `Chromium not found at ${CHROMIUM}: apt-get install -y chromium`;
export const haveChromium = existsSync(CHROMIUM);

export interface RunningServer {
  child: ChildProcess;
  url: URL;
  token: string;
  port: number;
}

/** Starts `serve` as a person would and waits for its one line on stdout. */
export function startServer(dbFile: string, workspace = 'resources/examples'): Promise<RunningServer> {
  const child = spawn(
    process.execPath,
    ['node_modules/tsx/dist/cli.mjs', 'src-main/cli/main.ts', 'serve', '--port', '0', '--db', dbFile, '--workspace', workspace],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve printed no URL within 30 s; stderr:\n${stderr}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with code ${code} before it was ready; stderr:\n${stderr}`));
    });
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const match = /^Snapshot Studio ready at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))$/.exec(line);
      if (!match) return reject(new Error(`unexpected first line from serve: ${JSON.stringify(line)}`));
      resolve({ child, url: new URL(match[1]), port: Number(match[2]), token: match[3] });
    });
  });
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Runs a workflow from the toolbar as a person does, and waits for the timeline row `until` names. */
export async function runWorkflow(page: Page, workflowId: string, until: RegExp): Promise<void> {
  await page.getByRole('combobox', { name: 'Workflow', exact: true }).selectOption(workflowId);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.getByRole('region', { name: 'Timeline', exact: true }).getByRole('button', { name: until }).first().waitFor({ timeout: 20_000 });
}

/**
 * A run "from production": run in a database of its own in `dir` (the examples workspace), exported, and
 * imported into the window through Import… as a person would. Resolves to the recorded run's id.
 */
export async function importProductionRun(page: Page, dir: string, workflowId: string): Promise<string> {
  // Loaded here, not at the top: the UI benchmark imports this file without needing core.
  const { StudioService } = await import('../../src-main/core/studio');
  const prod = await StudioService.open({ dbPath: join(dir, 'prod.db'), workspaceDir: join(repoRoot, 'resources/examples'), appRoot: repoRoot });
  const file = join(dir, 'prod.ssx.ndjson');
  let recorded: string;
  try {
    recorded = (await prod.waitForRun((await prod.startRun(workflowId, { input: null })).id)).id;
    await prod.exportRuns({ runIds: [recorded], out: file });
  } finally {
    await prod.close();
  }
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import…' }).click();
  await page.getByRole('dialog', { name: 'Import' }).getByRole('button', { name: 'Choose a file…' }).click();
  await (await chooser).setFiles(file);
  const importDialog = page.getByRole('dialog', { name: 'Import' });
  await importDialog.getByRole('status', { name: 'Import summary' }).getByText(/1 run imported/).waitFor();
  await importDialog.getByRole('button', { name: 'Close' }).click();
  return recorded;
}

/** Calls one API method of a running server as the window does, with its token; the result, or throws the error. */
export async function callApi<T>(server: RunningServer, method: string, ...args: unknown[]): Promise<T> {
  const res = await fetch(new URL(`/api/call/${method}`, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-studio-token': server.token },
    body: JSON.stringify(args),
  });
  const body = (await res.json()) as { result: T; error?: { message: string } };
  if (!res.ok) throw new Error(`${method}: ${body.error?.message ?? res.status}`);
  return body.result;
}

/** A raw API request with full control of the headers (fetch would not let us forge Host). */
export function apiRequest(
  port: number,
  method: string,
  headers: Record<string, string>,
  args: unknown[] = [],
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: `/api/call/${method}`, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(args));
  });
}

/** Chromium as the tests drive it: no sandbox (containers), no GPU, nothing fetched in the background. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

export interface StudioPage {
  /** The copy of the examples workspace the server watches, for a test to edit. */
  workspace: string;
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Uncaught page errors and console errors, for a test to expect none (or to take out the ones it caused). */
  pageErrors: string[];
  close(): Promise<void>;
}

/**
 * The window in browser mode as the end-to-end tests open it: a copy of the examples workspace in `dir`
 * served from a new database there, a Chromium page on it that collects its errors, and the workflows listed.
 */
export async function openStudioPage(
  dir: string,
  options: { context?: BrowserContextOptions; prepare?(context: BrowserContext, server: RunningServer): Promise<void> } = {},
): Promise<StudioPage> {
  const workspace = join(dir, 'workspace');
  cpSync(join(repoRoot, 'resources/examples'), workspace, { recursive: true });
  const server = await startServer(join(dir, 'studio.db'), workspace);
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await stopServer(server.child);
  };
  try {
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: 'light', ...options.context });
    await options.prepare?.(context, server);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => msg.type() === 'error' && pageErrors.push(msg.text()));
    await page.goto(server.url.href);
    await page.getByRole('combobox', { name: 'Workflow', exact: true }).locator('option', { hasText: 'orders-linear' }).waitFor({ state: 'attached' });
    return { workspace, server, browser, page, pageErrors, close };
  } catch (err) {
    await close();
    throw err;
  }
}
