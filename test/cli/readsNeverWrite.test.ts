// Reading never writes: commands that only read leave the database file byte for byte as it was, a refused
// import changes nothing and creates nothing, and the workflow rows change only when a version is new or
// the latest changes. Real CLI processes against a real SQLite file; the -shm file is left out (an index).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliBin, cliIn } from '../support/cli';
import { examplesDir, tempDir } from '../support/tmp';

const dir = tempDir('studio-reads-');
const db = join(dir, 'studio.db');
const workspace = join(dir, 'ws');
const cli = cliIn(dir);
const at = ['--db', db, '--workspace', workspace];

/** The database's bytes: the main file and, when it holds anything, its write-ahead log. */
function fingerprint(file = db): string {
  const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
  const wal = `${file}-wal`;
  return `${sha(file)} wal:${existsSync(wal) && statSync(wal).size > 0 ? sha(wal) : 'empty'}`;
}

let runId: string;

beforeAll(() => {
  cpSync(examplesDir, workspace, { recursive: true });
  const run = cli('run', 'orders-linear', ...at, '--json');
  expect(run.stderr).toBe('');
  runId = (JSON.parse(run.stdout) as { runId: string }).runId;
  expect(cli('export', runId, '--out', join(dir, 'one.ssx.ndjson'), ...at).code).toBe(0);
}, 120_000);

describe('commands that read', () => {
  it('leave the database byte-identical: runs, snapshots, show, diff, versions, workflows, export', () => {
    const reads: string[][] = [
      ['runs'],
      ['runs', '--json'],
      ['snapshots', runId],
      ['show', `${runId}:3`],
      ['diff', `${runId}:2`, `${runId}:5`],
      ['versions', 'orders-linear'],
      ['workflows'],
      ['export', runId, '--out', join(dir, 'two.ssx.ndjson')],
    ];
    for (const args of reads) {
      const before = fingerprint();
      const r = cli(...args, ...at);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(fingerprint(), args.join(' ')).toBe(before);
    }
  }, 120_000);

  it('serve, started and stopped with no action taken, leaves it byte-identical', async () => {
    const before = fingerprint();
    const child = spawn(process.execPath, [cliBin, 'serve', ...at], { cwd: dir });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const [line] = await Promise.race([
      createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value as string]),
      exited.then((code) => [`exited ${code}: ${stderr}`]),
    ]);
    expect(line).toMatch(/^Snapshot Studio ready at http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(fingerprint()).toBe(before);
  }, 120_000);

  // Issue 16 changed when: reads of runs (runs, snapshots, show, diff) no longer load the workspace, so the edit is
  // registered by the next command that does (workflows here; run, versions, serve, … too).
  it('register a workflow version once: an edited file changes the workflow rows at the next command that loads the workspace, and only then', () => {
    const file = join(workspace, 'orders-linear.workflow.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("carrier: 'DHL'", "carrier: 'UPS'"));
    const before = fingerprint();
    expect(cli('runs', ...at).code).toBe(0);
    expect(fingerprint()).toBe(before);
    expect(cli('workflows', ...at).code).toBe(0);
    const registered = fingerprint();
    expect(registered).not.toBe(before);
    expect(JSON.parse(cli('versions', 'orders-linear', ...at, '--json').stdout)).toHaveLength(2);
    expect(cli('runs', ...at).code).toBe(0);
    expect(fingerprint()).toBe(registered);
  }, 120_000);
});

describe('a refused import', () => {
  const bad = join(dir, 'bad.ssx.ndjson');

  beforeAll(() => {
    // A real export with its trailer's checksum broken: read to the end, then refused.
    const good = readFileSync(join(dir, 'one.ssx.ndjson'), 'utf8').trimEnd().split('\n');
    const trailer = JSON.parse(good[good.length - 1]) as Record<string, unknown>;
    good[good.length - 1] = JSON.stringify({ ...trailer, sha256: '0'.repeat(64) });
    writeFileSync(bad, good.join('\n') + '\n');
  });

  it('leaves the database byte-identical', () => {
    const before = fingerprint();
    const r = cli('import', bad, ...at);
    expect(r.code, r.stderr).toBe(2);
    expect(fingerprint()).toBe(before);
  }, 60_000);

  it('into a database that does not exist creates nothing, not even its folder', () => {
    const fresh = join(dir, 'fresh', 'studio.db');
    const r = cli('import', bad, '--db', fresh, '--workspace', workspace);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/bad\.ssx\.ndjson/);
    expect(existsSync(join(dir, 'fresh'))).toBe(false);
  }, 60_000);

  it('into a database that does not exist creates it when the import is accepted', () => {
    const fresh = join(dir, 'accepted', 'studio.db');
    const r = cli('import', join(dir, 'one.ssx.ndjson'), '--db', fresh, '--workspace', workspace);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(cli('runs', '--db', fresh, '--workspace', workspace, '--json').stdout)).toMatchObject([{ id: runId, origin: 'imported' }]);
  }, 60_000);
});
