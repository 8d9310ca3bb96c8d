// The newest modification time under a folder: how the tests tell whether a build output is stale.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}
