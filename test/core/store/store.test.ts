import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_DB_VERSION, migrations } from '../../../src-main/core/store/migrations';
import { Store } from '../../../src-main/core/store/store';
import { startSnapshot } from '../../../src-main/core/engine/transition';
import { SNAPSHOT_SCHEMA_VERSION, type SnapshotDocument } from '../../../src-main/shared/snapshot';
import { tempDir } from '../../support/tmp';

const dir = tempDir();
let n = 0;
const dbFile = () => join(dir, `db-${++n}.db`);

function seedRun(store: Store, runId = 'run-1'): SnapshotDocument {
  store.write.saveWorkflowVersion(
    { hash: 'v1', workflowId: 'wf', source: 'src', bundle: 'code', meta: '{}', why: 'ran', createdAt: '2026-01-01T00:00:00.000Z' },
    { name: 'wf', file: 'wf.workflow.ts' },
  );
  store.write.createRun({ id: runId, workflowId: 'wf', workflowVersion: 'v1', origin: 'local', input: { a: 1 }, config: {}, at: '2026-01-01T00:00:00.000Z' });
  return startSnapshot({ a: [], b: ['a'] }, { runId, workflowId: 'wf', workflowVersion: 'v1', input: { a: 1 }, config: {}, at: '2026-01-01T00:00:00.000Z' });
}

describe('store', () => {
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

  it('migrates a version-1 file to the latest version, keeping its runs and making a backup first', () => {
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
    expect(store.read.unfinishedRuns()).toEqual([{ id: 'old', runnerPid: null }]);
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

  it('round-trips a snapshot document exactly and summarizes it', () => {
    const store = Store.open(dbFile());
    const doc = seedRun(store);
    const summary = store.write.appendSnapshots([doc])[0].snapshot;
    expect(summary).toMatchObject({ seq: 1, kind: 'run-started', stepId: null, status: 'running' });
    expect(store.read.getSnapshot('run-1', 1)).toEqual(doc);
    expect(store.read.getRunSummary('run-1')).toMatchObject({ status: 'running', snapshotCount: 1 });
    store.close();
  });

  it('pages a run’s snapshot list by position, also after pruning removed its first snapshots', () => {
    const store = Store.open(dbFile());
    const first = seedRun(store);
    for (let seq = 1; seq <= 12; seq++) store.write.appendSnapshots([{ ...first, seq, kind: seq === 1 ? 'run-started' : 'edited', status: seq === 12 ? 'completed' : 'running' }]);
    expect(store.read.listSnapshots('run-1', 0, 3).map((s) => s.seq)).toEqual([1, 2, 3]);
    expect(store.read.listSnapshots('run-1', 10, 5).map((s) => s.seq)).toEqual([11, 12]);
    expect(store.read.listSnapshots('run-1', 12, 5)).toEqual([]);
    store.db.prepare("UPDATE runs SET status = 'completed' WHERE id = 'run-1'").run();
    store.write.prune({ keep: 'last', count: 5 });
    expect(store.read.getRunSummary('run-1').snapshotCount).toBe(5);
    expect(store.read.listSnapshots('run-1', 0, 2).map((s) => s.seq)).toEqual([8, 9]);
    expect(store.read.listSnapshots('run-1', 3, 10).map((s) => s.seq)).toEqual([11, 12]);
    store.close();
  });

  it('refuses a snapshot whose seq is not the next one, from a second writer on the same file', () => {
    const file = dbFile();
    const a = Store.open(file);
    const b = Store.open(file);
    const doc = seedRun(a);
    a.write.appendSnapshots([doc]);
    // Both writers read seq 1 and try to write seq 2: the second one loses.
    b.write.appendSnapshots([{ ...doc, seq: 2, kind: 'step-started', stepId: 'a' }]);
    expect(() => a.write.appendSnapshots([{ ...doc, seq: 2, kind: 'step-started', stepId: 'b' }])).toThrow(/seq 2 for run run-1 refused: the next seq is 3/);
    expect(() => a.write.appendSnapshots([{ ...doc, seq: 5 }])).toThrow(/the next seq is 3/);
    expect(a.read.getSnapshot('run-1', 2).stepId).toBe('a');
    a.close();
    b.close();
  });

  it('writes a batch of snapshots of several runs all or nothing, refusing the whole batch at a seq out of order', () => {
    const store = Store.open(dbFile());
    const one = seedRun(store, 'run-1');
    const two = seedRun(store, 'run-2');
    const step = (doc: SnapshotDocument, seq: number) => ({ ...doc, seq, kind: 'step-started' as const, stepId: 'a' });
    const written = store.write.appendSnapshots([one, two, step(one, 2), step(two, 2), step(one, 3)]);
    expect(written.map((w) => `${w.run.id}#${w.snapshot.seq}`)).toEqual(['run-1#1', 'run-2#1', 'run-1#2', 'run-2#2', 'run-1#3']);
    expect(written[4].run).toMatchObject({ id: 'run-1', snapshotCount: 3 });
    // run-2's next seq is 3: its document with seq 4 takes the documents before it down with it.
    expect(() => store.write.appendSnapshots([step(one, 4), step(two, 3), step(two, 4), step(two, 6)])).toThrow(/seq 6 for run run-2 refused: the next seq is 5/);
    expect(() => store.write.appendSnapshots([step(one, 4), step(one, 4)])).toThrow(/seq 4 for run run-1 refused: the next seq is 5/);
    expect(store.read.getRunSummary('run-1').snapshotCount).toBe(3);
    expect(store.read.getRunSummary('run-2').snapshotCount).toBe(2);
    expect(() => store.read.getSnapshot('run-1', 4)).toThrow('run run-1 has no snapshot #4');
    expect(() => store.write.appendSnapshots([{ ...step(one, 1), runId: 'nope' }])).toThrow('no run with id "nope"');
    store.close();
  });

  it('reports a corrupted snapshot row by run and seq instead of returning it', () => {
    const store = Store.open(dbFile());
    store.write.appendSnapshots([seedRun(store)]);
    const row = store.db.prepare('SELECT body FROM snapshots WHERE run_id = ? AND seq = 1').get('run-1') as { body: Buffer };
    const tampered = Buffer.from(row.body);
    tampered[tampered.length >> 1] ^= 0xff;
    store.db.prepare('UPDATE snapshots SET body = ? WHERE run_id = ? AND seq = 1').run(tampered, 'run-1');
    expect(() => store.read.getSnapshot('run-1', 1)).toThrow(/snapshot run-1#1 is corrupted/);
    store.close();
  });

  it('refuses a snapshot of a newer schema version, naming both versions', () => {
    const store = Store.open(dbFile());
    const doc = seedRun(store);
    store.write.appendSnapshots([{ ...doc, schemaVersion: (SNAPSHOT_SCHEMA_VERSION + 1) as typeof SNAPSHOT_SCHEMA_VERSION }]);
    expect(() => store.read.getSnapshot('run-1', 1)).toThrow(
      `schema version ${SNAPSHOT_SCHEMA_VERSION + 1} is newer than this build knows (${SNAPSHOT_SCHEMA_VERSION})`,
    );
    store.close();
  });

  it('names the missing run or snapshot', () => {
    const store = Store.open(dbFile());
    expect(() => store.read.getRun('nope')).toThrow('no run with id "nope"');
    store.write.appendSnapshots([seedRun(store)]);
    expect(() => store.read.getSnapshot('run-1', 9)).toThrow('run run-1 has no snapshot #9');
    store.close();
  });
});
