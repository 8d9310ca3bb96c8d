// A step starts only once its own start and the end of the step before it are committed. The store here is a
// slow one (each commit takes 30 ms and then leaves a file per snapshot), and the steps themselves look,
// from their worker, at what is committed when they start.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunDriver } from '../../../src-main/core/engine/runDriver';
import { startSnapshot } from '../../../src-main/core/engine/transition';
import { StepWorker } from '../../../src-main/core/engine/stepWorker';
import { WorkerPool } from '../../../src-main/core/engine/workerPool';
import type { SnapshotDocument } from '../../../src-main/shared/snapshot';
import { tempDir } from '../../support/tmp';

const dir = tempDir();

// Each step returns (or records in state) the snapshots committed when it started, oldest first.
const bundle = `
const fs = require('node:fs');
const committed = (dir) => fs.readdirSync(dir).map(Number).sort((x, y) => x - y).map((seq) => fs.readFileSync(dir + '/' + seq, 'utf8'));
module.exports.default = {
  id: 'durable',
  steps: {
    a: { run: ({ input }) => committed(input.dir) },
    b: { needs: ['a'], run: ({ input }) => { fs.writeFileSync(input.dir + '/../b-ran', ''); return committed(input.dir); } },
    c: {
      needs: ['b'],
      loop: { while: ({ iteration }) => iteration < 3 },
      run: ({ input, state }) => { state.seen = [...(state.seen || []), committed(input.dir).slice(-2)]; },
    },
  },
};
`;

/** A driver for the bundle above whose commits are slow (30 ms, then a file per snapshot) or fail. */
async function drive(name: string, refuse?: (doc: SnapshotDocument) => boolean): Promise<{ run: Promise<SnapshotDocument>; home: string }> {
  const home = join(dir, name);
  const marks = join(home, 'committed');
  mkdirSync(marks, { recursive: true });
  const file = join(home, 'durable.js');
  const { worker, meta } = await StepWorker.load(bundle, file);
  let spare: StepWorker | undefined = worker;
  const pool = new WorkerPool(async () => {
    const w = spare ?? (await StepWorker.load(bundle, file)).worker;
    spare = undefined;
    return w;
  });
  const graph = Object.fromEntries(meta.steps.map((s) => [s.id, s.needs]));
  const first = startSnapshot(graph, { runId: 'run-1', workflowId: 'durable', workflowVersion: 'v1', input: { dir: marks }, config: {}, at: new Date().toISOString() });
  const slowCommit = (docs: SnapshotDocument[]) => {
    const until = Date.now() + 30;
    while (Date.now() < until) {
      // a commit that takes its time
    }
    if (refuse && docs.some(refuse)) throw new Error('the commit failed');
    for (const doc of docs) writeFileSync(join(marks, String(doc.seq)), `${doc.kind}:${doc.stepId}`);
  };
  slowCommit([first]);
  const driver = new RunDriver(meta.steps, first, pool, { write: async (docs) => slowCommit(docs), log: async () => undefined });
  return { run: driver.run(), home };
}

describe('durability before a step starts', () => {
  it('lets a step run only after its start and the end of the step before it are committed', async () => {
    const last = await (await drive('ok')).run;
    expect(last.status).toBe('completed');
    expect(last.steps.a.output).toEqual(['run-started:null', 'step-started:a']);
    expect((last.steps.b.output as string[]).slice(-2)).toEqual(['step-completed:a', 'step-started:b']);
    expect(last.state.seen).toEqual([
      ['step-completed:b', 'step-started:c'],
      ['step-completed:c', 'step-started:c'],
      ['step-completed:c', 'step-started:c'],
    ]);
  });

  it('never runs a step whose start could not be committed, and stops', async () => {
    const { run, home } = await drive('refused', (doc) => doc.kind === 'step-started' && doc.stepId === 'b');
    await expect(run).rejects.toThrow('the commit failed');
    expect(existsSync(join(home, 'b-ran'))).toBe(false);
  });
});
