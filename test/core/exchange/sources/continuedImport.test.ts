// A source that grows, imported again into either database: a LangGraph thread that went on gains only its new
// checkpoints, appended as new snapshots of the same run after the ones it had, which stay as they were.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../../../src-main/core/exchange/importer';
import { openStore } from '../../../../src-main/core/store/open';
import { continueThread, THREADS, withSqliteSaver, writeThreads } from '../../../fixtures/langgraph/generate';
import { storeProviders } from '../../../support/providers';
import { tempDir } from '../../../support/tmp';

const dir = tempDir('studio-continued-import-');

describe.each(storeProviders())('a LangGraph thread that went on, imported again into $name', (provider) => {
  it('appends only its new checkpoints to the run, the snapshots it had unchanged', async () => {
    const source = join(dir, `checkpoints-${provider.name}.db`);
    await withSqliteSaver(source, writeThreads);
    const store = await openStore(await provider.newDatabase());
    try {
      await importFiles(store, [source]);
      const id = `langgraph-${THREADS.linear}`;
      const had = (await store.read.getRunSummary(id)).lastSeq;
      const kept = await Promise.all(Array.from({ length: had }, (_, i) => store.read.getSnapshot(id, i + 1)));
      await withSqliteSaver(source, (saver) => continueThread(saver, THREADS.linear, 'beavers'));

      const next = await importFiles(store, [source]);
      expect(next).toMatchObject({ runs: 0, extended: 1 });
      const now = await store.read.getRunSummary(id);
      expect(now.lastSeq).toBeGreaterThan(had);
      expect(next.snapshots).toBe(now.lastSeq - had);
      for (const doc of kept) expect(await store.read.getSnapshot(id, doc.seq)).toEqual(doc);
      for (let seq = had + 1; seq <= now.lastSeq; seq++) expect((await store.read.getSnapshot(id, seq)).seq).toBe(seq);
      expect((await store.read.latestSnapshot(id))!.state.topic).toBe('beavers');
    } finally {
      await store.close();
    }
  });
});
