// Which database the desktop app opens, and the one it remembers: `--db` or SNAPSHOT_STUDIO_DB for this session, else
// the one last chosen with Open database… (kept in settings.json in the data folder), else studio.db there. A URL
// is remembered without its password, which is never written to disk by the app: the next start takes it from
// PGPASSWORD or ~/.pgpass, as the pg client does when a URL has none.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { StudioError } from '../shared/errors';
import { isPostgresUrl } from '../core/store/postgres/connect';
import type { StartupOptions } from './startupOptions';

export const SETTINGS_FILE = 'settings.json';

const settingsSchema = z.object({ database: z.string().min(1).optional() }).passthrough();
type Settings = z.infer<typeof settingsSchema>;

/** The URL without what would let anyone in: its password, and a `password` or `sslpassword` parameter. */
export function withoutPassword(database: string): string {
  if (!isPostgresUrl(database)) return database;
  let url: URL;
  try {
    url = new URL(database);
  } catch {
    throw new StudioError('E_BAD_ARGUMENT', 'the database URL cannot be parsed: expected postgres://user@host:port/database');
  }
  url.password = '';
  for (const key of ['password', 'sslpassword']) url.searchParams.delete(key);
  return url.toString();
}

function readSettings(userData: string): Settings {
  const file = join(userData, SETTINGS_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  try {
    const parsed = settingsSchema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    console.warn(`${file}: ignored (${parsed.error.issues[0]?.path.join('.') || 'settings'}: ${parsed.error.issues[0]?.message})`);
  } catch (err) {
    console.warn(`${file}: ignored, not JSON (${(err as Error).message})`);
  }
  return {};
}

/** Remembers the database chosen with Open database…, without its password. */
export function rememberDatabase(userData: string, database: string): void {
  const settings = { ...readSettings(userData), database: withoutPassword(database) };
  mkdirSync(userData, { recursive: true });
  const file = join(userData, SETTINGS_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

export interface DatabaseChoice {
  /** What to open: a file path or a postgres:// URL. */
  database: string;
  /** Where it came from: a remembered one that cannot be opened gives way to the default. */
  from: 'startup' | 'remembered' | 'default';
  /** studio.db in the data folder. */
  fallback: string;
}

export function chooseDatabase(startup: Pick<StartupOptions, 'database'>, userData: string): DatabaseChoice {
  const fallback = join(userData, 'studio.db');
  if (startup.database) return { database: startup.database, from: 'startup', fallback };
  const remembered = readSettings(userData).database;
  if (remembered) return { database: remembered, from: 'remembered', fallback };
  return { database: fallback, from: 'default', fallback };
}

/**
 * Opens the chosen database; a remembered one that cannot be opened (its server gone, no password in PGPASSWORD or
 * ~/.pgpass any more) is said in `warn` and the default opened instead, so the app still starts and Open database…
 * can choose again. A database given for this session that fails is the caller's error to show.
 */
export async function openChosenDatabase<T>(choice: DatabaseChoice, open: (database: string) => Promise<T>, warn: (message: string) => void): Promise<T> {
  try {
    return await open(choice.database);
  } catch (err) {
    if (choice.from !== 'remembered') throw err;
    const shown = isPostgresUrl(choice.database) ? withoutPassword(choice.database) : choice.database;
    warn(`The database opened last, ${shown}, could not be opened: ${(err as Error).message}\n\nOpening ${choice.fallback} instead; choose another with File › Open database….`);
    return open(choice.fallback);
  }
}
