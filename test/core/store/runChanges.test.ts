// Run change numbers (schema version 8): each run row carries the number of the last change to it, so a watcher
// finds another process's writes by `change_seq > last seen` through an index, not by reading every run. The
// numbers grow in commit order across connections, count what the window shows (a new run, a status, a last
// snapshot, an update time) and not a lease's renewal, and a database from before is numbered as it migrates.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFiles } from '../../../src-main/core/exchange/importer';
import { exportRuns } from '../../../src-main/core/exchange/native/exporter';
import { ReadableDB } from '../../../src-main/core/store/handles';
import { migrations } from '../../../src-main/core/store/migrations';
import { lastRunChange, runsChangedSince } from '../../../src-main/core/store/runs';
import { Store } from '../../../src-main/core/store/store';
import { seedSyntheticRuns } from '../../support/syntheticRuns';
import { tempDir } from '../../support/tmp';

const dir = tempDir('studio-run-changes-');
let n = 0;
const opened: Store[] = [];
function open(file: string): Store {
  const store = Store.open(file);
  opened.push(store);
  return store;
}
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
});

async function newDatabase(): Promise<string> {
  const file = join(dir, `changes-${n++}.db`);
  const store = open(file);
  await store.write.saveWorkflowVersion({ hash: 'feed0001', workflowId: 'wf', source: '// v1', bundle: '', meta: '{}', why: 'imported', createdAt: '2026-01-01T00:00:00.000Z' });
  return file;
}

const newRun = (id: string, at = '2026-01-01T00:00:00.000Z') => ({ id, workflowId: 'wf', workflowVersion: 'feed0001', origin: 'local' as const, input: null, config: {}, at });
const changes = (store: Store, since = 0) => runsChangedSince(new ReadableDB(store.db), since);

describe('run change numbers', () => {
  it('grow in commit order across connections, each run listed once with its last change', async () => {
    const file = await newDatabase();
    const a = open(file);
    const b = open(file);
    a.sync.write.createRun(newRun('r1'));
    b.sync.write.createRun(newRun('r2'));
    a.db.prepare(`UPDATE runs SET status = 'running' WHERE id = 'r1'`).run();
    const seen = changes(b);
    expect(seen.map((c) => c.id)).toEqual(['r2', 'r1']);
    expect(seen[0].change).toBeLessThan(seen[1].change);
    expect(lastRunChange(new ReadableDB(b.db))).toBe(seen[1].change);
    // After the last seen change: only what changed since, from either connection.
    b.db.prepare(`UPDATE runs SET last_seq = 3, updated_at = '2026-01-01T00:01:00.000Z' WHERE id = 'r2'`).run();
    expect(changes(a, seen[1].change).map((c) => c.id)).toEqual(['r2']);
  });

  it("count a new run and a change of status, last snapshot or update time, not a lease's renewal", async () => {
    const store = open(await newDatabase());
    store.sync.write.createRun(newRun('r1'));
    const last = lastRunChange(new ReadableDB(store.db));
    expect(store.sync.write.claimRun('r1', 'owner-1', 60_000)).toBe(true);
    store.sync.write.releaseRun('r1', 'owner-1');
    expect(changes(store, last)).toEqual([]);
    for (const set of [`status = 'completed'`, 'last_seq = 9', `updated_at = '2027-01-01T00:00:00.000Z'`]) {
      const before = lastRunChange(new ReadableDB(store.db));
      store.db.prepare(`UPDATE runs SET ${set} WHERE id = 'r1'`).run();
      expect(changes(store, before)).toEqual([{ id: 'r1', change: before + 1 }]);
    }
  });

  it("number an import's runs on from the database's, one each in the order copied in", async () => {
    const source = open(join(dir, `import-source-${n++}.db`));
    await seedSyntheticRuns(source, 3, 40);
    const file = join(dir, `import-${n++}.ssx.ndjson`);
    await exportRuns(source.read, { since: '2000-01-01', out: file, redact: false });
    const store = open(await newDatabase());
    store.sync.write.createRun(newRun('local-1'));
    store.db.prepare(`UPDATE runs SET status = 'running' WHERE id = 'local-1'`).run();
    const before = lastRunChange(new ReadableDB(store.db));
    // Each run is staged, then moved on by its snapshots, in a staging file first: none of that is a change here.
    const { runIds } = await importFiles(store, [file]);
    expect(changes(store, before)).toEqual(runIds.map((id, i) => ({ id, change: before + 1 + i })));
  });

  it('are read through their index, not by reading every run', async () => {
    const store = open(await newDatabase());
    const plan = (store.db.prepare('EXPLAIN QUERY PLAN SELECT id, change_seq AS change FROM runs WHERE change_seq > ? ORDER BY change_seq').all(0) as { detail: string }[])
      .map((p) => p.detail)
      .join(' | ');
    expect(plan).toContain('runs_by_change');
    expect(plan).not.toMatch(/SCAN runs(?! USING)|TEMP B-TREE/);
  });

  it('number the runs of a database from before version 8 as it migrates, and later changes after them', async () => {
    const file = join(dir, 'v7.db');
    const raw = new Database(file);
    raw.transaction(() => {
      for (const m of migrations.filter((m) => m.version <= 7)) m.up(raw);
      raw.pragma('user_version = 7');
    })();
    raw.exec(`INSERT INTO workflow_versions (hash, workflow_id, source, bundle, meta, why, created_at) VALUES ('feed0001', 'wf', '', '', '{}', 'imported', '2026-01-01T00:00:00.000Z')`);
    for (const id of ['old-1', 'old-2', 'old-3']) {
      raw.prepare(`INSERT INTO runs (id, workflow_id, workflow_version, status, input, config, created_at, updated_at) VALUES (?, 'wf', 'feed0001', 'completed', 'null', '{}', '2026-01-01', '2026-01-01')`).run(id);
    }
    raw.close();
    const store = open(file);
    const numbered = changes(store);
    expect(numbered.map((c) => c.id)).toEqual(['old-1', 'old-2', 'old-3']);
    expect(new Set(numbered.map((c) => c.change)).size).toBe(3);
    store.sync.write.createRun(newRun('new-1'));
    expect(changes(store, numbered[2].change).map((c) => c.id)).toEqual(['new-1']);
  });
});
