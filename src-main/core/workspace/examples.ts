// The bundled example workspace: resources/examples, copied into the user's data folder on first
// start of the desktop app so a person can edit the examples without touching the app itself.
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export function examplesDir(appRoot: string): string {
  return join(appRoot, 'resources', 'examples');
}

export function ensureExampleWorkspace(appRoot: string, dataDir: string): string {
  const target = join(dataDir, 'examples');
  if (!existsSync(target)) cpSync(examplesDir(appRoot), target, { recursive: true });
  return target;
}
