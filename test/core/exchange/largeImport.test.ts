// An import larger than one batch of the copy into the database (PostgreSQL sends 2,000 rows at a time):
// every snapshot and every log line arrives, each run's logs in their order, whichever batch they fell in.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../src-main/core/exchange/importer';
import { exportRuns } from '../../../src-main/core/exchange/native/exporter';
import { openStore } from '../../../src-main/core/store/open';
import { Store } from '../../../src-main/core/store/store';
import { storeProviders } from '../../support/providers';
import { readExportLines, seedSyntheticRuns } from '../../support/syntheticRuns';
import { tempDir } from '../../support/tmp';

const dir = tempDir('studio-large-import-');
const RUNS = 25;
const SNAPSHOTS = 100;
const LOGS_PER_RUN = 90;
const source = join(dir, 'source.db');
const file = join(dir, 'all.ssx.ndjson');

/** The snapshot and log lines of an export, as they were written (documents and logs in order). */
const recordsOf = (path: string) => readExportLines(path).filter((l) => l.type === 'snapshot' || l.type === 'log');

beforeAll(async () => {
  const store = Store.open(source);
  const ids = await seedSyntheticRuns(store, RUNS, SNAPSHOTS);
  // Logs written run after run, interleaved: each run's keep their order, not the table's.
  store.db.transaction(() => {
    for (let i = 0; i < LOGS_PER_RUN; i++) {
      for (const runId of ids) store.sync.write.appendLog({ runId, stepId: `step-${i % 8}`, at: `2025-01-01T00:01:${String(i % 60).padStart(2, '0')}.000Z`, level: i % 3 ? 'info' : 'warn', message: `line ${i} of ${runId}`, data: i % 2 ? { i } : undefined });
    }
  })();
  await exportRuns(store.read, { since: '2000-01-01', out: file, redact: false });
  await store.close();
});

describe.each(storeProviders())('an import of $name larger than one copy batch', (provider) => {
  it(`brings all ${RUNS * SNAPSHOTS} snapshots and ${RUNS * (LOGS_PER_RUN + 1)} log lines across, in order`, async () => {
    const target = await openStore(await provider.newDatabase());
    try {
      const outcome = await importFiles(target, [file]);
      expect(outcome.snapshots).toBe(RUNS * SNAPSHOTS);
      const again = join(dir, `again-${provider.name}.ssx.ndjson`);
      await exportRuns(target.read, { since: '2000-01-01', out: again, redact: false });
      const [was, now] = [recordsOf(file), recordsOf(again)];
      expect(was.filter((l) => l.type === 'log')).toHaveLength(RUNS * (LOGS_PER_RUN + 1));
      expect(now).toEqual(was);
    } finally {
      await target.close();
    }
  });
});
