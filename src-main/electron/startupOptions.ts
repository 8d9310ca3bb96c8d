// What the desktop app was asked to open, read from its arguments and environment (pure, so it is tested
// without Electron): the workspace folder, the database (a file or a postgres:// URL) and whether it is opened
// read-only, the better-sqlite3 binding, a separate data folder for tests.
import { resolve } from 'node:path';
import { isPostgresUrl } from '../core/store/postgres/connect';
import { electronNativeBindingPath, NATIVE_BINDING_ENV } from './nativeBindingPath';

export interface StartupOptions {
  /** A workspace the person chose; absent means the bundled examples copied into the data folder. */
  workspaceDir?: string;
  /** `--db` or SNAPSHOT_STUDIO_DB: an SQLite file (resolved) or a postgres:// URL, for this session; absent means the
   * one chosen with Open database… (remembered without its password), else studio.db in the data folder. */
  database?: string;
  /** `--read-only`: nothing is written to the database, and the window offers no action that would. */
  readOnly?: boolean;
  /** better_sqlite3.node compiled for this Electron; absent means better-sqlite3's own build. */
  nativeBinding?: string;
  /** Replaces app.getPath('userData') (database, examples, single-instance lock): used by tests. */
  userDataDir?: string;
  /** electron-vite's dev server, when running unpackaged under `electron-vite dev`. */
  devServerUrl?: string;
}

export interface StartupInput {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  appRoot: string;
  electronVersion: string;
  isPackaged: boolean;
  exists(path: string): boolean;
}

/** `--NAME VALUE` or `--NAME=VALUE`; the last one wins. */
function valueArgument(argv: readonly string[], name: string): string | undefined {
  let found: string | undefined;
  const flag = `--${name}`;
  argv.forEach((arg, i) => {
    if (arg === flag && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) found = argv[i + 1];
    else if (arg.startsWith(`${flag}=`) && arg.length > flag.length + 1) found = arg.slice(flag.length + 1);
  });
  return found;
}

/** `--workspace DIR` or `--workspace=DIR`; the last one wins. */
export function workspaceArgument(argv: readonly string[]): string | undefined {
  return valueArgument(argv, 'workspace');
}

export function readStartupOptions(input: StartupInput): StartupOptions {
  const options: StartupOptions = {};
  const workspace = workspaceArgument(input.argv) ?? (input.env.SNAPSHOT_STUDIO_WORKSPACE || undefined);
  if (workspace) options.workspaceDir = resolve(input.cwd, workspace);
  const database = valueArgument(input.argv, 'db') ?? (input.env.SNAPSHOT_STUDIO_DB || undefined);
  if (database) options.database = isPostgresUrl(database) ? database : resolve(input.cwd, database);
  if (input.argv.includes('--read-only')) options.readOnly = true;

  const fromEnv = input.env[NATIVE_BINDING_ENV];
  const built = electronNativeBindingPath(input.appRoot, input.electronVersion);
  if (fromEnv) options.nativeBinding = resolve(input.cwd, fromEnv);
  else if (!input.isPackaged && input.exists(built)) options.nativeBinding = built; // `electron .` after one `npm start`

  if (input.env.SNAPSHOT_STUDIO_USER_DATA) options.userDataDir = resolve(input.cwd, input.env.SNAPSHOT_STUDIO_USER_DATA);
  if (!input.isPackaged && input.env.ELECTRON_RENDERER_URL) options.devServerUrl = input.env.ELECTRON_RENDERER_URL;
  return options;
}
