// What the desktop app opens, from its arguments and environment.
import { describe, expect, it } from 'vitest';
import { readStartupOptions, workspaceArgument } from '../../src-main/electron/startupOptions';

const base = {
  argv: ['/usr/lib/electron', '/repo'],
  env: {},
  cwd: '/home/ada',
  appRoot: '/repo',
  electronVersion: '45.4.1',
  isPackaged: false,
  exists: () => false,
};

describe('startup options', () => {
  it('open the bundled examples and the Node build of better-sqlite3 when nothing is said', () => {
    expect(readStartupOptions(base)).toEqual({});
  });

  it('take the workspace from --workspace DIR or --workspace=DIR, relative to where the app was started', () => {
    expect(readStartupOptions({ ...base, argv: [...base.argv, '--workspace', 'flows'] }).workspaceDir).toBe('/home/ada/flows');
    expect(readStartupOptions({ ...base, argv: [...base.argv, '--workspace=/srv/flows'] }).workspaceDir).toBe('/srv/flows');
    expect(workspaceArgument(['--workspace'])).toBeUndefined();
    expect(workspaceArgument(['--workspace', '--inspect'])).toBeUndefined();
  });

  it('take the workspace from SNAPSHOT_STUDIO_WORKSPACE, the argument winning over it', () => {
    expect(readStartupOptions({ ...base, env: { SNAPSHOT_STUDIO_WORKSPACE: '/env/flows' } }).workspaceDir).toBe('/env/flows');
    expect(
      readStartupOptions({ ...base, env: { SNAPSHOT_STUDIO_WORKSPACE: '/env/flows' }, argv: [...base.argv, '--workspace', '/arg/flows'] }).workspaceDir,
    ).toBe('/arg/flows');
  });

  it('use the binding npm start names, else the one it built earlier for this Electron', () => {
    expect(readStartupOptions({ ...base, env: { SNAPSHOT_STUDIO_NATIVE_BINDING: '/x/better_sqlite3.node' } }).nativeBinding).toBe('/x/better_sqlite3.node');
    const built = '/repo/.electron-native/45.4.1/better_sqlite3.node';
    expect(readStartupOptions({ ...base, exists: (p) => p === built }).nativeBinding).toBe(built);
    expect(readStartupOptions({ ...base, isPackaged: true, exists: (p) => p === built }).nativeBinding).toBeUndefined();
  });

  it('honour a separate data folder and the dev server only where they apply', () => {
    expect(readStartupOptions({ ...base, env: { SNAPSHOT_STUDIO_USER_DATA: 'tmp/data' } }).userDataDir).toBe('/home/ada/tmp/data');
    expect(readStartupOptions({ ...base, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } }).devServerUrl).toBe('http://localhost:5173');
    expect(readStartupOptions({ ...base, isPackaged: true, env: { ELECTRON_RENDERER_URL: 'http://localhost:5173' } }).devServerUrl).toBeUndefined();
  });
});

describe('the database the app opens', () => {
  it('takes a file or a postgres:// URL from --db (or --db=) or SNAPSHOT_STUDIO_DB, the argument winning', () => {
    expect(readStartupOptions({ ...base, argv: [...base.argv, '--db', 'team.db'] }).database).toBe('/home/ada/team.db');
    const url = 'postgres://reader:s3cret@db.internal:5432/snapshots';
    expect(readStartupOptions({ ...base, argv: [...base.argv, `--db=${url}`] }).database).toBe(url);
    expect(readStartupOptions({ ...base, env: { SNAPSHOT_STUDIO_DB: url } }).database).toBe(url);
    expect(readStartupOptions({ ...base, env: { SNAPSHOT_STUDIO_DB: url }, argv: [...base.argv, '--db', '/srv/local.db'] }).database).toBe('/srv/local.db');
  });

  it('opens it read-only with --read-only', () => {
    expect(readStartupOptions({ ...base, argv: [...base.argv, '--read-only'] }).readOnly).toBe(true);
    expect(readStartupOptions(base).readOnly).toBeUndefined();
  });
});
