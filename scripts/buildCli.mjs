#!/usr/bin/env node
// Builds the CLI (src-main/cli/main.ts and what it imports) into one JavaScript file, out/cli/main.mjs, which the
// `snapshot-studio` bin runs: no TypeScript is compiled when a command runs. Packages stay in node_modules
// (better-sqlite3 is native; esbuild bundles workflow files). Run by `npm run build` and `postinstall`; the bin
// runs it too when the output is missing or older than the sources.
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const builtCli = join(appRoot, 'out/cli/main.mjs');
const sources = join(appRoot, 'src-main');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The built CLI is missing, or a source under src-main changed after it was built. */
export function cliIsStale() {
  return !existsSync(builtCli) || statSync(builtCli).mtimeMs < newestMtime(sources);
}

export async function buildCli() {
  const { build } = await import('esbuild');
  // Written beside the output and renamed over it, so a process starting meanwhile reads a whole file.
  const partial = `${builtCli}.${process.pid}.partial`;
  await build({
    entryPoints: [join(sources, 'cli/main.ts')],
    outfile: partial,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'esbuild', 'pg', 'tsx'],
    logLevel: 'warning',
    banner: { js: '// Built by scripts/buildCli.mjs from src-main/cli/main.ts: edit the sources, not this file.' },
  });
  renameSync(partial, builtCli);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await buildCli();
