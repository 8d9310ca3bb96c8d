// The history a page at a time from the stored work orders (schema version 7): each page by keyset over an
// index, yet the very page grouping every run in memory gives (pageWorkOrders), through pages, filters and
// counts, for runs added one by one and for a database migrated from version 5.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunPage, RunPageQuery } from '../../../src-main/shared/api';
import { pageWorkOrders } from '../../../src-main/shared/workOrders';
import { listRunPage } from '../../../src-main/core/reads';
import { migrations } from '../../../src-main/core/store/migrations';
import type { SnapshotStore } from '../../../src-main/core/store/contract';
import { openStore } from '../../../src-main/core/store/open';
import { Store } from '../../../src-main/core/store/store';
import { sqlOn, storeProviders } from '../../support/providers';
import { tempDir } from '../../support/tmp';
import { seededRandom } from '../../support/random';

const dir = tempDir();
let n = 0;
const dbFile = () => join(dir, `work-orders-${++n}.db`);

const random = seededRandom;

const STATUSES = ['completed', 'failed', 'running', 'cancelled'];

/** `count` runs of two workflows, each a new work order or a retry, fork or replay of an earlier run, created at random times. */
async function seed(store: SnapshotStore, count: number, rnd: () => number): Promise<void> {
  for (const wf of ['alpha', 'beta']) {
    await store.write.saveWorkflowVersion({ hash: `${wf}-v1`, workflowId: wf, source: 's', bundle: 'b', meta: '{}', why: 'ran', createdAt: '2026-01-01T00:00:00.000Z' }, { name: wf, file: `${wf}.workflow.ts` });
  }
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = `run-${String(i).padStart(4, '0')}-${Math.floor(rnd() * 1000)}`;
    const wf = rnd() < 0.5 ? 'alpha' : 'beta';
    const at = new Date(Date.UTC(2026, 0, 1) + Math.floor(rnd() * 500) * 60_000).toISOString(); // ties too
    const link = ids.length > 0 && rnd() < 0.6 ? ids[Math.floor(rnd() * ids.length)] : undefined;
    const kind = rnd();
    const links = link ? (kind < 0.5 ? { retryOf: link } : kind < 0.8 ? { forkedFrom: link } : { replayOf: link }) : {};
    await store.write.createRun({ id, workflowId: wf, workflowVersion: `${wf}-v1`, origin: rnd() < 0.8 ? 'local' : 'imported', input: null, config: {}, at, ...links });
    await sqlOn(store, 'UPDATE runs SET status = ? WHERE id = ?', [STATUSES[Math.floor(rnd() * STATUSES.length)], id]);
    ids.push(id);
  }
}

/** Every page of a query, through the store's keyset and through grouping every run, which must agree. */
async function expectSamePages(store: SnapshotStore, query: Omit<RunPageQuery, 'after'>): Promise<RunPage[]> {
  const pages: RunPage[] = [];
  let after: string | undefined;
  do {
    const q: RunPageQuery = { ...query, ...(after !== undefined ? { after } : {}) };
    const page = await listRunPage(store, q);
    expect(page).toEqual(pageWorkOrders(await store.read.listRuns(), q));
    pages.push(page);
    after = page.next ?? undefined;
  } while (after !== undefined && (query.limit ?? 200) > 0);
  return pages;
}

describe.each(storeProviders())('the history by keyset over stored work orders, on $name', (provider) => {
  it('gives the pages, runs and counts grouping every run gives, with and without filters', async () => {
    const store = await openStore(await provider.newDatabase());
    try {
      await seed(store, 600, random(7));
      const whole = await expectSamePages(store, { limit: 25 });
      expect(whole.length).toBeGreaterThan(5);
      expect(whole.flatMap((p) => p.runs)).toHaveLength(600); // each run once, on one page
      await expectSamePages(store, { limit: 40, filter: { workflowId: 'beta' } });
      await expectSamePages(store, { limit: 40, filter: { status: 'failed', origin: 'imported' } });
      await expectSamePages(store, { limit: 0, filter: { status: 'running' } });
      await expectSamePages(store, { limit: 1_000 });
    } finally {
      await store.close();
    }
  });
});

describe('the history by keyset over stored work orders, on SQLite', () => {

  it('pages and counts a filtered history without a subquery run once per work order', async () => {
    const store = Store.open(dbFile());
    await seed(store, 300, random(3));
    // Every statement a filtered page and its counts prepare, planned: a correlated subquery per work order
    // lets SQLite probe the runs by workflow and scan every run of it for each of 50,000 work orders.
    const texts: string[] = [];
    const prepare = store.db.prepare.bind(store.db);
    store.db.prepare = ((text: string) => (texts.push(text), prepare(text))) as typeof store.db.prepare;
    await expectSamePages(store, { limit: 20, filter: { workflowId: 'alpha' } });
    await expectSamePages(store, { limit: 0, filter: { workflowId: 'beta', status: 'failed' } });
    const paged = texts.filter((t) => /work_orders|work_order/.test(t));
    expect(paged.length).toBeGreaterThan(2);
    for (const text of paged) {
      const args = Array.from({ length: (text.match(/\?/g) ?? []).length }, () => 'x');
      const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...args) as { detail: string }[]).map((p) => p.detail).join(' | ');
      expect(plan, text).not.toMatch(/CORRELATED|EXISTS/);
    }
    store.close();
  });

  it('reads a page through the work orders’ index, not by grouping every run', () => {
    const store = Store.open(dbFile());
    const plan = (store.db.prepare('EXPLAIN QUERY PLAN SELECT w.root, w.newest FROM work_orders AS w WHERE (w.newest, w.root) < (?, ?) ORDER BY w.newest DESC, w.root DESC LIMIT ?').all('x', 'y', 10) as { detail: string }[])
      .map((p) => p.detail)
      .join(' | ');
    expect(plan).toContain('work_orders_by_newest');
    expect(plan).not.toContain('TEMP B-TREE');
    store.close();
  });

  it('fills in the work orders of a database from before version 7 as it migrates it', async () => {
    const file = dbFile();
    const before = Store.open(join(dir, 'reference.db'));
    await seed(before, 200, random(11));
    const reference = await expectSamePages(before, { limit: 30 });
    before.close();
    // The same runs in a file at version 5, migrated when opened.
    const raw = new Database(file);
    raw.transaction(() => {
      for (const m of migrations.filter((m) => m.version <= 5)) m.up(raw);
      raw.pragma('user_version = 5');
    })();
    raw.close();
    const old = new Database(file);
    old.exec(`ATTACH DATABASE '${join(dir, 'reference.db')}' AS ref`);
    old.exec(`INSERT INTO workflows SELECT * FROM ref.workflows; INSERT INTO workflow_versions SELECT * FROM ref.workflow_versions;`);
    const columns = (old.prepare('PRAGMA table_info(runs)').all() as { name: string }[]).map((c) => c.name).join(', ');
    old.exec(`INSERT INTO runs (${columns}) SELECT ${columns} FROM ref.runs ORDER BY rowid`);
    old.exec('DETACH DATABASE ref');
    old.close();
    const migrated = Store.open(file);
    expect(await expectSamePages(migrated, { limit: 30 })).toEqual(reference);
    migrated.close();
  });
});
