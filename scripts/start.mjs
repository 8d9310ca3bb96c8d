#!/usr/bin/env node
// `npm start`: makes sure Electron's binary is there, compiles better-sqlite3 for Electron beside the Node
// build (.electron-native/), builds with electron-vite, launches the app and exits with its exit code.
// The steps are TypeScript (startApp.ts, unit-tested in test/electron/start.test.ts), loaded through tsx.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { runStart, realStartSteps } = await tsImport('./startApp.ts', import.meta.url);
const code = await runStart(realStartSteps(projectRoot, process.argv.slice(2)));
process.exit(code);
