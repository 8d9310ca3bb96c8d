// The real main process (src-main/electron/main.ts with real core, SQLite and IPC dispatch) on plain Node,
// with a stand-in for Electron's API (fixtures/electron-stand-in.mjs) that plays the page's part. This
// covers the wiring Electron's absence hides here: startup options → StudioService.open → IPC → window,
// the better-sqlite3 binding passed by path, the database closed on quit, the error dialog.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { STUDIO_CALL_CHANNEL } from '../../src-main/electron/channels';
import { repoRoot, tempDir } from '../support/tmp';

const nodeBinding = join(repoRoot, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node');

function runMain(userData: string): { status: number | null; lines: Map<string, unknown>; stderr: string } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--import', './test/electron/fixtures/electron-hooks.mjs', 'src-main/electron/main.ts'],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, SNAPSHOT_STUDIO_USER_DATA: userData, SNAPSHOT_STUDIO_NATIVE_BINDING: nodeBinding, SNAPSHOT_STUDIO_WORKSPACE: '' },
    },
  );
  const lines = new Map<string, unknown>();
  for (const line of result.stdout.split('\n')) {
    const match = /^([A-Z_]+) (.*)$/.exec(line);
    if (match) lines.set(match[1], JSON.parse(match[2]));
  }
  return { status: result.status, lines, stderr: result.stderr };
}

describe('the main process, on Node with a stand-in for Electron', () => {
  it('opens the examples in its data folder, answers the page over IPC, forwards events and closes the database on quit', () => {
    const userData = tempDir('studio-main-');
    const { status, lines, stderr } = runMain(userData);
    expect(lines.get('DRIVER_ERROR'), stderr).toBeUndefined();
    expect(status, stderr).toBe(0);

    expect(lines.get('WINDOW')).toMatchObject({
      channel: STUDIO_CALL_CHANNEL,
      handlers: 1,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
    });
    expect((lines.get('WINDOW') as { webPreferences: { preload: string } }).webPreferences.preload).toMatch(/preload[\\/]preload\.cjs$/);
    expect((lines.get('WINDOW') as { loaded: string }).loaded).toMatch(/renderer[\\/]index\.html$/);

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
