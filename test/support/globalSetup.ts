// Builds the renderer once when its output is missing or older than its sources, so the browser
// end-to-end tests always drive the code under test. Output goes to stderr, not into test results.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { newestMtime } from './mtime';

const root = resolve(import.meta.dirname, '../..');

export default async function setup(): Promise<void> {
  // The CLI tests run the built CLI through the bin: built once here, not by every test process at once.
  const cli = (await import(pathToFileURL(join(root, 'scripts/buildCli.mjs')).href)) as { cliIsStale(): boolean; buildCli(): Promise<void> };
  if (cli.cliIsStale()) await cli.buildCli();
  const built = join(root, 'out/renderer/index.html');
  const sources = Math.max(newestMtime(join(root, 'src-renderer')), newestMtime(join(root, 'src-main/shared')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  process.stderr.write('globalSetup: building the renderer (out/renderer is missing or stale)\n');
  execFileSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: ['ignore', 2, 2],
  });
}
