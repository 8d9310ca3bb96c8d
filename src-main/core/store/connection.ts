// Opens the one SQLite file: refuses a file from a newer build untouched, backs a file up before
// migrating it, runs the numbered migrations each in a transaction, then switches to WAL. Read-only (--read-only):
// the file as it is, or a refusal.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { StudioError } from '../../shared/errors';
import { LATEST_DB_VERSION, migrations } from './migrations';
import { needsMigrationError } from './readOnly';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running runtime (Electron). */
  nativeBinding?: string;
  /** Through a read-only handle: no migration, no pragma that writes; a missing file or an older one is refused. */
  readOnly?: boolean;
}

let ownAddon: string | null | undefined;

/**
 * The addon to open with: the one given (Electron's), else, under Node, better-sqlite3's own build, named outright.
 * Left to itself better-sqlite3 looks for its addon through the `bindings` package, which tries several folders,
 * each a failed require, and costs a CLI command ~5-10 ms of its start.
 */
function bindingOf(options: OpenOptions): { nativeBinding: string } | Record<string, never> {
  if (options.nativeBinding) return { nativeBinding: options.nativeBinding };
  if (ownAddon === undefined) {
    ownAddon = null;
    if (!process.versions.electron) {
      const root = dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
      const built = `${root}/build/Release/better_sqlite3.node`;
      if (existsSync(built)) ownAddon = built;
    }
  }
  return ownAddon ? { nativeBinding: ownAddon } : {};
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (options.readOnly) return openReadOnly(file, options);
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const existed = file !== ':memory:' && existsSync(file);
  const db = new Database(file, bindingOf(options));
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_DB_VERSION) throw tooNew(file, version);
    if (existed && version > 0 && version < LATEST_DB_VERSION) {
      const backup = `${file}.v${version}.bak`;
      db.prepare('VACUUM INTO ?').run(backup);
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, version);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** The file as it is, through a read-only handle: refused when missing, newer, or in need of a migration. */
function openReadOnly(file: string, options: OpenOptions): Db {
  if (file === ':memory:' || !existsSync(file)) throw new StudioError('E_NOT_FOUND', `${file}: no such database file to open read-only (--read-only opens an existing database and creates none)`);
  const db = new Database(file, { readonly: true, fileMustExist: true, ...bindingOf(options) });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_DB_VERSION) throw tooNew(file, version);
    if (version < LATEST_DB_VERSION) throw needsMigrationError(file, version, LATEST_DB_VERSION);
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function tooNew(file: string, version: number): StudioError {
  return new StudioError(
    'E_DB_TOO_NEW',
    `${file} was written by a newer Snapshot Studio (database version ${version}; this build knows up to ${LATEST_DB_VERSION}). It was left untouched: open it with a newer build.`,
  );
}

/** Runs the migrations after `version` in order, each in its transaction, recording each in user_version. */
export function migrate(db: Db, version: number): void {
  for (const m of migrations) {
    if (m.version <= version) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
