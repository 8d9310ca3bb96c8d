#!/usr/bin/env node
// Builds the CLI (src-main/cli/main.ts and what it imports) into out/cli/main.mjs, which the `snapshot-studio` bin
// runs: no TypeScript is compiled when a command runs. What the code loads with import() (exchange, replay, the
// server) goes into chunks of its own beside it (out/cli/chunks/), so a read command parses and evaluates only what
// reads need. Packages stay in node_modules (better-sqlite3 is native; esbuild bundles workflow files). Run by
// `npm run build` and `postinstall`; the bin runs it too when the output is missing or older than the sources.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const appRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const builtCli = join(appRoot, 'out/cli/main.mjs');
const sources = join(appRoot, 'src-main');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Not path.join: ~190 of its calls, cold, cost every command ~12 ms; these names need no normalising.
    const p = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** The built CLI is missing, or a source under src-main changed after it was built. */
export function cliIsStale() {
  return !existsSync(builtCli) || statSync(builtCli).mtimeMs < newestMtime(sources);
}

const chunksDir = join(dirname(builtCli), 'chunks');

export async function buildCli() {
  const { build } = await import('esbuild');
  // Built into a folder of its own, then moved into place chunks first (their names carry a hash of their content,
  // so none replaces another) and main.mjs last, by rename: a process starting meanwhile reads whole files, old or new.
  const partial = join(dirname(builtCli), `.partial-${process.pid}`);
  rmSync(partial, { recursive: true, force: true });
  await build({
    entryPoints: { main: join(sources, 'cli/main.ts') },
    outdir: partial,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'esbuild', 'pg', 'tsx'],
    logLevel: 'warning',
    banner: { js: '// Built by scripts/buildCli.mjs from src-main/cli/main.ts: edit the sources, not this file.' },
  });
  mkdirSync(chunksDir, { recursive: true });
  const built = readdirSync(join(partial, 'chunks'));
  for (const chunk of built) renameSync(join(partial, 'chunks', chunk), join(chunksDir, chunk));
  renameSync(join(partial, 'main.mjs'), builtCli);
  rmSync(partial, { recursive: true, force: true });
  removeOldChunks(new Set(built));
}

/**
 * Chunks of earlier builds, removed once they are an hour old: a long-lived process of an earlier build (serve, a
 * worker) may still load one of its chunks with import() a while after a rebuild.
 */
function removeOldChunks(current) {
  const hourAgo = Date.now() - 3_600_000;
  for (const chunk of readdirSync(chunksDir)) {
    const p = join(chunksDir, chunk);
    if (!current.has(chunk) && statSync(p).mtimeMs < hourAgo) rmSync(p, { force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await buildCli();
