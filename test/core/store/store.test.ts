import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_DB_VERSION, migrations } from '../../../src-main/core/store/migrations';
import type { SnapshotStore } from '../../../src-main/core/store/contract';
import { openStore } from '../../../src-main/core/store/open';
import { Store } from '../../../src-main/core/store/store';
import { sqlOn, storeProviders } from '../../support/providers';
import { startSnapshot } from '../../../src-main/core/engine/transition';
import { SNAPSHOT_SCHEMA_VERSION, type SnapshotDocument } from '../../../src-main/shared/snapshot';
import { tempDir } from '../../support/tmp';

const dir = tempDir();
let n = 0;
const dbFile = () => join(dir, `db-${++n}.db`);

async function seedRun(store: SnapshotStore, runId = 'run-1'): Promise<SnapshotDocument> {
  (await store.write.saveWorkflowVersion(
    { hash: 'v1', workflowId: 'wf', source: 'src', bundle: 'code', meta: '{}', why: 'ran', createdAt: '2026-01-01T00:00:00.000Z' },
    { name: 'wf', file: 'wf.workflow.ts' },
  ));
  await store.write.createRun({ id: runId, workflowId: 'wf', workflowVersion: 'v1', origin: 'local', input: { a: 1 }, config: {}, at: '2026-01-01T00:00:00.000Z' });
  return startSnapshot({ a: [], b: ['a'] }, { runId, workflowId: 'wf', workflowVersion: 'v1', input: { a: 1 }, config: {}, at: '2026-01-01T00:00:00.000Z' });
}

describe('the store in an SQLite file', () => {
  it('creates a new file at the latest schema version, in WAL mode with foreign keys on', () => {
    const file = dbFile();
    const store = Store.open(file);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_DB_VERSION);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = (store.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(['logs', 'named_snapshots', 'runs', 'settings', 'snapshots', 'work_orders', 'workflow_versions', 'workflows']);
    store.close();
  });

  it('migrates a version-1 file to the latest version, keeping its runs and making a backup first', async () => {
    const file = dbFile();
    const raw = new Database(file);
    raw.transaction(() => {
      migrations[0].up(raw);
      raw.pragma('user_version = 1');
    })();
    raw.prepare("INSERT INTO workflow_versions VALUES ('v1', 'wf', 's', 'b', '{}', 'ran', 'now')").run();
    raw.prepare("INSERT INTO runs (id, workflow_id, workflow_version, status, input, config, created_at, updated_at) VALUES ('old', 'wf', 'v1', 'running', 'null', '{}', 'now', 'now')").run();
    raw.close();
    const store = Store.open(file);
    expect(store.db.pragma('user_version', { simple: true })).toBe(LATEST_DB_VERSION);
    expect(await store.read.unfinishedRuns()).toEqual([{ id: 'old', status: 'running', lease: null }]);
    store.close();
    const backup = new Database(`${file}.v1.bak`, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(1);
    expect(backup.prepare('SELECT id FROM runs').all()).toEqual([{ id: 'old' }]);
    backup.close();
  });

  it('finds unfinished runs through a partial index', () => {
    const store = Store.open(dbFile());
    const plan = store.db.prepare("EXPLAIN QUERY PLAN SELECT id FROM runs WHERE status IN ('pending', 'running', 'error', 'waiting')").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('runs_unfinished');
    store.close();
  });

  it('lists runs newest first through the created_at index', () => {
    const store = Store.open(dbFile());
    const plan = store.db.prepare('EXPLAIN QUERY PLAN SELECT * FROM runs ORDER BY created_at DESC, id DESC').all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('runs_by_created');
    store.close();
  });

  it('refuses a database written by a newer build and leaves the file untouched', () => {
    const file = dbFile();
    const raw = new Database(file);
    raw.pragma(`user_version = ${LATEST_DB_VERSION + 5}`);
    raw.close();
    const before = createHash('sha256').update(readFileSync(file)).digest('hex');
    expect(() => Store.open(file)).toThrow(`newer Snapshot Studio (database version ${LATEST_DB_VERSION + 5}; this build knows up to ${LATEST_DB_VERSION})`);
    expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(before);
  });
});

describe.each(storeProviders())('the store on $name', (provider) => {
  it('round-trips a snapshot document exactly and summarizes it', async () => {
    const store = await openStore(await provider.newDatabase());
    const doc = await seedRun(store);
    const summary = (await store.write.appendSnapshots([doc]))[0].snapshot;
    expect(summary).toMatchObject({ seq: 1, kind: 'run-started', stepId: null, status: 'running' });
    expect((await store.read.getSnapshot('run-1', 1))).toEqual(doc);
    expect((await store.read.getRunSummary('run-1'))).toMatchObject({ status: 'running', snapshotCount: 1 });
    await store.close();
  });

  it('pages a run’s snapshot list by position, also after pruning removed its first snapshots', async () => {
    const store = await openStore(await provider.newDatabase());
    const first = await seedRun(store);
    for (let seq = 1; seq <= 12; seq++) await store.write.appendSnapshots([{ ...first, seq, kind: seq === 1 ? 'run-started' : 'edited', status: seq === 12 ? 'completed' : 'running' }]);
    expect((await store.read.listSnapshots('run-1', 0, 3)).map((s) => s.seq)).toEqual([1, 2, 3]);
    expect((await store.read.listSnapshots('run-1', 10, 5)).map((s) => s.seq)).toEqual([11, 12]);
    expect((await store.read.listSnapshots('run-1', 12, 5))).toEqual([]);
    await sqlOn(store, "UPDATE runs SET status = 'completed' WHERE id = 'run-1'");
    await store.write.prune({ keep: 'last', count: 5 });
    expect((await store.read.getRunSummary('run-1')).snapshotCount).toBe(5);
    expect((await store.read.listSnapshots('run-1', 0, 2)).map((s) => s.seq)).toEqual([8, 9]);
    expect((await store.read.listSnapshots('run-1', 3, 10)).map((s) => s.seq)).toEqual([11, 12]);
    await store.close();
  });

  it('refuses a snapshot whose seq is not the next one, from a second writer on the same file', async () => {
    const db = await provider.newDatabase();
    const a = await openStore(db);
    const b = await openStore(db);
    const doc = await seedRun(a);
    await a.write.appendSnapshots([doc]);
    // Both writers read seq 1 and try to write seq 2: the second one loses.
    await b.write.appendSnapshots([{ ...doc, seq: 2, kind: 'step-started', stepId: 'a' }]);
    await expect(a.write.appendSnapshots([{ ...doc, seq: 2, kind: 'step-started', stepId: 'b' }])).rejects.toThrow(/seq 2 for run run-1 refused: the next seq is 3/);
    await expect(a.write.appendSnapshots([{ ...doc, seq: 5 }])).rejects.toThrow(/the next seq is 3/);
    expect((await a.read.getSnapshot('run-1', 2)).stepId).toBe('a');
    await a.close();
    await b.close();
  });

  it('writes a batch of snapshots of several runs all or nothing, refusing the whole batch at a seq out of order', async () => {
    const store = await openStore(await provider.newDatabase());
    const one = await seedRun(store, 'run-1');
    const two = await seedRun(store, 'run-2');
    const step = (doc: SnapshotDocument, seq: number) => ({ ...doc, seq, kind: 'step-started' as const, stepId: 'a' });
    const written = await store.write.appendSnapshots([one, two, step(one, 2), step(two, 2), step(one, 3)]);
    expect(written.map((w) => `${w.run.id}#${w.snapshot.seq}`)).toEqual(['run-1#1', 'run-2#1', 'run-1#2', 'run-2#2', 'run-1#3']);
    expect(written[4].run).toMatchObject({ id: 'run-1', snapshotCount: 3 });
    // run-2's next seq is 3: its document with seq 4 takes the documents before it down with it.
    await expect(store.write.appendSnapshots([step(one, 4), step(two, 3), step(two, 4), step(two, 6)])).rejects.toThrow(/seq 6 for run run-2 refused: the next seq is 5/);
    await expect(store.write.appendSnapshots([step(one, 4), step(one, 4)])).rejects.toThrow(/seq 4 for run run-1 refused: the next seq is 5/);
    expect((await store.read.getRunSummary('run-1')).snapshotCount).toBe(3);
    expect((await store.read.getRunSummary('run-2')).snapshotCount).toBe(2);
    await expect(store.read.getSnapshot('run-1', 4)).rejects.toThrow('run run-1 has no snapshot #4');
    await expect(store.write.appendSnapshots([{ ...step(one, 1), runId: 'nope' }])).rejects.toThrow('no run with id "nope"');
    await store.close();
  });

  it('reports a corrupted snapshot row by run and seq instead of returning it', async () => {
    const store = await openStore(await provider.newDatabase());
    await store.write.appendSnapshots([await seedRun(store)]);
    const [row] = (await sqlOn(store, 'SELECT body FROM snapshots WHERE run_id = ? AND seq = 1', ['run-1'])) as { body: Buffer }[];
    const tampered = Buffer.from(row.body);
    tampered[tampered.length >> 1] ^= 0xff;
    await sqlOn(store, 'UPDATE snapshots SET body = ? WHERE run_id = ? AND seq = 1', [tampered, 'run-1']);
    await expect(store.read.getSnapshot('run-1', 1)).rejects.toThrow(/snapshot run-1#1 is corrupted/);
    await store.close();
  });

  it('refuses a snapshot of a newer schema version, naming both versions', async () => {
    const store = await openStore(await provider.newDatabase());
    const doc = await seedRun(store);
    await store.write.appendSnapshots([{ ...doc, schemaVersion: (SNAPSHOT_SCHEMA_VERSION + 1) as typeof SNAPSHOT_SCHEMA_VERSION }]);
    await expect(store.read.getSnapshot('run-1', 1)).rejects.toThrow(
      `schema version ${SNAPSHOT_SCHEMA_VERSION + 1} is newer than this build knows (${SNAPSHOT_SCHEMA_VERSION})`,
    );
    await store.close();
  });

  it('holds a run by a lease: one owner at a time, until it is released or expires, or its owner is known gone', async () => {
    const db = await provider.newDatabase();
    const a = await openStore(db);
    const b = await openStore(db);
    await seedRun(a);
    expect(await a.write.claimRun('run-1', 'host/1/a', 60_000)).toBe(true);
    expect(await b.write.claimRun('run-1', 'host/2/b', 60_000)).toBe(false);
    expect(await b.read.leaseOf('run-1')).toMatchObject({ owner: 'host/1/a' });
    expect(await b.read.unfinishedRuns()).toEqual([{ id: 'run-1', status: 'pending', lease: { owner: 'host/1/a', expiresAt: expect.any(Number) } }]);
    // Renewing is claiming again; a process known gone loses its lease at once.
    expect(await a.write.claimRun('run-1', 'host/1/a', 60_000)).toBe(true);
    expect(await b.write.claimRun('run-1', 'host/2/b', 60_000, ['host/1/a'])).toBe(true);
    // Released, the run is free; a lease that expired (here, at once) is too.
    await a.write.releaseRun('run-1', 'host/1/a');
    expect(await b.read.leaseOf('run-1')).toMatchObject({ owner: 'host/2/b' });
    await b.write.releaseRun('run-1', 'host/2/b');
    expect(await a.read.leaseOf('run-1')).toBeNull();
    expect(await a.write.claimRun('run-1', 'host/1/a', -1)).toBe(true);
    expect(await a.read.leaseOf('run-1')).toBeNull();
    expect(await b.write.claimRun('run-1', 'host/2/b', 60_000)).toBe(true);
    await a.close();
    await b.close();
  });

  it('names the missing run or snapshot', async () => {
    const store = await openStore(await provider.newDatabase());
    await expect(store.read.getRun('nope')).rejects.toThrow('no run with id "nope"');
    await store.write.appendSnapshots([await seedRun(store)]);
    await expect(store.read.getSnapshot('run-1', 9)).rejects.toThrow('run run-1 has no snapshot #9');
    await store.close();
  });
});
