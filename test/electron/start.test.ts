// The decisions `npm start` makes: where Electron cannot be had, say so and point to the browser mode;
// compile better-sqlite3 for Electron once, beside the Node build, and never against Node's headers.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { binaryUnavailableMessage, electronBinaryPath, ensureElectronBinary } from '../../scripts/electronBinary';
import { findNodeGyp, nodeGypArguments, nodeGypEnv, planNativeBuild, summarizeBuildLog, type NativeBuildTarget } from '../../scripts/nativeBuild';
import { runStart, type StartSteps } from '../../scripts/startApp';
import { repoRoot, tempDir } from '../support/tmp';

describe("Electron's binary", () => {
  it('is used as it is when present: the installer is not run', () => {
    const install = vi.fn();
    const check = ensureElectronBinary({ electronDir: '/e', binaryPath: '/e/dist/electron', exists: () => true, install });
    expect(check).toEqual({ ok: true, path: '/e/dist/electron', installed: false });
    expect(install).not.toHaveBeenCalled();
  });

  it("is installed with Electron's own installer when missing", () => {
    let present = false;
    const check = ensureElectronBinary({
      electronDir: '/e',
      binaryPath: '/e/dist/electron',
      exists: () => present,
      install: () => ((present = true), { ok: true }),
    });
    expect(check).toEqual({ ok: true, path: '/e/dist/electron', installed: true });
  });

  it('missing and impossible to download: the message gives the reason and points to npm run serve', () => {
    const check = ensureElectronBinary({
      electronDir: '/e',
      binaryPath: '/e/dist/electron',
      exists: () => false,
      install: () => ({ ok: false, reason: 'TypeError: fetch failed' }),
    });
    expect(check.ok).toBe(false);
    expect(check.ok === false && check.message).toBe(
      "Electron's binary could not be downloaded on this machine (TypeError: fetch failed). Use the browser mode instead: npm run serve",
    );
  });

  it('an installer that claims success without producing the binary is a failure too', () => {
    const check = ensureElectronBinary({ electronDir: '/e', binaryPath: '/e/dist/electron', exists: () => false, install: () => ({ ok: true }) });
    expect(check).toMatchObject({ ok: false, message: expect.stringContaining('npm run serve') });
  });

  it('is found where electron/index.js looks: dist/<path.txt>, or the platform default before installing', () => {
    const noFile = () => {
      throw new Error('ENOENT');
    };
    expect(electronBinaryPath('/e', 'linux', noFile as never)).toBe(join('/e', 'dist', 'electron'));
    expect(electronBinaryPath('/e', 'darwin', noFile as never)).toBe(join('/e', 'dist', 'Electron.app/Contents/MacOS/Electron'));
    expect(electronBinaryPath('/e', 'win32', (() => 'electron.exe') as never)).toBe(join('/e', 'dist', 'electron.exe'));
  });

  it('the message names the reason and the browser mode', () => {
    expect(binaryUnavailableMessage('ENOTFOUND github.com')).toMatch(/\(ENOTFOUND github\.com\)\. Use the browser mode instead: npm run serve$/);
  });
});

describe('better-sqlite3 for Electron', () => {
  const target: NativeBuildTarget = { projectRoot: '/repo', electronVersion: '45.4.1', betterSqliteVersion: '12.11.1', platform: 'linux', arch: 'x64' };
  const binding = '/repo/.electron-native/45.4.1/better_sqlite3.node';
  const stamp = { electron: '45.4.1', betterSqlite3: '12.11.1', platform: 'linux', arch: 'x64' };

  it('is skipped when already built for this Electron version', () => {
    const plan = planNativeBuild(target, { exists: (p) => p === binding, readStamp: () => stamp });
    expect(plan).toEqual({ action: 'skip', bindingPath: binding, reason: 'already built for Electron 45.4.1' });
  });

  it('is built when there is none for this Electron version', () => {
    expect(planNativeBuild({ ...target, electronVersion: '46.0.0' }, { exists: (p) => p === binding, readStamp: () => stamp })).toMatchObject({
      action: 'build',
      bindingPath: '/repo/.electron-native/46.0.0/better_sqlite3.node',
    });
  });

  it('is rebuilt when better-sqlite3 was upgraded since', () => {
    const plan = planNativeBuild({ ...target, betterSqliteVersion: '12.12.0' }, { exists: () => true, readStamp: () => stamp });
    expect(plan).toMatchObject({ action: 'build', reason: expect.stringContaining('12.11.1') });
  });

  it('reads the stamp it wrote next to the binding', () => {
    const root = tempDir('studio-native-');
    const dir = join(root, '.electron-native', '45.4.1');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'better_sqlite3.node'), '');
    writeFileSync(join(dir, 'build.json'), JSON.stringify({ ...stamp, betterSqlite3: '11.0.0' }));
    expect(planNativeBuild({ ...target, projectRoot: root }).action).toBe('build');
    writeFileSync(join(dir, 'build.json'), JSON.stringify(stamp));
    expect(planNativeBuild({ ...target, projectRoot: root }).action).toBe('skip');
  });

  it("compiles against Electron's headers: node-gyp gets the runtime, target and dist-url", () => {
    expect(nodeGypArguments('45.4.1', 'arm64')).toEqual(
      expect.arrayContaining(['rebuild', '--target=45.4.1', '--arch=arm64', '--runtime=electron', '--dist-url=https://electronjs.org/headers']),
    );
  });

  it("drops npm settings such as nodedir (Node's headers) from node-gyp's environment, keeping proxies", () => {
    const env = nodeGypEnv({ PATH: '/usr/bin', npm_config_nodedir: '/usr', NPM_CONFIG_TARGET: '20.0.0', npm_config_runtime: 'node', npm_config_https_proxy: 'http://proxy:3128' });
    expect(env).toEqual({ PATH: '/usr/bin', npm_config_https_proxy: 'http://proxy:3128' });
  });

  it("uses the node-gyp that ships with the npm running `npm start`", () => {
    const npmCli = join('/usr/lib/node_modules/npm/bin/npm-cli.js');
    const expected = join('/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
    expect(findNodeGyp({ env: { npm_execpath: npmCli }, projectRoot: '/repo', exists: (p) => p === expected })).toBe(expected);
    expect(findNodeGyp({ env: {}, projectRoot: '/repo', exists: () => false })).toBeUndefined();
  });

  it('sums a failed build up by what went wrong', () => {
    const log = ['gyp info it worked if it ends with ok', 'gyp http GET https://electronjs.org/headers/v45.4.1/node-v45.4.1-headers.tar.gz', 'gyp ERR! configure error', 'gyp ERR! stack Error: This is most likely not a problem with node-gyp', 'gyp ERR! System Linux'].join('\n');
    expect(summarizeBuildLog(log).split('\n')).toEqual([
      'gyp http GET https://electronjs.org/headers/v45.4.1/node-v45.4.1-headers.tar.gz',
      'gyp ERR! configure error',
      'gyp ERR! stack Error: This is most likely not a problem with node-gyp',
    ]);
  });
});

describe('npm start, step by step', () => {
  function steps(overrides: Partial<StartSteps> = {}) {
    const out: string[] = [];
    const s: StartSteps = {
      electron: () => ({ version: '45.4.1', check: { ok: true, path: '/e/dist/electron', installed: false } }),
      nativeTarget: (v) => ({ projectRoot: '/repo', electronVersion: v, betterSqliteVersion: '12.11.1', platform: 'linux', arch: 'x64' }),
      plan: () => ({ action: 'skip', bindingPath: '/repo/.electron-native/45.4.1/better_sqlite3.node', reason: 'already built for Electron 45.4.1' }),
      build: vi.fn(async () => ({ ok: true as const, bindingPath: '/built.node' })),
      bundle: vi.fn(() => 0),
      launch: vi.fn(async () => 0),
      log: (l) => out.push(l),
      error: (l) => out.push(`ERROR ${l}`),
      ...overrides,
    };
    return { s, out };
  }

  it('without an Electron binary: prints the message, exits 1, builds and launches nothing', async () => {
    const { s, out } = steps({
      electron: () => ({ version: '45.4.1', check: { ok: false, path: '/e/dist/electron', message: binaryUnavailableMessage('TypeError: fetch failed') } }),
    });
    await expect(runStart(s)).resolves.toBe(1);
    expect(out).toEqual([`ERROR ${binaryUnavailableMessage('TypeError: fetch failed')}`]);
    expect(s.build).not.toHaveBeenCalled();
    expect(s.bundle).not.toHaveBeenCalled();
    expect(s.launch).not.toHaveBeenCalled();
  });

  it('with the binding already built: skips compiling, bundles, launches with the binding and returns its exit code', async () => {
    const { s } = steps({ launch: vi.fn(async () => 7) });
    await expect(runStart(s)).resolves.toBe(7);
    expect(s.build).not.toHaveBeenCalled();
    expect(s.bundle).toHaveBeenCalledTimes(1);
    expect(s.launch).toHaveBeenCalledWith('/e/dist/electron', { SNAPSHOT_STUDIO_NATIVE_BINDING: '/repo/.electron-native/45.4.1/better_sqlite3.node' });
  });

  it('compiles first when needed, and launches with what it compiled', async () => {
    const { s } = steps({ plan: () => ({ action: 'build', bindingPath: '/b.node', reason: 'no binding yet' }) });
    await expect(runStart(s)).resolves.toBe(0);
    expect(s.build).toHaveBeenCalledTimes(1);
    expect(s.launch).toHaveBeenCalledWith('/e/dist/electron', { SNAPSHOT_STUDIO_NATIVE_BINDING: '/built.node' });
  });

  it('stops with exit code 1 and what failed when compiling fails', async () => {
    const { s, out } = steps({
      plan: () => ({ action: 'build', bindingPath: '/b.node', reason: 'no binding yet' }),
      build: vi.fn(async () => ({ ok: false as const, message: 'Could not compile better-sqlite3 for Electron 45.4.1: node-gyp exited with code 1.' })),
    });
    await expect(runStart(s)).resolves.toBe(1);
    expect(out.at(-1)).toBe('ERROR Could not compile better-sqlite3 for Electron 45.4.1: node-gyp exited with code 1.');
    expect(s.bundle).not.toHaveBeenCalled();
    expect(s.launch).not.toHaveBeenCalled();
  });

  it('stops when the build with electron-vite fails', async () => {
    const { s } = steps({ bundle: vi.fn(() => 2) });
    await expect(runStart(s)).resolves.toBe(2);
    expect(s.launch).not.toHaveBeenCalled();
  });
});

describe('npm start, as a person runs it', () => {
  it('where the download cannot happen, ends with exit code 1 and the message that points to npm run serve', () => {
    // An empty dist folder, an empty download cache and an unreachable mirror make the download fail the
    // same way on every machine, whether or not a real Electron is installed there (it is left alone).
    const result = spawnSync(process.execPath, ['scripts/start.mjs'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        ...process.env,
        ELECTRON_OVERRIDE_DIST_PATH: tempDir('studio-no-electron-'),
        electron_config_cache: tempDir('studio-electron-cache-'),
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        force_no_cache: 'true',
      },
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toMatch(
      /^Electron's binary could not be downloaded on this machine \(.+\)\. Use the browser mode instead: npm run serve$/,
    );
  });
});
