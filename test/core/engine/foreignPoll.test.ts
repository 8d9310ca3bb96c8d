// The driver's look for another process's pause or cancel (a poll while a step runs) must not take the driver's
// own write for another process's. Here the poll is held until the driver's next commit has landed, as a slow
// read on a busy PostgreSQL server can be: the run still goes on to its end.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunDriver } from '../../../src-main/core/engine/runDriver';
import { StepWorker } from '../../../src-main/core/engine/stepWorker';
import { startSnapshot } from '../../../src-main/core/engine/transition';
import { WorkerPool } from '../../../src-main/core/engine/workerPool';
import { openStore } from '../../../src-main/core/store/open';
import { storeProviders } from '../../support/providers';
import { tempDir } from '../../support/tmp';

const dir = tempDir('studio-foreign-poll-');

// Step a runs until the driver has begun a poll (the poll leaves the file `polled`), so a poll is under way when a
// ends; step b runs until that poll has its answer (the file `checked`), so the answer comes while the run goes on.
const bundle = `
const fs = require('node:fs');
module.exports.default = {
  id: 'polled',
  steps: {
    a: { run: async ({ input }) => { while (!fs.existsSync(input.polled)) await new Promise((r) => setTimeout(r, 10)); return 'a'; } },
    b: { needs: ['a'], run: async ({ input }) => { while (!fs.existsSync(input.checked)) await new Promise((r) => setTimeout(r, 10)); return 'b'; } },
  },
};
`;

describe.each(storeProviders())('a poll for foreign writes on $name', (provider) => {
  it('that reads after the driver’s own next commit does not stop the run', async () => {
    const store = await openStore(await provider.newDatabase());
    const file = join(dir, `polled-${provider.name}.js`);
    const polled = join(dir, `polled-${provider.name}`);
    const checked = join(dir, `checked-${provider.name}`);
    const input = { polled, checked };
    const { worker, meta } = await StepWorker.load(bundle, file);
    let spare: StepWorker | undefined = worker;
    const pool = new WorkerPool(async () => {
      const w = spare ?? (await StepWorker.load(bundle, file)).worker;
      spare = undefined;
      return w;
    });
    try {
      const at = new Date().toISOString();
      await store.write.saveWorkflowVersion({ hash: 'v1', workflowId: 'polled', source: bundle, bundle, meta: JSON.stringify(meta), why: 'saved', createdAt: at });
      await store.write.createRun({ id: 'run-1', workflowId: 'polled', workflowVersion: 'v1', origin: 'local', input, config: {}, at });
      const graph = Object.fromEntries(meta.steps.map((s) => [s.id, s.needs]));
      const first = startSnapshot(graph, { runId: 'run-1', workflowId: 'polled', workflowVersion: 'v1', input, config: {}, at });
      await store.write.appendSnapshots([first]);

      let commits = 0;
      let ended = false;
      const waiting: (() => void)[] = [];
      const nextCommit = () => new Promise<void>((resolve) => waiting.push(resolve));
      const wakeAll = () => waiting.splice(0).forEach((w) => w());
      const driver = new RunDriver(meta.steps, first, pool, {
        write: async (docs) => {
          await store.write.appendSnapshots(docs);
          commits += 1;
          wakeAll();
        },
        log: async () => undefined,
        // As the run lifecycle asks, but the read waits for the driver's next commit (or the run's end).
        newerThan: async (runId, seq) => {
          const before = commits;
          const landed = nextCommit();
          if (!existsSync(polled)) writeFileSync(polled, '');
          if (!ended) await landed;
          if (commits === before) return undefined;
          try {
            return (await store.read.getRunSummary(runId)).lastSeq > seq ? await store.read.latestSnapshot(runId) : undefined;
          } finally {
            writeFileSync(checked, '');
          }
        },
      });
      const last = await driver.run().finally(() => {
        ended = true;
        wakeAll();
      });
      expect(last.status).toBe('completed');
      expect(last.steps.b).toMatchObject({ status: 'completed', output: 'b' });
      expect((await store.read.getRunSummary('run-1')).status).toBe('completed');
    } finally {
      await pool.close();
      await store.close();
    }
  });
});
