// The built CLI (scripts/buildCli.mjs): what a read command loads at start is only what reads need. Importing,
// exporting, replaying and serving are chunks of their own, loaded with import() by the commands that use them,
// so `runs` or `show` does not parse and evaluate their code and schemas (issue 16: a read answers in 0.25 s).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIn } from '../support/cli';
import { repoRoot, tempDir } from '../support/tmp';

const builtCli = join(repoRoot, 'out/cli/main.mjs');

/** The files main.mjs loads before it runs: itself and the chunks it imports statically, transitively. */
function loadedAtStart(): Map<string, string> {
  const files = new Map<string, string>();
  const pending = [builtCli];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    files.set(file, text);
    // Static imports only: `import ... from "./x.mjs"` and `import "./x.mjs"` (not `import("./x.mjs")`).
    for (const m of text.matchAll(/^(?:import\s[^;]*?\sfrom\s|import\s)"(\.{1,2}\/[^"]+)";?$/gm)) pending.push(resolve(dirname(file), m[1]));
  }
  return files;
}

/** The source modules bundled into a file: esbuild marks each with a `// src-main/…` line. */
function modulesIn(text: string): string[] {
  return [...text.matchAll(/^\/\/ (src-main\/\S+\.ts)$/gm)].map((m) => m[1]);
}

describe('the built CLI', () => {
  it('loads at start what reads need, and not the importers, exporter, replay or server', () => {
    const atStart = [...loadedAtStart().values()].flatMap(modulesIn);
    expect(atStart).toContain('src-main/cli/main.ts');
    expect(atStart).toContain('src-main/core/store/store.ts');
    expect(atStart).toContain('src-main/core/reads.ts');
    const heavy = ['src-main/core/exchange/importer.ts', 'src-main/core/exchange/native/exporter.ts', 'src-main/core/replay/replayRun.ts', 'src-main/core/exchange/langgraphReplay.ts', 'src-main/server/server.ts'];
    for (const module of heavy) expect(atStart, module).not.toContain(module);
    // They are built, as chunks of their own that the commands import when run.
    const chunks = join(dirname(builtCli), 'chunks');
    const built = readdirSync(chunks).flatMap((f) => modulesIn(readFileSync(join(chunks, f), 'utf8')));
    for (const module of heavy) expect(built, module).toContain(module);
  });

  it('runs a command whose code is in a chunk loaded on demand (export, then import)', () => {
    const dir = tempDir('studio-cli-chunks-');
    const cli = cliIn(dir);
    const db = join(dir, 'a.db');
    const started = cli('run', 'orders-linear', '--db', db, '--json');
    expect(started.code, started.stderr).toBe(0);
    const runId = JSON.parse(started.stdout).runId as string;
    const exported = cli('export', runId, '--out', join(dir, 'runs.json'), '--db', db);
    expect(exported.code, exported.stderr).toBe(0);
    const imported = cli('import', join(dir, 'runs.json'), '--db', join(dir, 'b.db'), '--json');
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toMatchObject({ runs: 1 });
  }, 120_000);
});
