// A person exports runs that retry, fork or replay one another and imports them elsewhere: the links arrive
// with the runs, whichever comes first in the file, and to a run the database already has; a link to a run
// that is in neither is kept in the run's metadata and reported, never left as a broken foreign key.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../src-main/core/exchange/importer';
import { exportRuns } from '../../../src-main/core/exchange/native/exporter';
import { Store } from '../../../src-main/core/store/store';
import { listRunPage } from '../../../src-main/core/reads';
import { pageWorkOrders } from '../../../src-main/shared/workOrders';
import { readExportLines, seedSyntheticRuns } from '../../support/syntheticRuns';
import { tempDir } from '../../support/tmp';

const dir = tempDir('studio-exchange-links-');
const sourceFile = join(dir, 'source.db');

/** The history's first page as the window reads it (by keyset over the stored work orders) and by grouping every run. */
async function historyPages(store: Store) {
  return { keyset: await listRunPage(store, { limit: 200 }), grouped: pageWorkOrders(await store.read.listRuns(), { limit: 200 }) };
}

/** The links of a run as the store reports them. */
async function linksOf(store: Store, runId: string) {
  const { retryOf, forkedFrom, replayOf } = await store.read.getRun(runId);
  return { retryOf, forkedFrom, replayOf };
}

beforeAll(async () => {
  // `original`, then `retry` (retryOf original), `fork` (forkedFrom retry) and `replay` (replayOf original).
  const source = Store.open(sourceFile);
  await seedSyntheticRuns(source, 1, 3, 'original');
  for (const name of ['retry', 'fork', 'replay']) await seedSyntheticRuns(source, 1, 3, name);
  source.db.prepare("UPDATE runs SET retry_of = 'original-0' WHERE id = 'retry-0'").run();
  source.db.prepare("UPDATE runs SET forked_from = 'retry-0' WHERE id = 'fork-0'").run();
  source.db.prepare("UPDATE runs SET replay_of = 'original-0' WHERE id = 'replay-0'").run();
  source.close();
});

async function exported(name: string, runIds: string[]): Promise<string> {
  const source = Store.open(sourceFile);
  try {
    const out = join(dir, `${name}.ssx.ndjson.gz`);
    await exportRuns(source.read, { runIds, out });
    return out;
  } finally {
    source.close();
  }
}

describe('links between imported runs', () => {
  it('keeps retryOf, forkedFrom and replayOf when the linked run comes before or after in the file', async () => {
    for (const order of [['original-0', 'retry-0', 'fork-0', 'replay-0'], ['replay-0', 'fork-0', 'retry-0', 'original-0']]) {
      const file = await exported(`all-${order[0]}`, order);
      expect(readExportLines(file).filter((l) => l.type === 'run').map((l) => l.id)).toEqual(order);
      const store = Store.open(join(dir, `all-${order[0]}.db`));
      const summary = await importFiles(store, [file]);
      expect(summary.runs).toBe(4);
      expect(summary.unresolvedLinks).toBeUndefined();
      expect(await linksOf(store, 'retry-0')).toEqual({ retryOf: 'original-0' });
      expect(await linksOf(store, 'fork-0')).toEqual({ forkedFrom: 'retry-0' });
      expect(await linksOf(store, 'replay-0')).toEqual({ replayOf: 'original-0' });
      expect(await linksOf(store, 'original-0')).toEqual({});
      expect((await store.read.getRun('retry-0')).metadata).toBeUndefined();
      expect(store.db.pragma('foreign_key_check')).toEqual([]);
      store.close();
    }
  });

  it('links to a run the database already has', async () => {
    const store = Store.open(join(dir, 'has-original.db'));
    await importFiles(store, [await exported('original', ['original-0'])]);
    const summary = await importFiles(store, [await exported('retry', ['retry-0', 'replay-0'])]);
    expect(summary).toMatchObject({ runs: 2, skipped: 0 });
    expect(summary.unresolvedLinks).toBeUndefined();
    expect(await linksOf(store, 'retry-0')).toEqual({ retryOf: 'original-0' });
    expect(await linksOf(store, 'replay-0')).toEqual({ replayOf: 'original-0' });
    store.close();
  });

  it('keeps a link to a run in neither the file nor the database in the run\'s metadata, reports it, and exports it again', async () => {
    const store = Store.open(join(dir, 'orphan.db'));
    const summary = await importFiles(store, [await exported('fork', ['fork-0'])]);
    expect(summary.runs).toBe(1);
    expect(summary.unresolvedLinks).toEqual([{ runId: 'fork-0', link: 'forkedFrom', target: 'retry-0' }]);
    expect(await linksOf(store, 'fork-0')).toEqual({});
    expect((await store.read.getRun('fork-0')).metadata).toEqual({ unresolvedLinks: { forkedFrom: 'retry-0' } });
    expect(store.db.pragma('foreign_key_check')).toEqual([]);

    const again = join(dir, 'fork-again.ssx.ndjson');
    await exportRuns(store.read, { runIds: ['fork-0'], out: again });
    expect(readExportLines(again).find((l) => l.type === 'run')).toMatchObject({ id: 'fork-0', forkedFrom: 'retry-0' });
    store.close();
  });

  it('links a run imported earlier once its missing target is imported', async () => {
    const store = Store.open(join(dir, 'later.db'));
    await importFiles(store, [await exported('fork', ['fork-0'])]);
    const summary = await importFiles(store, [await exported('retry', ['retry-0'])]);
    expect(summary.unresolvedLinks).toEqual([{ runId: 'retry-0', link: 'retryOf', target: 'original-0' }]);
    expect(await linksOf(store, 'fork-0')).toEqual({ forkedFrom: 'retry-0' });
    expect((await store.read.getRun('fork-0')).metadata).toBeUndefined();
    expect((await store.read.getRun('retry-0')).metadata).toEqual({ unresolvedLinks: { retryOf: 'original-0' } });
    await importFiles(store, [await exported('original', ['original-0'])]);
    expect(await linksOf(store, 'retry-0')).toEqual({ retryOf: 'original-0' });
    expect((await store.read.getRun('retry-0')).metadata).toBeUndefined();
    // The retry and the fork under it moved to the original's work order: one work order in the history.
    const { keyset, grouped } = await historyPages(store);
    expect(keyset).toEqual(grouped);
    expect(keyset.workOrders).toBe(1);
    expect(keyset.runs.map((r) => r.id)).toEqual(['original-0', 'retry-0', 'fork-0']);
    store.close();
  });
});
