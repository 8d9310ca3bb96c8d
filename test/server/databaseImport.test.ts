// A window imports a production database by its URL: browser mode's generic call takes importFiles with a
// postgres:// URL (a LangGraph PostgresSaver database here, written by the real LangGraph.js against the test
// run's PostgreSQL server), and nothing else: a path, a file: or sqlite: URL, a socket, a parameter that would make
// the driver read a file are refused with E_REFUSED before the core reads or writes a thing. The URL's password
// is never said back nor stored.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportSummary, Page, RunSummary, SnapshotSummary } from '../../src-main/shared/api';
import type { SnapshotDocument } from '../../src-main/shared/snapshot';
import { StudioService } from '../../src-main/core/studio';
import { startStudioServer, type StudioServer } from '../../src-main/server/server';
import { THREADS, withPostgresSaver, withSqliteSaver, writeThreads } from '../fixtures/langgraph/generate';
import { createDatabase, describePostgres } from '../support/postgres';
import { rawRequest } from '../support/rawHttp';
import { examplesDir, repoRoot, tempDir } from '../support/tmp';

const PASSWORD = 'hunter2-do-not-repeat';
const dir = tempDir('studio-window-db-import-');
let service: StudioService;
let server: StudioServer;

const call = async (method: string, args: unknown[]) => {
  const r = await rawRequest(server.port, `/api/call/${method}`, { method: 'POST', headers: { 'x-studio-token': server.token, 'content-type': 'application/json' }, body: JSON.stringify(args) });
  return { status: r.status, body: r.body, ...(JSON.parse(r.body) as { result?: unknown; error?: { code: string; message: string } }) };
};

/** The database's files: the main file, its WAL and anything an import would leave beside it (not the -shm index, which reads change). */
const databaseFiles = () =>
  readdirSync(dir)
    .filter((f) => (f.includes('studio.db') || f.includes('.import-')) && !f.endsWith('-shm'))
    .sort()
    .map((f) => [f, readFileSync(join(dir, f))] as const);
/** The same as names and digests, to compare without printing megabytes. */
const digests = () => databaseFiles().map(([f, bytes]) => `${f} ${createHash('sha256').update(bytes).digest('hex')}`);

/** A URL with the password put in, as a person pastes one. */
const withPassword = (url: string) => {
  const u = new URL(url);
  u.password = PASSWORD;
  return u.toString();
};

beforeAll(async () => {
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer, { recursive: true });
  service = await StudioService.open({ dbPath: join(dir, 'studio.db'), workspaceDir: examplesDir, appRoot: repoRoot });
  server = await startStudioServer({ service, rendererDir: renderer, port: 0 });
});
afterAll(async () => {
  await server?.close();
  await service?.close();
});

describe('importFiles from a window names no path', () => {
  it('refuses a path, a file: or sqlite: URL, a socket and file-naming parameters with E_REFUSED, and touches nothing', async () => {
    // A real LangGraph checkpoint file: had the server read it, its threads would be runs.
    const source = join(dir, 'checkpoints.db');
    await withSqliteSaver(source, writeThreads);
    const before = digests();
    const cases: string[][] = [
      [source],
      ['checkpoints.db'],
      [`file://${source}`],
      [`sqlite://${source}`],
      [`sqlite:${source}`],
      [`postgres://reader:${PASSWORD}@%2Fvar%2Frun%2Fpostgresql/agents`],
      [`postgres://reader:${PASSWORD}@/agents?host=/var/run/postgresql`],
      [`postgres://reader:${PASSWORD}@db.internal/agents?host=/var/run/postgresql`],
      [`postgres://reader:${PASSWORD}@db.internal/agents?sslrootcert=${source}`],
      [`postgres://reader:${PASSWORD}@db.internal/agents?sslcert=/etc/passwd&sslmode=require`],
      [`postgres://reader:${PASSWORD}@db.internal/agents?password=${PASSWORD}`],
      [`postgres://reader:${PASSWORD}@db.internal/agents`, source],
      [],
    ];
    for (const files of cases) {
      const r = await call('importFiles', [{ files }]);
      expect([r.status, r.error?.code], files.join(' ')).toEqual([403, 'E_REFUSED']);
      expect(r.body).not.toContain(PASSWORD);
    }
    for (const bad of [{ files: 'postgres://db.internal/agents' }, { files: [42] }, null]) {
      expect((await call('importFiles', [bad])).error?.code, JSON.stringify(bad)).toBe('E_REFUSED');
    }
    expect((await call('listRuns', [])).result).toEqual([]);
    expect(digests()).toEqual(before);
  });
});

describePostgres('a LangGraph PostgresSaver database imported through the window’s call', (pg) => {
  let url: string;
  beforeAll(async () => {
    url = await createDatabase(pg, 'window_langgraph');
    await withPostgresSaver(url, writeThreads);
  });

  it('imports the threads asked for, then the rest, each thread a run; the password is neither said nor stored', async () => {
    // The test server trusts every local connection: the password goes along unasked, as it would to a real server.
    const source = withPassword(url);
    const narrow = await call('importFiles', [{ files: [source], format: 'langgraph', threads: [THREADS.linear, THREADS.waiting], since: '2020-01-01', schema: 'public' }]);
    expect(narrow.error).toBeUndefined();
    const first = narrow.result as ImportSummary;
    expect(first).toMatchObject({ runs: 2, skipped: 0 });
    expect(first.formats).toEqual([{ file: expect.stringMatching(/^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/window_langgraph_\w+$/), format: 'langgraph' }]);
    const runs = () => (call('listRuns', []) as Promise<{ result?: unknown }>).then((r) => (r.result as RunSummary[]).map((run) => run.id).sort());
    expect(await runs()).toEqual([`langgraph-${THREADS.linear}`, `langgraph-${THREADS.waiting}`]);

    const all = (await call('importFiles', [{ files: [source] }])).result as ImportSummary;
    expect(all.skipped).toBe(2);
    const ids = await runs();
    for (const thread of Object.values(THREADS)) expect(ids).toContain(`langgraph-${thread}`);
    const waiting = (await call('getRun', [`langgraph-${THREADS.waiting}`])).result as RunSummary;
    expect(waiting).toMatchObject({ status: 'waiting', origin: 'imported' });

    // Nowhere: not in the answers, not in any snapshot document, not in the database's bytes.
    expect(JSON.stringify([first, all])).not.toContain(PASSWORD);
    for (const id of ids) {
      const page = (await call('listSnapshots', [id, { offset: 0, limit: 1000 }])).result as Page<SnapshotSummary>;
      for (const s of page.items) expect(JSON.stringify((await call('getSnapshot', [id, s.seq])).result as SnapshotDocument)).not.toContain(PASSWORD);
    }
    for (const [file, bytes] of databaseFiles()) expect(bytes.includes(PASSWORD), file).toBe(false);
  });

  it('refuses a database that is not there naming host, port and database, never the password, and imports nothing', async () => {
    const missing = new URL(withPassword(url));
    missing.pathname = '/no_such_database';
    const before = digests();
    const r = await call('importFiles', [{ files: [missing.toString()] }]);
    expect(r.status).toBe(422);
    expect(r.error?.message).toContain(`127.0.0.1:${missing.port}`);
    expect(r.error?.message).toContain('no_such_database');
    expect(r.body).not.toContain(PASSWORD);
    expect(digests()).toEqual(before);

    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const closed = await call('importFiles', [{ files: [`postgresql://reader:${PASSWORD}@127.0.0.1:${port}/agents`] }]);
    expect(closed.error?.message).toContain(`cannot connect to PostgreSQL at 127.0.0.1:${port}`);
    expect(closed.body).not.toContain(PASSWORD);
  });
});
