// Replay compares what the run did, not only what its steps returned: an `orders-linear` run recorded in
// "production" is exported by our own exporter and replayed on a laptop. Its `ship` step is an effect: in
// the replay it returns its recorded output and makes its recorded state changes (state.shipped), and the
// comparison covers each step's status, output and the state after it.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import type { ReplayReport } from '../../../src-main/shared/api';
import { cliIn } from '../../support/cli';
import { examplesDir, repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir('studio-replay-state-');
const prodWs = join(dir, 'prod-ws');
const sameWs = join(dir, 'same-ws');
const editedWs = join(dir, 'edited-ws');
const exportFile = join(dir, 'orders.ssx.ndjson');
const example = join(examplesDir, 'orders-linear.workflow.ts');
const FILE = 'orders-linear.workflow.ts';

let prod: StudioService;
let recordedId: string;

beforeAll(async () => {
  for (const ws of [prodWs, sameWs, editedWs]) mkdirSync(ws, { recursive: true });
  copyFileSync(example, join(prodWs, FILE));
  copyFileSync(example, join(sameWs, FILE));
  // Locally, validate writes one more key into the state; its output and every other step are unchanged.
  const source = readFileSync(example, 'utf8');
  const edited = source.replace("state.order = { customer: input?.customer ?? 'ada@example.com', items };", "state.order = { customer: input?.customer ?? 'ada@example.com', items, rush: true };");
  expect(edited).not.toBe(source);
  writeFileSync(join(editedWs, FILE), edited);
  prod = await StudioService.open({ dbPath: join(dir, 'prod.db'), workspaceDir: prodWs, appRoot: repoRoot });
  const run = await prod.startRun('orders-linear', { input: { customer: 'grace@example.com' } });
  expect((await prod.waitForRun(run.id)).status).toBe('completed');
  recordedId = run.id;
  await prod.exportRuns({ runIds: [run.id], out: exportFile });
}, 60_000);

afterAll(async () => {
  await prod?.close();
});

async function replayIn(workspaceDir: string, db: string): Promise<{ report: ReplayReport; service: StudioService }> {
  const service = await StudioService.open({ dbPath: join(dir, db), workspaceDir, appRoot: repoRoot });
  const result = await service.replay({ files: [exportFile] });
  expect(result.runs).toHaveLength(1);
  return { report: result.runs[0], service };
}

describe('replay of an orders-linear export', () => {
  it('against unchanged code is identical, and the recorded effect made its recorded state changes', async () => {
    const { report, service } = await replayIn(sameWs, 'same.db');
    try {
      expect(report).toMatchObject({ outcome: 'identical', compared: 4, missingSteps: [], addedSteps: [], recordedEffects: ['ship'] });
      expect(report.firstDivergence).toBeUndefined();
      const replay = await service.getRun(report.replayRunId!);
      const last = await service.getSnapshot(replay.id, replay.lastSeq);
      // ship did not run: its state change came from the recording, as production's next steps saw it.
      expect(last.state.shipped).toBe(true);
      const original = await service.getRun(recordedId);
      expect(last.state).toEqual((await service.getSnapshot(original.id, original.lastSeq)).state);
    } finally {
      await service.close();
    }
  }, 60_000);

  it('against code that changes only the state is reported at that step, with the /state/... path and both values', async () => {
    const { report, service } = await replayIn(editedWs, 'edited.db');
    await service.close();
    expect(report.outcome).toBe('diverged');
    expect(report.firstDivergence).toEqual({ stepId: 'validate', field: 'state', path: '/state/order/rush', replayed: true });
    expect(report.message).toBe('diverged at step validate, state /state/order/rush: recorded (absent), replayed true');
  }, 60_000);
});

describe('snapshot-studio replay of an orders-linear export', () => {
  it('prints identical against unchanged code and the state divergence against edited code', () => {
    const cli = cliIn(dir);
    const same = cli('replay', exportFile, '--db', join(dir, 'cli-same.db'), '--workspace', sameWs);
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain(`run ${recordedId} (workflow orders-linear) → replay `);
    expect(same.stdout).toContain(': identical: 4 step(s) compared (status, output, state), 1 effect(s) from the recording (ship)');
    const edited = cli('replay', exportFile, '--db', join(dir, 'cli-edited.db'), '--workspace', editedWs);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toContain(': diverged at step validate, state /state/order/rush: recorded (absent), replayed true');
    expect(edited.stdout.trim().split('\n').pop()).toBe('1 run(s): 0 identical, 1 diverged, 0 not replayed');
  }, 120_000);
});
