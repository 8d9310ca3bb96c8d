// What the browser end-to-end tests share: `snapshot-studio serve` started as a person would, Debian's
// Chromium launched by playwright-core, and raw API requests with full control of the headers.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from 'playwright-core';

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
