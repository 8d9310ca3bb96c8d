// Electron's entry (built to out/main/main.js): reads the startup options, then hands the app's life to
// lifecycle.ts with a way to open core. Everything Electron-specific beyond this lives in this folder.
import { app, dialog } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStudio } from '../core/openStudio';
import { isPostgresUrl } from '../core/store/postgres/connect';
import { ensureExampleWorkspace } from '../core/workspace/examples';
import { chooseDatabase, openChosenDatabase, rememberDatabase } from './databaseChoice';
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
  openService: async (database) => {
    const dataDir = app.getPath('userData');
    // Runs left unfinished when the app last stopped (or crashed) continue; saving a workflow file makes a new version.
    const open = async (db: string) => {
      const { service } = await openStudio({
        db,
        workspaceDir: startup.workspaceDir ?? ensureExampleWorkspace(appRoot, dataDir),
        appRoot,
        nativeBinding: startup.nativeBinding,
        readOnly: startup.readOnly,
        watch: true,
        recover: true,
      });
      return service;
    };
    if (database !== undefined) return open(isPostgresUrl(database) ? database : resolve(database));
    return openChosenDatabase(chooseDatabase(startup, dataDir), open, (message) => dialog.showErrorBox('Snapshot Studio', message));
  },
  rememberDatabase: (database) => rememberDatabase(app.getPath('userData'), database),
});
