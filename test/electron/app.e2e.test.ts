// The desktop app end to end, in real Electron (Playwright's _electron): a person starts Snapshot Studio,
// sees the Runs and Timeline panels, runs an example workflow and watches its snapshots in the timeline.
// It needs Electron's binary and better-sqlite3 compiled for Electron (`npm start` makes both); where
// either cannot exist (this workplace cannot download Electron), it says so and skips.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { electronNativeBindingPath, NATIVE_BINDING_ENV } from '../../src-main/electron/nativeBindingPath';
import { electronBinaryPath, findElectronPackage } from '../../scripts/electronBinary';
import { repoRoot, tempDir } from '../support/tmp';
import { newestMtime } from '../support/mtime';

/** Where the binary and the binding are, or why the test cannot run here. Never require('electron'):
 * its index.js would start a download. */
function locateElectron(): { binary: string; binding: string; skip?: undefined } | { skip: string } {
  let binary: string;
  let version: string;
  try {
    const pkg = findElectronPackage(repoRoot);
    binary = electronBinaryPath(pkg.dir);
    version = pkg.version;
  } catch (err) {
    return { skip: `skipped: the electron package is not installed (${(err as Error).message})` };
  }
  if (!existsSync(binary)) return { skip: `skipped: no Electron binary at ${binary} (it cannot be downloaded on this machine)` };
  const binding = process.env[NATIVE_BINDING_ENV] || electronNativeBindingPath(repoRoot, version);
  if (!existsSync(binding)) return { skip: `skipped: no better-sqlite3 built for Electron ${version} at ${binding} (npm start builds it)` };
  return { binary, binding };
}

function builtBefore(outputs: string[], sourcesMtime: number): boolean {
  return outputs.some((o) => !existsSync(join(repoRoot, o)) || statSync(join(repoRoot, o)).mtimeMs < sourcesMtime);
}

const electron = locateElectron();
if (electron.skip) console.warn(`app.e2e: ${electron.skip}`);

describe.skipIf(electron.skip !== undefined)('the desktop app (Electron)', () => {
  let app: ElectronApplication | undefined;

  afterAll(async () => {
    await app?.close().catch(() => undefined);
  });

  it('opens its window, runs an example workflow and shows its snapshots in the timeline', async () => {
    if (electron.skip !== undefined) return;
    // globalSetup rebuilds when the renderer is stale; main and preload bundle src-main, so check it too
    // (only when stale: a build empties out/renderer, which other test files may be reading).
    if (builtBefore(['out/main/main.js', 'out/preload/preload.cjs'], newestMtime(join(repoRoot, 'src-main')))) {
      execFileSync(process.execPath, [join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn'], {
        cwd: repoRoot,
        stdio: ['ignore', 2, 2],
      });
    }
    const userData = tempDir('studio-electron-e2e-');
    const env = { ...process.env, [NATIVE_BINDING_ENV]: electron.binding, SNAPSHOT_STUDIO_USER_DATA: userData } as Record<string, string>;
    delete env.ELECTRON_RUN_AS_NODE;
    try {
      app = await _electron.launch({
        executablePath: electron.binary,
        // Chromium refuses to run as root with its OS sandbox (CI containers); the renderer sandbox stays on.
        args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), repoRoot],
        env,
        timeout: 60_000,
      });
    } catch (err) {
      const hint = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY ? ' (no display: run the tests under xvfb-run)' : '';
      throw new Error(`Electron did not start${hint}: ${(err as Error).message}`, { cause: err });
    }

    const page: Page = await app.firstWindow();
    const pageErrors: string[] = [];
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });

    const runs = page.getByRole('region', { name: 'Runs' });
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await runs.waitFor({ timeout: 30_000 });
    await timeline.waitFor();

    // The page has the bridge and nothing of Node (context isolation, no nodeIntegration).
    expect(await page.evaluate(() => Object.keys((window as unknown as { studio: object }).studio).sort())).toContain('subscribe');
    expect(await page.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => typeof (window as unknown as { process?: unknown }).process)).toBe('undefined');

    // A person picks an example and runs it; the run's snapshots arrive in the timeline.
    const picker = page.getByRole('combobox', { name: 'Workflow' });
    await expect.poll(() => picker.locator('option', { hasText: 'orders-linear' }).count(), { timeout: 30_000 }).toBe(1);
    await picker.selectOption('orders-linear');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await timeline.getByRole('button', { name: /^#\d+ run-completed/ }).waitFor({ timeout: 30_000 });
    expect(await timeline.getByRole('button', { name: /^#\d+ / }).count()).toBeGreaterThan(2);
    await expect.poll(() => runs.getByRole('button', { name: /^orders-linear run .* completed, \d+ snapshots$/ }).count()).toBe(1);

    // Errors keep their code across IPC and the context bridge; window.open is refused.
    const message = await page.evaluate(async () => {
      const studio = (window as unknown as { studio: { getSnapshot(r: string, s: number): Promise<unknown> } }).studio;
      return studio.getSnapshot('r', -1).then(
        () => 'resolved',
        (err: Error) => err.message,
      );
    });
    expect(message).toMatch(/^E_BAD_ARGUMENT: /);
    expect(await page.evaluate(() => window.open('about:blank') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);

    expect(pageErrors).toEqual([]);
    await app.close();
    app = undefined;
    // The database lives in the data folder it was given, beside the examples copied there.
    expect(existsSync(join(userData, 'studio.db'))).toBe(true);
    expect(existsSync(join(userData, 'examples'))).toBe(true);
  }, 120_000);
});
