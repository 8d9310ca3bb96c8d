// Electron's entry (built to out/main/main.js): reads the startup options, then hands the app's life to
// lifecycle.ts with a way to open core. Everything Electron-specific beyond this lives in this folder.
import { app } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStudio } from '../core/openStudio';
import { ensureExampleWorkspace } from '../core/workspace/examples';
import { startStudioApp } from './lifecycle';
import { readStartupOptions } from './startupOptions';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const appRoot = app.getAppPath();

const startup = readStartupOptions({
  argv: process.argv,
  env: process.env,
  cwd: process.cwd(),
  appRoot,
  electronVersion: process.versions.electron ?? 'unknown',
  isPackaged: app.isPackaged,
  exists: existsSync,
});

startStudioApp({
  startup,
  window: {
    preload: join(outDir, 'preload', 'preload.cjs'),
    rendererFile: join(outDir, 'renderer', 'index.html'),
  },
  openService: async () => {
    const dataDir = app.getPath('userData');
    // Runs left unfinished when the app last stopped (or crashed) continue; saving a workflow file makes a new version.
    const { service } = await openStudio({
      dbPath: join(dataDir, 'studio.db'),
      workspaceDir: startup.workspaceDir ?? ensureExampleWorkspace(appRoot, dataDir),
      appRoot,
      nativeBinding: startup.nativeBinding,
      watch: true,
      recover: true,
    });
    return service;
  },
});
