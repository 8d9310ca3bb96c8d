// The built main process (electron-vite's main.js and preload.cjs, from the project's own config) on plain
// Node, with a stand-in for Electron's API (fixtures/electronStandIn.mjs) that plays the page's part.
// This covers what Electron's absence hides here: the bundle runs, startup options → StudioService.open →
// IPC → window, the better-sqlite3 binding passed by path, the database closed on quit, the error dialog,
// and a preload that needs nothing but 'electron' (all a sandboxed preload may require).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STUDIO_CALL_CHANNEL } from '../../src-main/electron/channels';
import { studioMethods } from '../../src-main/shared/schemas';
import { repoRoot, tempDir } from '../support/tmp';

const nodeBinding = join(repoRoot, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');
// Inside the repository (test-output/ is ignored) so the bundle finds node_modules as it does in out/.
const buildDir = join(repoRoot, 'test-output', `electron-build-${process.pid}`);

beforeAll(() => {
  mkdirSync(buildDir, { recursive: true });
  // The project's config with only the output folders moved: out/ (and out/renderer, which other test
  // files may be reading) is left alone.
  const config = join(buildDir, 'electron.vite.config.mjs');
  writeFileSync(
    config,
    [
      `import base from ${JSON.stringify(join(repoRoot, 'electron.vite.config.ts'))};`,
      `const config = typeof base === 'function' ? await base({ command: 'build', mode: 'production' }) : base;`,
      `export default {`,
      `  main: { ...config.main, build: { ...config.main.build, outDir: ${JSON.stringify(join(buildDir, 'main'))} } },`,
      `  preload: { ...config.preload, build: { ...config.preload.build, outDir: ${JSON.stringify(join(buildDir, 'preload'))} } },`,
      `};`,
    ].join('\n'),
  );
  execFileSync(process.execPath, [join(repoRoot, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '-c', config, '--logLevel', 'error'], {
    cwd: repoRoot,
    stdio: ['ignore', 2, 2],
  });
}, 120_000);

afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

function runMain(userData: string): { status: number | null; lines: Map<string, unknown>; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', './test/electron/fixtures/electronHooks.mjs', join(buildDir, 'main', 'main.js')], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, SNAPSHOT_STUDIO_USER_DATA: userData, SNAPSHOT_STUDIO_NATIVE_BINDING: nodeBinding, SNAPSHOT_STUDIO_WORKSPACE: '' },
  });
  const lines = new Map<string, unknown>();
  for (const line of result.stdout.split('\n')) {
    const match = /^([A-Z_]+) (.*)$/.exec(line);
    if (match) lines.set(match[1], JSON.parse(match[2]));
  }
  return { status: result.status, lines, stderr: result.stderr };
}

describe('the built main process, on Node with a stand-in for Electron', () => {
  it('opens the examples in its data folder, answers the page over IPC, forwards events and closes the database on quit', () => {
    const userData = tempDir('studio-main-');
    const { status, lines, stderr } = runMain(userData);
    expect(lines.get('DRIVER_ERROR'), stderr).toBeUndefined();
    expect(status, stderr).toBe(0);

    expect(lines.get('WINDOW')).toMatchObject({
      channel: STUDIO_CALL_CHANNEL,
      handlers: 5, // the call channel, export through the save dialog, import of a given file, import through the open dialog, Open database…
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    expect((lines.get('WINDOW') as { webPreferences: { preload: string } }).webPreferences.preload).toBe(join(buildDir, 'preload', 'preload.cjs'));
    expect((lines.get('WINDOW') as { loaded: string }).loaded).toBe('app://studio/index.html');
    // app:// is privileged before ready, and serves nothing outside the renderer's folder (the preload is beside it).
    expect(lines.get('PROTOCOL')).toEqual({
      privileged: [{ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) }],
      preload: 404,
      outside: 404,
    });

    const workflows = lines.get('WORKFLOWS') as { ok: boolean; result: { workspace: string; workflows: { id: string }[] } };
    expect(workflows.ok).toBe(true);
    expect(workflows.result.workspace).toBe(join(userData, 'examples'));
    expect(workflows.result.workflows.map((w) => w.id)).toContain('orders-linear');

    expect(lines.get('STARTED')).toMatchObject({ ok: true, result: { workflowId: 'orders-linear' } });
    const snapshots = lines.get('SNAPSHOTS') as { ok: boolean; result: { items: { kind: string }[] } };
    expect(snapshots.result.items.at(-1)?.kind).toBe('run-completed');
    expect(lines.get('BAD')).toMatchObject({ ok: false, error: { code: 'E_BAD_ARGUMENT' } });
    expect(lines.get('IFRAME')).toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED_SENDER' } });
    const events = lines.get('EVENTS') as { type: string }[];
    expect(events.filter((e) => e.type === 'snapshot-added').length).toBe(snapshots.result.items.length);

    expect(lines.get('MENU')).toEqual(['File', 'editMenu', 'viewMenu', 'windowMenu']);
    expect(lines.get('QUIT')).toEqual({ code: 0 });
    expect(existsSync(join(userData, 'studio.db'))).toBe(true);
    // Closed cleanly: SQLite folds the write-ahead log back into the file and removes it.
    expect(existsSync(join(userData, 'studio.db-wal'))).toBe(false);
  }, 90_000);

  it('refuses a database from a newer build with a dialog that says so, and exits with code 1', () => {
    const userData = tempDir('studio-main-newer-');
    mkdirSync(userData, { recursive: true });
    const db = new Database(join(userData, 'studio.db'));
    db.pragma('user_version = 999');
    db.close();

    const { status, lines, stderr } = runMain(userData);
    expect(status, stderr).toBe(1);
    const dialog = lines.get('DIALOG') as { title: string; content: string };
    expect(dialog.title).toBe('Snapshot Studio could not start');
    expect(dialog.content).toContain('E_DB_TOO_NEW');
    expect(dialog.content).toContain('newer Snapshot Studio');
    expect(lines.has('WINDOW')).toBe(false);
    const after = new Database(join(userData, 'studio.db'), { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(999);
    after.close();
  }, 60_000);
});

describe('the built preload', () => {
  it("runs where only 'electron' can be required, and exposes window.studio", () => {
    const code = readFileSync(join(buildDir, 'preload', 'preload.cjs'), 'utf8');
    const exposed = new Map<string, Record<string, unknown>>();
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.set(key, api) },
      ipcRenderer: { invoke: async () => undefined, on: () => undefined, removeListener: () => undefined },
    };
    const required: string[] = [];
    const sandboxRequire = (id: string) => {
      required.push(id);
      if (id === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${JSON.stringify(id)}`);
    };
    const module = { exports: {} };
    runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console });
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['studio']);
    expect(Object.keys(exposed.get('studio')!).sort()).toEqual([...studioMethods, 'subscribe', 'importGivenFile', 'importWithDialog', 'exportWithDialog', 'openDatabase', 'onOpenDatabaseAsked'].sort());
  });
});
