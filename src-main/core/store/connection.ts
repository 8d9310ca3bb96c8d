// Opens the one SQLite file: refuses a file from a newer build untouched, backs a file up before
// migrating it, runs the numbered migrations each in a transaction, then switches to WAL.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StudioError } from '../../shared/errors';
import { LATEST_DB_VERSION, migrations } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running runtime (Electron). */
  nativeBinding?: string;
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const existed = file !== ':memory:' && existsSync(file);
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_DB_VERSION) {
      throw new StudioError(
        'E_DB_TOO_NEW',
        `${file} was written by a newer Snapshot Studio (database version ${version}; this build knows up to ${LATEST_DB_VERSION}). It was left untouched: open it with a newer build.`,
      );
    }
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
