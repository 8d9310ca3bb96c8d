// The folder holding package.json, resources/ and out/: found from this module, whether it runs from src-main/cli
// (tsx, tests) or bundled into out/cli.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findAppRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

export const appRoot = findAppRoot(dirname(fileURLToPath(import.meta.url)));
