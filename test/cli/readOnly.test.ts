// `--read-only` on every command: the reads answer as usual, a command that would write exits 2 with E_READ_ONLY
// naming the database, and nothing is written. SQLite: the file's bytes stay as they were; PostgreSQL: a role with
// only SELECT browses everything and the rows stay as they were. Real CLI processes, real databases.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from '../support/cli';
import { databaseUrl, withClient } from '../support/postgres';
import { freshPgDatabase, pgServerUrl } from '../support/providers';
import { examplesDir, tempDir } from '../support/tmp';

const dir = tempDir('studio-cli-read-only-');
const workspace = join(dir, 'ws');
const cli = cliIn(dir);

beforeAll(() => cpSync(examplesDir, workspace, { recursive: true }));

function fileBytes(db: string): string {
  const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
  const wal = `${db}-wal`;
  return `${sha(db)} wal:${existsSync(wal) && statSync(wal).size > 0 ? sha(wal) : 'empty'}`;
}

/** Every command that only reads, then every one that would write; each read answers, each write exits 2 with E_READ_ONLY. */
function expectReadOnly(db: string, location: string, runId: string): void {
  const at = ['--db', db, '--workspace', workspace, '--read-only'];
  const reads: string[][] = [
    ['runs'],
    ['snapshots', runId],
    ['show', `${runId}:3`],
    ['diff', `${runId}:2`, `${runId}:5`],
    ['workflows'],
    ['versions', 'orders-linear'],
    ['snapshot', 'list'],
    ['retention'],
    ['export', runId, '--out', join(dir, `${runId}.ssx.ndjson`)],
  ];
  for (const args of reads) {
    const r = cli(...args, ...at);
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  }
  expect(cli('runs', ...at, '--json').stdout).toContain(runId);
  expect(cli('show', `${runId}:10`, ...at, '--json').stdout).toContain('"status":"completed"');

  const writes: string[][] = [
    ['run', 'orders-linear'],
    ['retry', runId],
    ['fork', `${runId}:3`],
    ['resume', runId],
    ['pause', runId],
    ['cancel', runId],
    ['import', join(dir, `${runId}.ssx.ndjson`)],
    ['snapshot', 'create', 'another', '--workflow', 'orders-linear'],
    ['snapshot', 'delete', 'nightly'],
    ['snapshot', 'run', 'nightly'],
    ['retention', 'last', '1'],
    ['prune', '--keep-last', '1'],
    ['replay', runId],
  ];
  for (const args of writes) {
    const r = cli(...args, ...at, '--json');
    expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
    expect(JSON.parse(r.stdout).error.code, args.join(' ')).toBe('E_READ_ONLY');
    expect(r.stderr, args.join(' ')).toContain(location);
    expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
  }
}

describe('snapshot-studio --read-only on SQLite', () => {
  it('answers every read and refuses every write, leaving the file byte for byte as it was', () => {
    const db = join(dir, 'studio.db');
    const run = cli('run', 'orders-linear', '--db', db, '--workspace', workspace, '--json');
    expect(run.stderr).toBe('');
    const { runId } = JSON.parse(run.stdout) as { runId: string };
    expect(cli('snapshot', 'create', 'nightly', '--workflow', 'orders-linear', '--db', db, '--workspace', workspace).code).toBe(0);
    const before = fileBytes(db);
    expectReadOnly(db, db, runId);
    expect(fileBytes(db)).toBe(before);
  }, 240_000);

  it('refuses a database file that does not exist, naming it, and creates none', () => {
    const missing = join(dir, 'nothing-here', 'studio.db');
    const r = cli('runs', '--db', missing, '--read-only');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(missing);
    expect(existsSync(join(dir, 'nothing-here'))).toBe(false);
  });

  it('says so in the help of every command', () => {
    expect(cli('runs', '--help').stdout).toMatch(/--read-only\s+open the database read-only/);
    expect(cli('--help').stdout).toContain('--read-only');
  });
});

const admin = pgServerUrl();

describe.skipIf(!admin)('snapshot-studio --read-only on PostgreSQL, as a role with only SELECT', () => {
  it('lists runs and snapshots, shows and diffs them, refuses every write, and changes no row', async () => {
    const url = await freshPgDatabase(admin!);
    const run = cli('run', 'orders-linear', '--db', url, '--workspace', workspace, '--json');
    expect(run.stderr).toBe('');
    const { runId } = JSON.parse(run.stdout) as { runId: string };
    expect(cli('snapshot', 'create', 'nightly', '--workflow', 'orders-linear', '--db', url, '--workspace', workspace).code).toBe(0);
    const database = new URL(url).pathname.slice(1);
    const role = `cli_reader_${process.pid}`;
    await withClient(url, async (c) => {
      await c.query(`CREATE ROLE ${role} LOGIN`);
      await c.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
      await c.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
    });
    const counts = () =>
      withClient(url, async (c) => {
        const tables = ['runs', 'snapshots', 'logs', 'workflows', 'workflow_versions', 'named_snapshots', 'settings', 'schema_migrations'];
        const out: Record<string, number> = {};
        for (const t of tables) out[t] = (await c.query(`SELECT count(*)::int AS n FROM ${t}`)).rows[0].n;
        return out;
      });
    const before = await counts();
    const reader = databaseUrl(url, database, role);
    expectReadOnly(reader, reader, runId);
    expect(await counts()).toEqual(before);
  }, 240_000);
});
