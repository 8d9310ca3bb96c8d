// An import in a process of its own, for tests that need one: its peak memory alone (the import
// benchmark's measure), or a process to kill mid-import, or one that holds an import open.
//   import <db> <file>…   imports, then prints one JSON line: { ok, message?, runs?, maxRssMb }
//   slow <db> <file>…     imports, printing "reading" at each progress report (for a test to kill it)
//   hold <db>             starts an import session and waits, printing "holding" (its staging file stays)
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFiles } from '../../src-main/core/exchange/importer';
import { ImportSession } from '../../src-main/core/exchange/staging';
import { Store } from '../../src-main/core/store/store';

const repoRoot = join(import.meta.dirname, '../..');

/** Starts this script as a child process: one process (tsx's loader, not its CLI, which runs a second one), so its pid is the importer's. */
export function startImportChild(mode: 'import' | 'slow' | 'hold', db: string, files: string[] = []): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), mode, db, ...files], { cwd: repoRoot, stdio: 'pipe' });
}

/** Runs `import` in a child process and resolves with what it printed. */
export function importInChild(db: string, files: string[]): Promise<{ ok: boolean; message?: string; runs?: number; maxRssMb: number }> {
  const child = startImportChild('import', db, files);
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line));
      } catch {
        reject(new Error(`the import child exited ${code}: ${err || out}`));
      }
    });
  });
}

/** Resolves when the child prints a line equal to `text`. */
export function untilLine(child: ChildProcessWithoutNullStreams, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (seen.split('\n').includes(text)) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.on('exit', (code) => reject(new Error(`the child exited (${code}) before printing ${text}`)));
  });
}

async function main(mode: string, db: string, files: string[]): Promise<void> {
  const store = Store.open(db);
  if (mode === 'hold') {
    new ImportSession(store);
    process.stdout.write('holding\n');
    setInterval(() => undefined, 60_000);
    return;
  }
  if (mode === 'slow') {
    await importFiles(store, files, { progressEveryMs: 0, onProgress: () => process.stdout.write('reading\n') });
    store.close();
    return;
  }
  let result: { ok: boolean; message?: string; runs?: number };
  try {
    result = { ok: true, runs: (await importFiles(store, files)).runs };
  } catch (err) {
    result = { ok: false, message: (err as Error).message };
  }
  store.close();
  process.stdout.write(`${JSON.stringify({ ...result, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [mode, db, ...files] = process.argv.slice(2);
  void main(mode, db, files);
}
