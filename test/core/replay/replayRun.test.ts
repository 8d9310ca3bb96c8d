// Replay: a run recorded in "production" (its own workspace and database) is exported, then replayed on a
// laptop against the local workflows of the same id. Effect steps return their recorded output, waits get
// the recorded signal, sleeps are not waited out, and the report names the first divergence.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import type { ReplayReport } from '../../../src-main/shared/api';
import { cliIn } from '../../support/cli';
import { repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir('studio-replay-');
const prodWs = join(dir, 'prod-ws');
const localWs = join(dir, 'local-ws');
const exportFile = join(dir, 'prod.ssx.ndjson');

/** The payment workflow; `sleepMs`, the quote factor and the last steps are what a local edit changes. */
const pay = (id: string, o: { sleepMs: number; factor: number; last: 'notify' | 'audit' }) => `
import { defineWorkflow } from 'snapshot-studio/sdk';
export default defineWorkflow({
  id: '${id}',
  steps: {
    quote: {
      run: async ({ input, state }) => {
        // An amount of 99 makes the quote slow, so a test can pause the run while it runs.
        if (input.amount === 99) await new Promise((r) => setTimeout(r, 500));
        state.total = input.amount * ${o.factor};
        return { total: input.amount * ${o.factor}, lines: [{ id: 'l1', price: input.amount }] };
      },
    },
    charge: { needs: ['quote'], effect: true, run: ({ results }) => ({ chargeId: 'ch_' + Math.random().toString(36).slice(2), amount: results.quote.total }) },
    approve: { needs: ['charge'], run: ({ waitFor }) => waitFor('approval') },
    settle: { needs: ['quote'], run: async ({ sleep }) => (await sleep(${o.sleepMs}), { settled: true }) },
    ${o.last}: { needs: ['approve', 'settle'], run: ({ results }) => ({ by: results.approve.by }) },
  },
});
`;

let prod: StudioService;
let local: StudioService;
const recorded: Record<string, string> = {};

async function record(workflowId: string, amount = 10): Promise<string> {
  const run = await prod.startRun(workflowId, { input: { amount } });
  await prod.waitForRun(run.id);
  await prod.resume(run.id, { signal: 'approval', payload: { ok: true, by: 'ada' } });
  const done = await prod.waitForRun(run.id);
  expect(done.status).toBe('completed');
  return run.id;
}

beforeAll(async () => {
  mkdirSync(prodWs, { recursive: true });
  mkdirSync(localWs, { recursive: true });
  writeFileSync(join(prodWs, 'pay.workflow.ts'), pay('pay', { sleepMs: 200, factor: 2, last: 'notify' }));
  writeFileSync(join(prodWs, 'drift.workflow.ts'), pay('drift', { sleepMs: 200, factor: 2, last: 'notify' }));
  writeFileSync(join(prodWs, 'ghost.workflow.ts'), pay('ghost', { sleepMs: 200, factor: 2, last: 'notify' }));
  // Locally: pay behaves the same (its settle sleeps ten minutes: a replay must not wait it out); drift
  // quotes three times the amount and ends with audit instead of notify; ghost does not exist.
  writeFileSync(join(localWs, 'pay.workflow.ts'), pay('pay', { sleepMs: 600_000, factor: 2, last: 'notify' }));
  writeFileSync(join(localWs, 'drift.workflow.ts'), pay('drift', { sleepMs: 200, factor: 3, last: 'audit' }));
  prod = await StudioService.open({ dbPath: join(dir, 'prod.db'), workspaceDir: prodWs, appRoot: repoRoot });
  for (const id of ['pay', 'drift', 'ghost']) recorded[id] = await record(id);
  await prod.exportRuns({ runIds: Object.values(recorded), out: exportFile });
  local = await StudioService.open({ dbPath: join(dir, 'local.db'), workspaceDir: localWs, appRoot: repoRoot });
}, 60_000);

afterAll(async () => {
  await prod?.close();
  await local?.close();
});

const byRun = (reports: ReplayReport[], id: string) => reports.find((r) => r.runId === id)!;

describe('replay of a production export', () => {
  let reports: ReplayReport[];

  it('imports the file, replays every run and counts those that diverged or could not run', async () => {
    const result = await local.replay({ files: [exportFile] });
    expect(result.imported).toMatchObject({ runs: 3, skipped: 0 });
    expect(result.runs.map((r) => r.runId).sort()).toEqual(Object.values(recorded).sort());
    expect(result.diverged).toBe(2);
    reports = result.runs;
  }, 60_000);

  it('finds an unchanged workflow identical: the effect returned its recorded output, the wait its recorded signal', async () => {
    const r = byRun(reports, recorded.pay);
    expect(r).toMatchObject({ outcome: 'identical', workflowId: 'pay', compared: 5, missingSteps: [], addedSteps: [], recordedEffects: ['charge'] });
    expect(r.status).toEqual({ recorded: 'completed', replayed: 'completed' });
    expect(r.message).toMatch(/^identical: 5 step\(s\) compared \(status, output, state\), 1 effect\(s\) from the recording \(charge\)/);
    const [original, replay] = [await local.getRun(recorded.pay), await local.getRun(r.replayRunId!)];
    expect(replay).toMatchObject({ origin: 'replay', replayOf: recorded.pay, workflowId: 'pay', status: 'completed' });
    expect(replay.workflowVersion).toBe((await local.listWorkflows()).workflows.find((w) => w.id === 'pay')!.version);
    const [a, b] = [await local.getSnapshot(original.id, original.snapshotCount), await local.getSnapshot(replay.id, replay.snapshotCount)];
    // The charge id is random: equal only because the charge did not run again.
    expect(b.steps.charge.output).toEqual(a.steps.charge.output);
    expect(b.steps.approve.output).toEqual({ ok: true, by: 'ada' });
    expect(b.steps.settle.output).toEqual({ settled: true });
    expect(b.metadata).toMatchObject({ replay: { of: original.id, liveEffects: false }, recordedEffects: ['charge'] });
  });

  it('names the first divergence with its path and both values, and the steps missing and added', async () => {
    const r = byRun(reports, recorded.drift);
    expect(r.outcome).toBe('diverged');
    expect(r.firstDivergence).toEqual({ stepId: 'quote', field: 'output', path: '/total', recorded: 20, replayed: 30 });
    expect(r.missingSteps).toEqual(['notify']);
    expect(r.addedSteps).toEqual(['audit']);
    expect(r.message).toBe('diverged at step quote, output /total: recorded 20, replayed 30; missing steps: notify; added steps: audit');
    // The recorded charge (amount 20) is returned even though the local quote now says 30.
    const replay = await local.getRun(r.replayRunId!);
    expect((await local.getSnapshot(replay.id, replay.snapshotCount)).steps.charge.output).toMatchObject({ amount: 20 });
  });

  it('says when there is no local workflow of that id, and how to add one', async () => {
    const r = byRun(reports, recorded.ghost);
    expect(r).toMatchObject({ outcome: 'not-replayed', workflowId: 'ghost', compared: 0 });
    expect(r.replayRunId).toBeUndefined();
    expect(r.message).toContain(`no local workflow with id "ghost" in ${localWs}: add a file such as ghost.workflow.ts there`);
    expect(r.message).toContain("defineWorkflow({ id: 'ghost', steps: { quote: { run: ... }, charge: { run: ... }");
  });

  it('with live effects, runs the effect for real and reports where its output differs', async () => {
    const result = await local.replay({ runIds: [recorded.pay], liveEffects: true });
    const [r] = result.runs;
    expect(result.imported).toBeUndefined();
    expect(r.outcome).toBe('diverged');
    expect(r.recordedEffects).toEqual([]);
    const original = await local.getRun(recorded.pay);
    const chargeId = (await local.getSnapshot(original.id, original.snapshotCount)).steps.charge.output as { chargeId: string };
    expect(r.firstDivergence).toMatchObject({ stepId: 'charge', path: '/chargeId', recorded: chargeId.chargeId });
    expect(r.firstDivergence!.replayed).toMatch(/^ch_/);
  }, 30_000);

  it('reuses runs already imported when the same file is replayed again', async () => {
    const before = (await local.listRuns()).filter((r) => r.origin === 'imported').length;
    const result = await local.replay({ files: [exportFile] });
    expect(result.imported).toMatchObject({ runs: 0, snapshots: 0, skipped: 3 });
    expect((await local.listRuns()).filter((r) => r.origin === 'imported')).toHaveLength(before);
    expect(result.runs.map((r) => r.outcome).sort()).toEqual(['diverged', 'identical', 'not-replayed']);
  }, 60_000);

  it('a replay paused midway says so, and once resumed still takes the effect from its recording', async () => {
    const rec = await record('pay', 99);
    const file = join(dir, 'slow.ssx.ndjson');
    await prod.exportRuns({ runIds: [rec], out: file });
    await local.importFiles({ files: [file] });
    const replayId = new Promise<string>((resolve) => {
      const off = local.subscribe((e) => {
        if (e.type === 'run-updated' && e.run.replayOf === rec) {
          off();
          resolve(e.run.id);
        }
      });
    });
    const replaying = local.replay({ runIds: [rec] });
    const id = await replayId;
    await local.pause(id);
    const [report] = (await replaying).runs;
    expect(report).toMatchObject({ outcome: 'diverged', replayRunId: id, status: { recorded: 'completed', replayed: 'paused' } });
    expect(report.message).toMatch(/; the replay was paused before it ended: resume it, then compare the two runs$/);
    // Resumed, the driver rebuilds the replay's plan from the run's own metadata.
    await local.resume(id);
    const done = await local.waitForRun(id);
    expect(done.status).toBe('completed');
    const [a, b] = [await local.getSnapshot(rec, (await local.getRun(rec)).snapshotCount), await local.getSnapshot(id, done.snapshotCount)];
    expect(b.steps.charge.output).toEqual(a.steps.charge.output);
  }, 60_000);

  it('refuses an unknown run before replaying anything', async () => {
    const count = (await local.listRuns()).length;
    await expect(local.replay({ runIds: [recorded.pay, 'no-such-run'] })).rejects.toMatchObject({ code: 'E_NO_RUN' });
    expect(await local.listRuns()).toHaveLength(count);
  });
});

describe('replay of a foreign export (Mastra 1.x)', () => {
  it('replays a suspended-then-resumed Mastra run against a local workflow of the same id: the resume payload answers waitFor("resume")', async () => {
    const ws = join(dir, 'mastra-ws');
    mkdirSync(ws, { recursive: true });
    writeFileSync(
      join(ws, 'order-flow.workflow.ts'),
      `import { defineWorkflow } from 'snapshot-studio/sdk';
export default defineWorkflow({
  id: 'order-flow',
  steps: {
    'fetch-order': { run: ({ input }) => ({ orderId: input.orderId, amount: input.orderId === 'A-2' ? 100 : 42 }) },
    price: { needs: ['fetch-order'], run: ({ results }) => ({ total: results['fetch-order'].amount * 1.2 }) },
    stock: { needs: ['fetch-order'], run: () => ({ inStock: true }) },
    approve: {
      needs: ['price', 'stock'],
      run: async ({ results, waitFor }) => {
        const total = results.price.total;
        if (total > 100) return { approved: (await waitFor('resume')).approved, total };
        return { approved: true, total };
      },
    },
    ship: { needs: ['approve'], when: ({ results }) => results.approve.approved, run: () => ({ trackingId: 'TRK-1' }) },
    reject: { needs: ['approve'], when: ({ results }) => !results.approve.approved, run: () => ({ trackingId: 'none' }) },
  },
});
`,
    );
    const service = await StudioService.open({ dbPath: join(dir, 'mastra.db'), workspaceDir: ws, appRoot: repoRoot });
    try {
      const result = await service.replay({ files: [join(repoRoot, 'test/fixtures/foreign/mastra/1x-resumed.json')] });
      expect(result.imported?.formats).toEqual([{ file: join(repoRoot, 'test/fixtures/foreign/mastra/1x-resumed.json'), format: 'mastra' }]);
      expect(result.runs).toHaveLength(1);
      // Five steps ran on both sides; reject was skipped on both (the adapter maps Mastra's untaken branch).
      expect(result.runs[0]).toMatchObject({ outcome: 'identical', workflowId: 'order-flow', compared: 6, missingSteps: [], addedSteps: [] });
      const replay = await service.getRun(result.runs[0].replayRunId!);
      expect((await service.getSnapshot(replay.id, replay.snapshotCount)).steps.reject.status).toBe('skipped');
      // A foreign run's version is its step graph: there is no code to run, consent or not.
      await expect(service.retry(result.runs[0].runId, { version: 'original', importedCodeConsent: 'any' })).rejects.toThrow(/a step graph with no code to run/);
      expect(result.diverged).toBe(0);
    } finally {
      await service.close();
    }
  }, 60_000);
});

describe('snapshot-studio replay', () => {
  it('prints each run and exits 1 when any diverged, 0 when all are identical; --json prints the result', () => {
    const cli = cliIn(dir);
    const db = ['--db', join(dir, 'cli.db'), '--workspace', localWs];
    const all = cli('replay', exportFile, ...db);
    expect(all.code).toBe(1);
    expect(all.stdout).toContain('imported 3 run(s)');
    expect(all.stdout).toContain(`run ${recorded.drift} (workflow drift) → replay `);
    expect(all.stdout).toContain(': diverged at step quote, output /total: recorded 20, replayed 30; missing steps: notify; added steps: audit');
    expect(all.stdout).toContain(`run ${recorded.ghost} (workflow ghost): not replayed: no local workflow with id "ghost"`);
    expect(all.stdout.trim().split('\n').pop()).toBe('3 run(s): 1 identical, 1 diverged, 1 not replayed');

    const one = cli('replay', recorded.pay, '--json', ...db);
    expect(one.code).toBe(0);
    const parsed = JSON.parse(one.stdout) as { runs: ReplayReport[]; diverged: number };
    expect(parsed.diverged).toBe(0);
    expect(parsed.runs[0]).toMatchObject({ runId: recorded.pay, outcome: 'identical', recordedEffects: ['charge'] });

    const mixed = cli('replay', exportFile, recorded.pay, ...db);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(`replay: give files or run ids, not both ("${recorded.pay}" is not a file)`);
  }, 120_000);
});
