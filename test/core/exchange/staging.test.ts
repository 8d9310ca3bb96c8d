// The staging database's copy into the main one: one transaction, rows found by primary key, so its time
// grows with what is copied and not with what is already there.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COPY_PART_SQL, COPY_RUNS_SQL } from '../../../src-main/core/exchange/staging';
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
