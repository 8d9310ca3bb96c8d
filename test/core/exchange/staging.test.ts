// The staging database's copy into the main one: one transaction, rows found by primary key, so its time
// grows with what is copied and not with what is already there.
import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COPY_PART_SQL, COPY_RUNS_SQL, ImportSession } from '../../../src-main/core/exchange/staging';
import { LATEST_DB_VERSION } from '../../../src-main/core/store/migrations';
import { Store } from '../../../src-main/core/store/store';
import { tempDir } from '../../support/tmp';

const dir = tempDir('studio-exchange-staging-');

describe('the copy from staging into the database', () => {
  it('copies into the database by primary key, never scanning the staged snapshots', () => {
    const store = Store.open(join(dir, 'plan.db'));
    Store.open(join(dir, 'plan-staging.db')).close();
    store.db.prepare('ATTACH DATABASE ? AS staging').run(join(dir, 'plan-staging.db'));
    store.db.exec('CREATE TEMP TABLE import_new_runs AS SELECT id, last_seq FROM staging.runs');
    const plan = (sql: string, ...args: unknown[]) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail);
    expect(plan(COPY_RUNS_SQL, 1, 2)).toEqual(['SEARCH r USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)', 'SEARCH s USING PRIMARY KEY (run_id=?)']);
    expect(plan(COPY_PART_SQL, 'run', 1, 2)).toEqual(['SEARCH staging.snapshots USING PRIMARY KEY (run_id=? AND seq>? AND seq<?)']);
    store.close();
  });
});

describe('the staging file', () => {
  it('has the store’s tables at its latest version, 16 KB pages and no journal (each page written once)', async () => {
    const store = Store.open(join(dir, 'made.db'));
    const session = new ImportSession(store);
    session.addVersion({ hash: 'v1', workflowId: 'wf', source: 's', bundle: 'b', meta: '{}', why: 'imported', createdAt: '2026-01-01T00:00:00.000Z' });
    const [name] = readdirSync(dir).filter((f) => f.startsWith('.made.db.import-') && f.endsWith('.db'));
    // In WAL mode every staged page would go to the -wal first, then again into the file at the checkpoint.
    const logWhileStaging = existsSync(join(dir, `${name}-wal`));
    await session.commitInto();
    const staged = new Database(join(dir, name), { readonly: true });
    expect({
      logWhileStaging,
      // A file never switched to WAL opens in the default rollback mode; one left in WAL says so in its header.
      journal: staged.pragma('journal_mode', { simple: true }),
      version: staged.pragma('user_version', { simple: true }),
      pageSize: staged.pragma('page_size', { simple: true }),
      tables: (staged.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name),
      versions: staged.prepare('SELECT hash FROM workflow_versions').pluck().all(),
    }).toEqual({ logWhileStaging: false, journal: 'delete', version: LATEST_DB_VERSION, pageSize: 16384, tables: ['logs', 'named_snapshots', 'runs', 'settings', 'snapshots', 'work_orders', 'workflow_versions', 'workflows'], versions: ['v1'] });
    staged.close();
    session.discard();
    expect(readdirSync(dir).filter((f) => f.startsWith('.made.db.import-'))).toEqual([]);
    store.close();
  });
});
