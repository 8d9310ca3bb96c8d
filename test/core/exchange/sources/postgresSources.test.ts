// PostgreSQL production stores imported in place, against the real server the tests start: a LangGraph
// PostgresSaver database written by the real LangGraph.js and PostgresSaver, and a Mastra PostgresStore table
// (the shape @mastra/pg creates), each read through a role that may only SELECT. Importing again adds
// nothing; a thread that went on gains its new checkpoints; bad sources are refused naming what was wrong.
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importFiles } from '../../../../src-main/core/exchange/importer';
import { Store } from '../../../../src-main/core/store/store';
import { continueThread, THREADS, withPostgresSaver, writeThreads } from '../../../fixtures/langgraph/generate';
import { cliIn, stderrBesidesProgress } from '../../../support/cli';
import { contents, createDatabase, describePostgres, readerOf, withClient } from '../../../support/postgres';
import { repoRoot, tempDir } from '../../../support/tmp';

const dir = tempDir('studio-pg-sources-');
const run = (thread: string) => `langgraph-${thread}`;

describePostgres('a LangGraph PostgresSaver database', (server) => {
  let url: string;
  let reader: string;
  let store: Store;
  beforeAll(async () => {
    url = await createDatabase(server, 'langgraph');
    await withPostgresSaver(url, writeThreads);
    reader = await readerOf(url, ['public']);
    store = Store.open(join(dir, 'langgraph.db'));
  });
  afterAll(() => store?.close());

  it('imports every thread as a run through a SELECT-only role, and the database stays as it was', async () => {
    const before = await contents(url, 'public');
    const summary = await importFiles(store, [reader]);
    expect(summary.formats).toEqual([{ file: reader, format: 'langgraph' }]);
    for (const thread of Object.values(THREADS)) expect(store.sync.read.getRunSummary(run(thread)).origin).toBe('imported');
    expect(await contents(url, 'public')).toBe(before);
  });

  it('reads the same runs as from SQLite: waiting, failed with its message, the fork linked, the subgraph a child', () => {
    expect(store.sync.read.latestSnapshot(run(THREADS.waiting))!.status).toBe('waiting');
    expect(store.sync.read.latestSnapshot(run(THREADS.linear))!.state).toEqual({ topic: 'otters', notes: ['facts about otters', 'draft on otters'], words: 3 });
    const failed = store.sync.read.latestSnapshot(run(THREADS.failed))!;
    expect(failed.steps.charge.error?.message).toBe('card declined for 120 EUR');
    const fork = store.sync.read.listRuns().find((r) => r.id.startsWith(`${run(THREADS.timeTravel)}~`))!;
    expect(fork.forkedFrom).toBe(run(THREADS.timeTravel));
    expect(store.sync.read.getSnapshot(fork.id, 1).kind).toBe('edited');
    expect(store.sync.read.listRuns().some((r) => r.id.startsWith(`${run(THREADS.subgraph)}/pricing:`))).toBe(true);
    const resumed = store.sync.read.listSnapshots(run(THREADS.reviewed), 0, 100).find((s) => s.kind === 'resumed')!;
    expect(store.sync.read.getSnapshot(run(THREADS.reviewed), resumed.seq).steps.review.signals).toEqual({ resume: { approved: true } });
  });

  it('adds nothing when imported again, and only the new checkpoints once a thread went on', async () => {
    const again = await importFiles(store, [reader]);
    expect([again.runs, again.snapshots, again.extended]).toEqual([0, 0, undefined]);
    const had = store.sync.read.getRunSummary(run(THREADS.linear)).lastSeq;
    await withPostgresSaver(url, (saver) => continueThread(saver, THREADS.linear, 'beavers'));
    const next = await importFiles(store, [reader]);
    expect(next.extended).toBe(1);
    expect(next.runs).toBe(0);
    expect(store.sync.read.getRunSummary(run(THREADS.linear)).lastSeq).toBe(had + next.snapshots);
    expect(store.sync.read.latestSnapshot(run(THREADS.linear))!.state.topic).toBe('beavers');
  });

  it('reads only the threads asked for', async () => {
    const other = Store.open(join(dir, 'narrow.db'));
    try {
      await importFiles(other, [reader], { filter: { threads: [THREADS.fanOut] } });
      expect(other.sync.read.listRuns().map((r) => r.id)).toEqual([run(THREADS.fanOut)]);
    } finally {
      other.close();
    }
  });

  it('refuses a corrupted checkpoint blob naming the thread, the checkpoint and the channel, and stores nothing', async () => {
    const bad = await createDatabase(server, 'corrupt');
    await withPostgresSaver(bad, writeThreads);
    const { checkpoint } = await withClient(bad, async (c) => {
      await c.query("UPDATE checkpoint_blobs SET blob = convert_to('{oops', 'UTF8') WHERE thread_id = $1 AND channel = 'words'", [THREADS.linear]);
      return (await c.query<{ checkpoint: string }>("SELECT min(checkpoint_id) AS checkpoint FROM checkpoints WHERE thread_id = $1 AND checkpoint ? 'channel_versions' AND checkpoint->'channel_versions' ? 'words'", [THREADS.linear])).rows[0];
    });
    const target = Store.open(join(dir, 'corrupt.db'));
    try {
      const err = await importFiles(target, [bad]).then(() => undefined, (e: Error) => e);
      expect(err?.message).toContain(`thread "${THREADS.linear}", checkpoint ${checkpoint}, channel "words"`);
      expect(target.sync.read.listRuns()).toEqual([]);
    } finally {
      target.close();
    }
  });

  it('refuses a database with none of the tables it reads, naming what it looked for', async () => {
    const empty = await createDatabase(server, 'empty');
    await withClient(empty, (c) => c.query('CREATE TABLE invoices (id int)'));
    await expect(importFiles(store, [empty])).rejects.toThrow(/none of the tables an import reads \(expected LangGraph's checkpoints, checkpoint_blobs, checkpoint_writes, checkpoint_migrations or Mastra's mastra_workflow_snapshot, in schema "public", got only invoices\)/);
  });
});

describePostgres('a Mastra PostgresStore', (server) => {
  it('imports mastra_workflow_snapshot from the schema named, as it imports the same rows from a file', async () => {
    const url = await createDatabase(server, 'mastra');
    const file = join(repoRoot, 'test/fixtures/foreign/mastra/1x-rows.json');
    const rows = JSON.parse(readFileSync(file, 'utf8')) as { workflowName: string; runId: string; resourceId?: string; createdAt: string; updatedAt: string; snapshot: unknown }[];
    await withClient(url, async (c) => {
      // The table as @mastra/pg 1.x creates it (TABLE_SCHEMAS of @mastra/core: snapshot jsonb, timestamps, their Z twins).
      await c.query(`CREATE SCHEMA app;
        CREATE TABLE app.mastra_workflow_snapshot (
          workflow_name TEXT NOT NULL, run_id TEXT NOT NULL, "resourceId" TEXT, snapshot JSONB NOT NULL,
          "createdAt" TIMESTAMP NOT NULL, "updatedAt" TIMESTAMP NOT NULL,
          "createdAtZ" TIMESTAMPTZ DEFAULT NOW(), "updatedAtZ" TIMESTAMPTZ DEFAULT NOW(),
          CONSTRAINT mastra_workflow_snapshot_workflow_name_run_id_key UNIQUE (workflow_name, run_id))`);
      for (const r of rows) {
        await c.query('INSERT INTO app.mastra_workflow_snapshot (workflow_name, run_id, "resourceId", snapshot, "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6)', [
          r.workflowName, r.runId, r.resourceId ?? null, JSON.stringify(r.snapshot), r.createdAt.replace('Z', ''), r.updatedAt.replace('Z', ''),
        ]);
      }
    });
    const reader = await readerOf(url, ['app']);
    const fromPg = Store.open(join(dir, 'mastra-pg.db'));
    const fromFile = Store.open(join(dir, 'mastra-file.db'));
    try {
      await expect(importFiles(fromPg, [reader])).rejects.toThrow(/in schema "public", got no tables/);
      const summary = await importFiles(fromPg, [reader], { schema: 'app' });
      expect(summary.formats).toEqual([{ file: reader, format: 'mastra' }]);
      await importFiles(fromFile, [file]);
      const ids = fromFile.sync.read.listRuns().map((r) => r.id).sort();
      expect(fromPg.sync.read.listRuns().map((r) => r.id).sort()).toEqual(ids);
      for (const id of ids) {
        const [a, b] = [fromPg.sync.read.latestSnapshot(id)!, fromFile.sync.read.latestSnapshot(id)!];
        expect({ ...a, metadata: {} }).toEqual({ ...b, metadata: {} });
      }
    } finally {
      fromPg.close();
      fromFile.close();
    }
  });
});

describePostgres('a Mastra PostgresStore whose run went on', (server) => {
  it('gives an imported run a new snapshot when its row changed, and nothing when it did not', async () => {
    const url = await createDatabase(server, 'mastra_live');
    const fixture = (name: string) => join(repoRoot, 'test/fixtures/foreign/mastra', name);
    const suspended = JSON.parse(readFileSync(fixture('1x-suspended.ndjson'), 'utf8').trim()) as { workflowName: string; runId: string; createdAt: string; updatedAt: string; snapshot: unknown };
    const resumed = JSON.parse(readFileSync(fixture('1x-resumed.json'), 'utf8')) as typeof suspended;
    await withClient(url, async (c) => {
      await c.query('CREATE TABLE mastra_workflow_snapshot (workflow_name TEXT NOT NULL, run_id TEXT NOT NULL, "resourceId" TEXT, snapshot JSONB NOT NULL, "createdAt" TIMESTAMP NOT NULL, "updatedAt" TIMESTAMP NOT NULL, UNIQUE (workflow_name, run_id))');
      await c.query('INSERT INTO mastra_workflow_snapshot VALUES ($1, $2, NULL, $3, $4, $5)', [suspended.workflowName, suspended.runId, JSON.stringify(suspended.snapshot), suspended.createdAt.replace('Z', ''), suspended.updatedAt.replace('Z', '')]);
    });
    const store = Store.open(join(dir, 'mastra-live.db'));
    try {
      const id = `mastra-${suspended.runId}`;
      await importFiles(store, [url]);
      expect(store.sync.read.getRunSummary(id).status).toBe('waiting');
      expect((await importFiles(store, [url])).snapshots).toBe(0);
      // Mastra rewrites the run's row as it resumes and finishes.
      await withClient(url, (c) => c.query('UPDATE mastra_workflow_snapshot SET snapshot = $1, "updatedAt" = $2 WHERE run_id = $3', [JSON.stringify(resumed.snapshot), resumed.updatedAt.replace('Z', ''), suspended.runId]));
      const next = await importFiles(store, [url]);
      expect([next.runs, next.extended, next.snapshots]).toEqual([0, 1, 1]);
      expect(store.sync.read.getRunSummary(id)).toMatchObject({ status: 'completed', lastSeq: 2 });
      expect(store.sync.read.getSnapshot(id, 1).status).toBe('waiting');
    } finally {
      store.close();
    }
  });
});

describePostgres('postgres:// sources on the command line', (server) => {
  it('a URL that does not connect: host, port and reason on one line, exit 2, nothing created', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const cwd = tempDir('studio-pg-cli-');
    const cli = cliIn(cwd);
    const r = cli('import', `postgres://nobody:secret@127.0.0.1:${port}/prod`, '--db', join(cwd, 'studio.db'));
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`cannot connect to PostgreSQL at 127.0.0.1:${port}`);
    expect(r.stderr).toMatch(/ECONNREFUSED/);
    expect(r.stderr).not.toContain('secret');
    expect(existsSync(join(cwd, 'studio.db'))).toBe(false);
  });

  it('imports a LangGraph database with --thread, and says so', async () => {
    const url = await createDatabase(server, 'cli');
    await withPostgresSaver(url, writeThreads);
    const cwd = tempDir('studio-pg-cli-');
    const r = cliIn(cwd)('import', url, '--thread', THREADS.waiting, '--thread', THREADS.failed, '--db', join(cwd, 'studio.db'));
    expect(stderrBesidesProgress(r.stderr)).toEqual([]);
    expect(r.stdout).toContain(': langgraph');
    expect(r.stdout).toMatch(/imported 2 run\(s\)/);
  });
});
