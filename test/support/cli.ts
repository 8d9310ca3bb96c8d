// The CLI run as a real process, the way a person or a script runs it, from a given folder: the bin, which runs the
// built CLI (out/cli/main.mjs, built by the global setup when stale), so the tests cover what ships.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from './tmp';

/** The `snapshot-studio` bin: node runs it, as npm's link to it does. */
export const cliBin = join(repoRoot, 'src-main/cli/bin.mjs');

export function cliIn(cwd: string): (...args: string[]) => { code: number | null; stdout: string; stderr: string } {
  return (...args) => {
    const r = spawnSync(process.execPath, [cliBin, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
}

/** Each command exits 2 with exactly one line on stderr matching its message. */
export function expectBadUsage(cli: ReturnType<typeof cliIn>, cases: [string[], RegExp][]): void {
  for (const [args, message] of cases) {
    const r = cli(...args);
    expect(r.code, args.join(' ')).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  }
}

/** What a command said on stderr besides import progress (which long imports print, more on a loaded machine). */
export function stderrBesidesProgress(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line !== '' && !/^(copying into the database|importing .+): \d+% \(/.test(line));
}
