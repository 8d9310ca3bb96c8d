// The desktop app on a PostgreSQL URL: main.ts run against a fake `electron` with real core, on a PostgreSQL server
// of this test's own where one role must give a password. The database comes from SNAPSHOT_STUDIO_DB or `--db` for a
// session, or from File › Open database…, which remembers it in settings.json without its password; the password
// then comes from PGPASSWORD or ~/.pgpass (the pg client reads both when a URL has none) and no file the app writes
// holds it. A remembered database that can no longer be opened gives way to studio.db, with a dialog saying why.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { STUDIO_ASK_DATABASE_CHANNEL, STUDIO_CALL_CHANNEL, STUDIO_OPEN_DATABASE_CHANNEL } from '../../src-main/electron/channels';
import { chooseDatabase, SETTINGS_FILE, withoutPassword } from '../../src-main/electron/databaseChoice';
import type { StudioInfo } from '../../src-main/shared/api';
import { postgresBinDir, startPostgres, type RunningPostgres } from '../support/postgresServer';
import { examplesDir, repoRoot, tempDir } from '../support/tmp';
import { createFakeElectron, type FakeElectron } from './fakeElectron';

const PASSWORD = 'n0t-on-disk-7f3a9c';
const ROLE = 'team_writer';
const bin = postgresBinDir();
if (!bin) console.warn('openDatabase.test: PostgreSQL parts skipped (no /usr/lib/postgresql/*/bin)');

const dir = tempDir('studio-open-db-');
const workspace = join(dir, 'ws');
let server: RunningPostgres | undefined;
/** The team database as the role, without a password; and with it. */
let bare: string;
let withPassword: string;

const saved = { ...process.env };
let electron: FakeElectron;

/** Starts the app's main.ts against a fresh fake electron, as a person starting the app with `env` set. */
async function startApp(userData: string, env: Record<string, string | undefined> = {}): Promise<void> {
  vi.resetModules();
  electron = createFakeElectron();
  electron.app.getAppPath.mockReturnValue(repoRoot);
  vi.doMock('electron', () => electron);
  Object.assign(process.env, { SNAPSHOT_STUDIO_USER_DATA: userData, SNAPSHOT_STUDIO_WORKSPACE: workspace });
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await import('../../src-main/electron/main');
  await electron.app.becomeReady();
  await vi.waitFor(() => expect(electron.BrowserWindow.created.length + Number(electron.app.exit.mock.calls.length)).toBeGreaterThan(0), { timeout: 30_000, interval: 20 });
}

function page() {
  const win = electron.BrowserWindow.created[0];
  return { sender: win.webContents, senderFrame: win.webContents.mainFrame };
}

async function call<T>(method: string, ...args: unknown[]): Promise<T> {
  const reply = await electron.ipcMain.invoke(STUDIO_CALL_CHANNEL, page(), method, args);
  if (!reply.ok) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.result as T;
}

/** Quits as the person does: the database is closed before the process would end. */
async function quit(): Promise<void> {
  electron.app.quit();
  await vi.waitFor(() => expect(electron.app.calls).toContain('quit'), { timeout: 20_000, interval: 20 });
}

/** Every file under `folder` whose bytes hold `text` (none when the app made no folder). */
function filesHolding(folder: string, text: string): string[] {
  const found: string[] = [];
  if (!existsSync(folder)) return found;
  for (const name of readdirSync(folder, { recursive: true }) as string[]) {
    const file = join(folder, name);
    if (statSync(file).isFile() && readFileSync(file).includes(text)) found.push(name);
  }
  return found;
}

beforeAll(async () => {
  cpSync(examplesDir, workspace, { recursive: true });
  if (!bin) return;
  // initdb's lines trust everyone; this one, first, makes the team role give its password (SCRAM).
  server = await startPostgres(bin, { hbaFirst: [`host all ${ROLE} 127.0.0.1/32 scram-sha-256`] });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`);
    await admin.query(`CREATE DATABASE team OWNER ${ROLE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.url);
  url.pathname = '/team';
  url.username = ROLE;
  bare = url.toString();
  url.password = PASSWORD;
  withPassword = url.toString();
}, 120_000);

afterAll(() => server?.stop());

beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  vi.doUnmock('electron');
});

describe('the database the desktop app remembers', () => {
  it('is a URL without its password, whatever the URL carried', () => {
    expect(withoutPassword('postgres://ada:s3cret@db:5432/team?sslmode=require&password=also')).toBe('postgres://ada@db:5432/team?sslmode=require');
    expect(withoutPassword('/home/ada/studio.db')).toBe('/home/ada/studio.db');
  });

  it('gives way to the one given for this session, and defaults to studio.db in the data folder', () => {
    const userData = join(dir, 'choice');
    mkdirSync(userData, { recursive: true });
    expect(chooseDatabase({}, userData)).toEqual({ database: join(userData, 'studio.db'), from: 'default', fallback: join(userData, 'studio.db') });
    writeFileSync(join(userData, SETTINGS_FILE), JSON.stringify({ database: 'postgres://ada@db/team' }));
    expect(chooseDatabase({}, userData).database).toBe('postgres://ada@db/team');
    expect(chooseDatabase({ database: '/srv/x.db' }, userData)).toMatchObject({ database: '/srv/x.db', from: 'startup' });
  });
});

describe.skipIf(!bin)('the desktop app on a password-protected PostgreSQL role', () => {
  it('refuses the role without its password (the server asks for one)', async () => {
    const client = new pg.Client({ connectionString: bare, password: undefined });
    delete process.env.PGPASSWORD;
    process.env.HOME = join(dir, 'no-home');
    await expect(client.connect()).rejects.toThrow(/password/);
  });

  it('opens SNAPSHOT_STUDIO_DB read-only when started with --read-only: the window says so', async () => {
    const userData = join(dir, 'env-read-only');
    // A writable session first makes the tables (a read-only one migrates nothing).
    await startApp(userData, { SNAPSHOT_STUDIO_DB: withPassword });
    const { id } = await call<{ id: string }>('startRun', 'orders-linear', {});
    await vi.waitFor(async () => expect((await call<{ status: string }>('getRun', id)).status).toBe('completed'), { timeout: 30_000, interval: 50 });
    await quit();
    process.argv.push('--read-only');
    try {
      await startApp(userData, { SNAPSHOT_STUDIO_DB: withPassword });
    } finally {
      process.argv.pop();
    }
    expect(await call<StudioInfo>('getStudioInfo')).toEqual({ readOnly: true, provider: 'postgres', database: withPassword.replace(PASSWORD, '***') });
    await expect(call('startRun', 'orders-linear', {})).rejects.toThrow(/^E_READ_ONLY: /);
    await quit();
    expect(filesHolding(userData, PASSWORD)).toEqual([]);
  }, 90_000);

  it('switches with Open database…, remembers the URL without its password, and takes the password from PGPASSWORD or ~/.pgpass at the next start', async () => {
    const userData = join(dir, 'menu');
    await startApp(userData, { PGPASSWORD: undefined, HOME: join(dir, 'no-home') });
    expect(await call<StudioInfo>('getStudioInfo')).toMatchObject({ provider: 'sqlite', database: join(userData, 'studio.db') });

    // File › Open database… asks the window, which answers with what the person typed.
    electron.Menu.click('Open database…');
    expect(electron.BrowserWindow.created[0].webContents.sent.map((m) => m.channel)).toContain(STUDIO_ASK_DATABASE_CHANNEL);
    const bad = await electron.ipcMain.invoke(STUDIO_OPEN_DATABASE_CHANNEL, page(), bare.replace('/team', '/no_such_db'));
    expect(bad).toMatchObject({ ok: false, error: { code: 'E_DB_CONNECT' } });
    expect(await call<StudioInfo>('getStudioInfo')).toMatchObject({ provider: 'sqlite' }); // still the one before

    const opened = await electron.ipcMain.invoke(STUDIO_OPEN_DATABASE_CHANNEL, page(), withPassword);
    expect(opened).toMatchObject({ ok: true, result: { provider: 'postgres', readOnly: false } });
    expect(await call<StudioInfo>('getStudioInfo')).toMatchObject({ provider: 'postgres' });
    const runs = await call<{ id: string }[]>('listRuns');
    expect(Array.isArray(runs)).toBe(true);
    expect(JSON.parse(readFileSync(join(userData, SETTINGS_FILE), 'utf8'))).toEqual({ database: bare });
    await quit();
    expect(filesHolding(userData, PASSWORD)).toEqual([]);

    // Next start: the remembered URL has no password; PGPASSWORD gives it.
    await startApp(userData, { PGPASSWORD: PASSWORD, HOME: join(dir, 'no-home') });
    expect(await call<StudioInfo>('getStudioInfo')).toMatchObject({ provider: 'postgres', database: bare });
    expect((await call<{ id: string }[]>('listRuns')).map((r) => r.id)).toEqual(runs.map((r) => r.id));
    await quit();

    // Or ~/.pgpass does (host:port:database:user:password, readable by its owner only).
    const home = join(dir, 'home');
    mkdirSync(home, { recursive: true });
    const u = new URL(bare);
    writeFileSync(join(home, '.pgpass'), `${u.hostname}:${u.port}:team:${ROLE}:${PASSWORD}\n`, { mode: 0o600 });
    await startApp(userData, { PGPASSWORD: undefined, HOME: home });
    expect(await call<StudioInfo>('getStudioInfo')).toMatchObject({ provider: 'postgres', database: bare });
    await quit();

    // Neither: the remembered database cannot be opened; the app says so and opens studio.db instead.
    await startApp(userData, { PGPASSWORD: undefined, HOME: join(dir, 'no-home') });
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith('Snapshot Studio', expect.stringContaining(bare));
    expect(await call<StudioInfo>('getStudioInfo')).toMatchObject({ provider: 'sqlite', database: join(userData, 'studio.db') });
    await quit();
    expect(existsSync(join(userData, SETTINGS_FILE))).toBe(true);
    expect(filesHolding(userData, PASSWORD)).toEqual([]);
  }, 120_000);
});
