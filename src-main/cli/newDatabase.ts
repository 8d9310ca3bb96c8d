// A database a command is about to create by opening it: what to remove again when that command is refused,
// so a refused import leaves nothing where there was nothing (not the file, not the folders made for it).
import { existsSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';

/** Null when the database exists already; else a function that removes what opening it created. */
export function undoCreationOf(dbPath: string): (() => void) | null {
  if (existsSync(dbPath)) return null;
  let outermostNew: string | null = null;
  for (let folder = dirname(dbPath); !existsSync(folder); folder = dirname(folder)) outermostNew = folder;
  return () => {
    if (outermostNew) rmSync(outermostNew, { recursive: true, force: true });
    else for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${dbPath}${suffix}`, { force: true });
  };
}
