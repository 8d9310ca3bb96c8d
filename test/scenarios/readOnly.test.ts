// A studio opened read-only (`--read-only`, `readOnly: true`) reads everything and writes nothing: on SQLite through
// a read-only handle (the file's bytes stay as they were), on PostgreSQL through read-only transactions, so a role
// with only SELECT browses it all (its tables' rows stay as they were). Every method that would write is refused with
// E_READ_ONLY naming the database, before it touches anything. Real SQLite files, the test run's PostgreSQL server.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { OUR_TABLES } from '../../src-main/core/store/postgres/migrations';
import type { PostgresStore } from '../../src-main/core/store/postgres/postgresStore';
import type { Store } from '../../src-main/core/store/store';
import { StudioService } from '../../src-main/core/studio';
import type { StudioApi } from '../../src-main/shared/api';
import { writingMethods, type WritingMethod } from '../../src-main/shared/methodAccess';
import { databaseUrl, withClient } from '../support/postgres';
import { storeProviders, type Provider } from '../support/providers';
import { examplesDir, repoRoot, tempDir } from '../support/tmp';

const dir = tempDir('studio-read-only-');
const workspace = join(dir, 'ws');
cpSync(examplesDir, workspace, { recursive: true });

/** What the database holds, byte for byte (SQLite: the file and a non-empty log) or row for row (PostgreSQL). */
async function fingerprint(db: string): Promise<string> {
  if (!db.startsWith('postgres')) {
    const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
    const wal = `${db}-wal`;
    return `${sha(db)} wal:${existsSync(wal) && statSync(wal).size > 0 ? sha(wal) : 'empty'}`;
  }
  return withClient(db, async (client) => {
    const parts: string[] = [];
    for (const table of OUR_TABLES) {
      const { rows } = await client.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) AS h FROM ${table} t`);
      parts.push(`${table}:${rows[0].n}:${rows[0].h}`);
    }
    return parts.join(' ');
  });
}

/** A role that may only read: SELECT on the tables, USAGE on the schema, CONNECT on the database. Its URL. */
async function selectOnlyRole(adminUrl: string): Promise<string> {
  const database = new URL(adminUrl).pathname.slice(1);
  const role = `reader_${database}`.slice(0, 60);
  await withClient(adminUrl, async (client) => {
    await client.query(`CREATE ROLE ${role} LOGIN`);
    await client.query(`GRANT CONNECT ON DATABASE ${database} TO ${role}`);
    await client.query(`GRANT USAGE ON SCHEMA public TO ${role}`);
    await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${role}`);
  });
  return databaseUrl(adminUrl, database, role);
}

const open = (db: string, readOnly: boolean) => StudioService.open({ db, workspaceDir: workspace, appRoot: repoRoot, readOnly });

/** A database with a finished run, a named snapshot and an export of the run; the run's id and the export file. */
async function seeded(provider: Provider): Promise<{ db: string; runId: string; exportFile: string }> {
  const db = await provider.newDatabase();
  const service = await open(db, false);
  try {
    const runId = (await service.waitForRun((await service.startRun('orders-linear', { input: { customer: 'ada@example.com' } })).id)).id;
    await service.createNamedSnapshot('nightly', { workflowId: 'orders-linear' });
    const exportFile = join(dir, `${provider.name}-${runId}.ssx.ndjson`);
    await service.exportRuns({ runIds: [runId], out: exportFile });
    return { db, runId, exportFile };
  } finally {
    await service.close();
  }
}

/** Each writing method called as a window or the CLI would, with arguments that would write if it were let through. */
function writeCalls(runId: string, exportFile: string): Record<WritingMethod, (s: StudioApi) => Promise<unknown>> {
  return {
    startRun: (s) => s.startRun('orders-linear', { input: null }),
    retry: (s) => s.retry(runId, { version: 'latest' }),
    fork: (s) => s.fork(runId, 3, { state: { edited: true } }),
    pause: (s) => s.pause(runId),
    cancel: (s) => s.cancel(runId),
    resume: (s) => s.resume(runId),
    consentToImportedCode: (s) => s.consentToImportedCode(runId),
    createNamedSnapshot: (s) => s.createNamedSnapshot('another', { workflowId: 'orders-linear' }),
    runNamedSnapshot: (s) => s.runNamedSnapshot({ name: 'nightly' }),
    deleteNamedSnapshot: (s) => s.deleteNamedSnapshot('nightly'),
    setRetention: (s) => s.setRetention({ keep: 'last', count: 1 }),
    prune: (s) => s.prune({ keep: 'last', count: 1 }),
    importFiles: (s) => s.importFiles({ files: [exportFile] }),
    replay: (s) => s.replay({ runIds: [runId] }),
  };
}

describe.each(storeProviders())('a studio opened read-only ($name)', (provider) => {
  it('browses everything and refuses every write with E_READ_ONLY naming the database, leaving it as it was', async () => {
    const { db, runId, exportFile } = await seeded(provider);
    // A saved workflow file is a new version for a writable studio; a read-only one shows it and stores nothing.
    const file = join(workspace, 'orders-linear.workflow.ts');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace("carrier: 'DHL'", "carrier: 'UPS'"));
    const before = await fingerprint(db);
    const reader = provider.name === 'postgres' ? await selectOnlyRole(db) : db;
    const service = await open(reader, true);
    try {
      expect(await service.getStudioInfo()).toEqual({ readOnly: true, provider: provider.name, database: service.store.location });
      expect((await service.listWorkflows()).workflows.map((w) => w.id)).toContain('orders-linear');
      expect((await service.listRuns()).map((r) => r.id)).toEqual([runId]);
      expect((await service.listRunPage({})).runs.map((r) => r.id)).toEqual([runId]);
      const page = await service.listSnapshots(runId, {});
      expect(page.total).toBe(10);
      expect((await service.getSnapshot(runId, 10)).status).toBe('completed');
      expect((await service.diffSnapshots({ runId, seq: 2 }, { runId, seq: 3 })).delta).toBeDefined();
      expect((await service.listNamedSnapshots()).map((n) => n.name)).toEqual(['nightly']);
      expect(await service.getRetention()).toEqual({ keep: 'all' });
      expect((await service.listVersions('orders-linear')).length).toBe(1);
      expect((await service.listLogs(runId, {})).map((l) => l.message)).toContain('order validated');
      await service.exportRuns({ runIds: [runId], out: join(dir, `${provider.name}-again.ssx.ndjson`) });

      const calls = writeCalls(runId, exportFile);
      expect(Object.keys(calls).sort()).toEqual([...writingMethods].sort());
      for (const method of writingMethods) {
        const refused = await calls[method](service).then(
          () => null,
          (err: { code?: string; message: string }) => err,
        );
        expect(refused, method).toMatchObject({ code: 'E_READ_ONLY' });
        expect(refused!.message, method).toContain(service.store.location);
        expect(refused!.message, method).toContain('--read-only');
      }
      await expect(service.recoverRuns()).rejects.toMatchObject({ code: 'E_READ_ONLY' });
      // Beneath the service, the store refuses too.
      await expect(service.store.write.setSetting('retention', { keep: 'all' })).rejects.toMatchObject({ code: 'E_READ_ONLY' });
    } finally {
      await service.close();
      writeFileSync(file, original);
    }
    expect(await fingerprint(db)).toBe(before);
  }, 120_000);
});

describe.each(storeProviders().filter((p) => p.name === 'sqlite'))('read-only SQLite', (provider) => {
  it('opens the file through a read-only handle: a statement that would write fails in SQLite itself', async () => {
    const { db } = await seeded(provider);
    const before = await fingerprint(db);
    const service = await open(db, true);
    try {
      expect(() => (service.store as Store).db.prepare("INSERT INTO settings (key, value) VALUES ('x', '1')").run()).toThrow(/readonly/);
    } finally {
      await service.close();
    }
    expect(await fingerprint(db)).toBe(before);
  }, 60_000);

  it('refuses a missing file, naming it, and creates nothing', async () => {
    const missing = join(dir, 'nowhere', 'studio.db');
    await expect(open(missing, true)).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: expect.stringContaining(missing) });
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });

  it('refuses a file that needs a migration, saying to open it once without --read-only, and leaves it untouched', async () => {
    const { db } = await seeded(provider);
    const older = new Database(db);
    older.pragma('user_version = 5');
    older.close();
    const before = await fingerprint(db);
    const refused = await open(db, true).then(
      () => null,
      (err: { code?: string; message: string }) => err,
    );
    expect(refused).toMatchObject({ code: 'E_READ_ONLY' });
    expect(refused!.message).toContain(db);
    expect(refused!.message).toMatch(/version 5.*without --read-only/);
    expect(await fingerprint(db)).toBe(before);
    expect(existsSync(`${db}.v5.bak`)).toBe(false);
  }, 60_000);
});

describe.each(storeProviders().filter((p) => p.name === 'postgres'))('read-only PostgreSQL', (provider) => {
  it('runs every statement in a read-only transaction, even as a role that could write', async () => {
    const { db } = await seeded(provider);
    const before = await fingerprint(db);
    const service = await open(db, true);
    try {
      await expect((service.store as PostgresStore).pool.query("INSERT INTO settings (key, value) VALUES ('x', '1')")).rejects.toThrow(/read-only transaction/);
    } finally {
      await service.close();
    }
    expect(await fingerprint(db)).toBe(before);
  }, 60_000);

  it('refuses a schema older than this build needs, saying to open it once without --read-only, and leaves it untouched', async () => {
    const { db } = await seeded(provider);
    await withClient(db, (client) => client.query('DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)'));
    const before = await fingerprint(db);
    const refused = await open(db, true).then(
      () => null,
      (err: { code?: string; message: string }) => err,
    );
    expect(refused).toMatchObject({ code: 'E_READ_ONLY' });
    expect(refused!.message).toMatch(/without --read-only/);
    expect(await fingerprint(db)).toBe(before);
  }, 60_000);

  it('refuses an empty database rather than creating its tables', async () => {
    const db = await provider.newDatabase();
    await expect(open(db, true)).rejects.toMatchObject({ code: 'E_READ_ONLY' });
    const tables = await withClient(db, async (c) => (await c.query("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'")).rows[0].n);
    expect(tables).toBe(0);
  }, 60_000);
});
