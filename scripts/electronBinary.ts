// Finds Electron's executable without require('electron') (whose index.js starts a download as a side
// effect) and, when it is missing, tries Electron's own installer once and explains a failure plainly.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ElectronPackage {
  dir: string;
  version: string;
}

/** The installed `electron` package of the project (its folder and version). */
export function findElectronPackage(projectRoot: string): ElectronPackage {
  const require = createRequire(join(projectRoot, 'package.json'));
  const manifest = require.resolve('electron/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { dir: dirname(manifest), version };
}

function defaultExecutable(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/** Where the executable is, or will be once installed: dist/<path.txt>, as electron/index.js computes it. */
export function electronBinaryPath(electronDir: string, platform: NodeJS.Platform = process.platform, read = readFileSync): string {
  let relative = defaultExecutable(platform);
  try {
    relative = read(join(electronDir, 'path.txt'), 'utf8').trim() || relative;
  } catch {
    // not installed yet: path.txt is written by install.js
  }
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative);
  return join(electronDir, 'dist', relative);
}

export function binaryUnavailableMessage(reason: string): string {
  return `Electron's binary could not be downloaded on this machine (${reason}). Use the browser mode instead: npm run serve`;
}

export type InstallOutcome = { ok: true } | { ok: false; reason: string };

/** Runs node_modules/electron/install.js (it downloads with @electron/get) and reports why it failed. */
export function runElectronInstaller(electronDir: string): InstallOutcome {
  const installer = join(electronDir, 'install.js');
  if (!existsSync(installer)) return { ok: false, reason: `${installer} is missing` };
  const result = spawnSync(process.execPath, [installer], { cwd: electronDir, encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  if (result.error) return { ok: false, reason: result.error.message };
  if (result.status === 0) return { ok: true };
  const firstLine = (result.stderr ?? '').split('\n').map((l) => l.trim()).find(Boolean);
  return { ok: false, reason: firstLine ? firstLine.slice(0, 300) : `install.js exited with code ${result.status}` };
}

export type BinaryCheck = { ok: true; path: string; installed: boolean } | { ok: false; path: string; message: string };

export interface EnsureBinaryDeps {
  electronDir: string;
  binaryPath?: string;
  exists?: (path: string) => boolean;
  install?: (electronDir: string) => InstallOutcome;
}

/** The executable if present; else one attempt at installing it; else the message that points to `serve`. */
export function ensureElectronBinary(deps: EnsureBinaryDeps): BinaryCheck {
  const exists = deps.exists ?? existsSync;
  const install = deps.install ?? runElectronInstaller;
  const path = () => deps.binaryPath ?? electronBinaryPath(deps.electronDir);
  if (exists(path())) return { ok: true, path: path(), installed: false };
  const outcome = install(deps.electronDir);
  if (!outcome.ok) return { ok: false, path: path(), message: binaryUnavailableMessage(outcome.reason) };
  if (!exists(path())) return { ok: false, path: path(), message: binaryUnavailableMessage(`the installer finished but ${path()} does not exist`) };
  return { ok: true, path: path(), installed: true };
}
