// The store's read handle cannot write: not in the types (checked by `npm run typecheck`), not at run time.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReadableDB, WritableDB } from '../../../src-main/core/store/handles';
import { claimRun, createRun, getRunSummary } from '../../../src-main/core/store/runs';
import { setSetting } from '../../../src-main/core/store/settings';
import { Store } from '../../../src-main/core/store/store';
import { tempDir } from '../../support/tmp';

const dir = tempDir();
let n = 0;
const open = () => Store.open(join(dir, `handles-${++n}.db`));
const run = { id: 'run-1', workflowId: 'wf', workflowVersion: 'v1', origin: 'local' as const, input: {}, config: {}, at: '2026-01-01T00:00:00.000Z' };

async function seed(store: Store): Promise<void> {
  await store.write.saveWorkflowVersion({ hash: 'v1', workflowId: 'wf', source: 'src', bundle: 'code', meta: '{}', why: 'ran', createdAt: run.at });
  await store.write.createRun(run);
}

describe('store handles', () => {
  it('gives a read path no write: the reader has no write query and a write query refuses the read handle', async () => {
    const store = open();
    await seed(store);
    const readable = new ReadableDB(store.db);
    const writable = new WritableDB(store.db);
    expect(() => {
      // @ts-expect-error a read path cannot call a write: the reader holds none
      void store.read.claimRun('run-1', 'host/42/x', 1000);
    }).toThrow(TypeError);
    expect(() =>
      // @ts-expect-error a write query takes the writable handle, never the readable one
      claimRun(readable, 'run-1', 'host/42/x', 1000),
    ).toThrow("the store's read handle cannot write (UPDATE refused)");
    // The writable handle reads as well: a write path may read what it is about to change.
    expect(getRunSummary(writable, 'run-1')).toMatchObject({ id: 'run-1', status: 'pending' });
    store.close();
  });

  it('refuses at run time, before it runs, any statement that would change the database', async () => {
    const store = open();
    await seed(store);
    const readable = new ReadableDB(store.db);
    const asWriter = readable as unknown as WritableDB;
    expect(() => createRun(asWriter, { ...run, id: 'run-2' })).toThrow("the store's read handle cannot write (INSERT refused)");
    expect(() => setSetting(asWriter, 'retention', { keep: 'all' })).toThrow(/read handle cannot write/);
    expect(() => readable.sql('DELETE FROM runs')).toThrow(/read handle cannot write \(DELETE refused\)/);
    expect((await store.read.listRuns()).map((r) => r.id)).toEqual(['run-1']);
    expect((await store.read.getSetting('retention'))).toBeUndefined();
    expect(readable.sql('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 1 });
    store.close();
  });
});
