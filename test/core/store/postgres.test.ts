// What only the PostgreSQL provider has to show: its migrations recorded in schema_migrations, a database of
// a newer build or of another application refused and left untouched, a URL that does not connect named,
// and two writers on two connections racing for one run's next seq, where exactly one wins.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startSnapshot } from '../../../src-main/core/engine/transition';
import { LATEST_PG_VERSION } from '../../../src-main/core/store/postgres/migrations';
import { PostgresStore } from '../../../src-main/core/store/postgres/postgresStore';
import { openStore } from '../../../src-main/core/store/open';
import { freshPgDatabase, pgServerUrl } from '../../support/providers';

const admin = pgServerUrl();

async function query(url: string, text: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as Record<string, unknown>[];
  } finally {
    await client.end();
  }
}

const tablesOf = async (url: string) => (await query(url, `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`)).map((r) => r.name);

describe.skipIf(!admin)('the store on PostgreSQL', () => {
  it('creates its tables in an empty database and records each migration in schema_migrations', async () => {
    const url = await freshPgDatabase(admin!);
    const store = await openStore(url);
    await store.close();
    expect(await tablesOf(url)).toEqual(['logs', 'named_snapshots', 'runs', 'schema_migrations', 'settings', 'snapshots', 'work_orders', 'workflow_versions', 'workflows']);
    expect((await query(url, 'SELECT version, name FROM schema_migrations ORDER BY version')).map((r) => r.version)).toEqual(Array.from({ length: LATEST_PG_VERSION }, (_, i) => i + 1));
    // Opening it again migrates nothing.
    await (await openStore(url)).close();
    expect((await query(url, 'SELECT COUNT(*)::int AS n FROM schema_migrations'))[0].n).toBe(LATEST_PG_VERSION);
  });

  it('refuses a database written by a newer build and leaves it untouched', async () => {
    const url = await freshPgDatabase(admin!);
    await (await openStore(url)).close();
    await query(url, `INSERT INTO schema_migrations (version, name) VALUES (${LATEST_PG_VERSION + 3}, 'from-the-future')`);
    const before = await query(url, 'SELECT * FROM schema_migrations ORDER BY version');
    await expect(openStore(url)).rejects.toMatchObject({
      code: 'E_DB_TOO_NEW',
      message: expect.stringContaining(`newer Snapshot Studio (database version ${LATEST_PG_VERSION + 3}; this build knows up to ${LATEST_PG_VERSION})`),
    });
    expect(await query(url, 'SELECT * FROM schema_migrations ORDER BY version')).toEqual(before);
  });

  it("refuses another application's database and leaves it untouched", async () => {
    const url = await freshPgDatabase(admin!);
    await query(url, 'CREATE TABLE invoices (id INT PRIMARY KEY); INSERT INTO invoices VALUES (7)');
    await expect(openStore(url)).rejects.toMatchObject({ code: 'E_DB_FOREIGN', message: expect.stringContaining('tables that are not Snapshot Studio') });
    expect(await tablesOf(url)).toEqual(['invoices']);
    expect(await query(url, 'SELECT id FROM invoices')).toEqual([{ id: 7 }]);
  });

  it('names the host, the port and the server’s reason when a URL does not connect', async () => {
    const missing = new URL(admin!);
    missing.pathname = '/no_such_database';
    await expect(openStore(missing.toString())).rejects.toMatchObject({
      code: 'E_DB_CONNECT',
      message: expect.stringMatching(new RegExp(`cannot connect to PostgreSQL at 127\\.0\\.0\\.1:${missing.port}: database "no_such_database" does not exist`)),
    });
  });

  it('lets exactly one of two writers on two connections append a run’s next seq', async () => {
    const url = await freshPgDatabase(admin!);
    const a = await PostgresStore.open(url);
    const b = await PostgresStore.open(url);
    try {
      await a.write.saveWorkflowVersion({ hash: 'v1', workflowId: 'wf', source: 's', bundle: 'b', meta: '{}', why: 'ran', createdAt: '2026-01-01T00:00:00.000Z' });
      for (let i = 0; i < 20; i++) {
        const runId = `race-${i}`;
        await a.write.createRun({ id: runId, workflowId: 'wf', workflowVersion: 'v1', origin: 'local', input: null, config: {}, at: '2026-01-01T00:00:00.000Z' });
        const first = startSnapshot({ s: [] }, { runId, workflowId: 'wf', workflowVersion: 'v1', input: null, config: {}, at: '2026-01-01T00:00:00.000Z' });
        await a.write.appendSnapshots([first]);
        const outcomes = await Promise.allSettled([
          a.write.appendSnapshots([{ ...first, seq: 2, kind: 'step-started', stepId: 'from-a' }]),
          b.write.appendSnapshots([{ ...first, seq: 2, kind: 'step-started', stepId: 'from-b' }]),
        ]);
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const lost = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
        expect(lost.reason).toMatchObject({ code: 'E_SEQ_CONFLICT' });
        const winner = outcomes[0].status === 'fulfilled' ? 'from-a' : 'from-b';
        expect((await b.read.getSnapshot(runId, 2)).stepId).toBe(winner);
        expect(await b.read.getRunSummary(runId)).toMatchObject({ lastSeq: 2, snapshotCount: 2 });
      }
    } finally {
      await a.close();
      await b.close();
    }
  });
});
