// Runaway steps: a run cancelled or paused from another process stops the process driving it, a step that
// allocates without bound is stopped at its workflow's memory limit, and a step that never ends is ended at
// the default step timeout, which a workflow can lower, raise or turn off. Real processes, real threads.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import { Store } from '../../../src-main/core/store/store';
import type { SnapshotDocument } from '../../../src-main/shared/snapshot';
import { repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir();
const workspace = join(import.meta.dirname, '../fixtures/runaway');
// tsx's loader in the CLI's own process (not tsx's CLI, which would run the script in a grandchild).
const cliArgs = ['--import', pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href, join(repoRoot, 'src-main/cli/main.ts')];

async function readStore<T>(db: string, read: (store: Store) => Promise<T>): Promise<T> {
  const store = Store.open(db);
  try {
    return await read(store);
  } finally {
    store.close();
  }
}

/** Starts `run spin` as its own process and resolves once its step is running, with the run's id. */
async function startSpinning(db: string): Promise<{ child: ChildProcess; exited: Promise<number | null>; runId: string; stdout: () => string }> {
  const child = spawn(process.execPath, [...cliArgs, 'run', 'spin', '--db', db, '--workspace', workspace], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (Date.now() > deadline) throw new Error('the spinning step did not start in time');
    await new Promise((r) => setTimeout(r, 50));
    try {
      const runId = await readStore(db, async (store) => {
        const run = (await store.read.listRuns())[0];
        return run && (await store.read.latestSnapshot(run.id))?.kind === 'step-started' ? run.id : undefined;
      });
      if (runId) return { child, exited, runId, stdout: () => out };
    } catch {
      // the database is still being created
    }
  }
}

/** Resolves with the exit code, or rejects when the process is still alive after `ms` (then it is killed). */
function exitWithin(child: ChildProcess, exited: Promise<number | null>, ms: number): Promise<number | null> {
  let timer: NodeJS.Timeout;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the process driving the run was still alive ${ms} ms after the stop`));
    }, ms);
  });
  return Promise.race([exited, late]).finally(() => clearTimeout(timer));
}

describe('a run stopped from another process', () => {
  it('cancel: the process driving it ends its spinning step and exits, and nothing is written after run-cancelled', async () => {
    const db = join(dir, 'cancel.db');
    const { child, exited, runId, stdout } = await startSpinning(db);
    const cancel = spawnSync(process.execPath, [...cliArgs, 'cancel', runId, '--db', db, '--workspace', workspace], { encoding: 'utf8', timeout: 60_000 });
    expect(cancel.stderr).toBe('');
    expect(cancel.status).toBe(0);
    // A cancelled run is a failure for the `run` that ran it (exit 1), but it must exit at all.
    expect(await exitWithin(child, exited, 20_000)).toBe(1);
    expect(stdout()).toBe(`run ${runId} cancelled (3 snapshots)\n`);
    const { last, count } = await readStore(db, async (store) => ({ last: (await store.read.latestSnapshot(runId))!, count: (await store.read.getRunSummary(runId)).snapshotCount }));
    expect(last.kind).toBe('run-cancelled');
    expect(last.seq).toBe(count);
    expect(last.steps.spin).toMatchObject({ status: 'failed', error: { name: 'CancelledError' } });
  });

  it('pause: the process driving it ends its step and exits; resume would run the step again', async () => {
    const db = join(dir, 'pause.db');
    const { child, exited, runId, stdout } = await startSpinning(db);
    const pause = spawnSync(process.execPath, [...cliArgs, 'pause', runId, '--db', db, '--workspace', workspace], { encoding: 'utf8', timeout: 60_000 });
    expect(pause.stderr).toBe('');
    expect(pause.status).toBe(0);
    expect(await exitWithin(child, exited, 20_000)).toBe(0);
    expect(stdout()).toBe(`run ${runId} paused (3 snapshots)\n`);
    const { last, count } = await readStore(db, async (store) => ({ last: (await store.read.latestSnapshot(runId))!, count: (await store.read.getRunSummary(runId)).snapshotCount }));
    expect(last.kind).toBe('paused');
    expect(last.seq).toBe(count);
    expect(last.cursor.running).toEqual(['spin']);
  });
});

describe('runaway steps', () => {
  let service: StudioService;
  beforeAll(async () => {
    // The engine's default step timeout, lowered for this service (as an embedder would set it), applies to
    // workflows that set none.
    service = await StudioService.open({ dbPath: join(dir, 'limits.db'), workspaceDir: workspace, appRoot: repoRoot, engine: { defaultStepTimeoutMs: 200 } });
  });
  afterAll(() => service.close());

  const finish = async (workflowId: string): Promise<SnapshotDocument> => {
    const run = await service.waitForRun((await service.startRun(workflowId, {})).id);
    return service.getSnapshot(run.id, run.lastSeq);
  };

  it('fails a step past its workflow memoryLimitMb with a MemoryLimitError naming the limit, and the service keeps working', async () => {
    const workflows = await service.listWorkflows();
    expect(workflows.problems).toEqual([]);
    expect(workflows.workflows.find((w) => w.id === 'hog')?.memoryLimitMb).toBe(64);
    const last = await finish('hog');
    expect(last.status).toBe('failed');
    expect(last.steps.hog.error).toMatchObject({ name: 'MemoryLimitError', message: 'step "hog" used more than 64 MB (memoryLimitMb of workflow "hog")' });
    expect(last.error?.message).toBe('step "hog" failed: step "hog" used more than 64 MB (memoryLimitMb of workflow "hog")');
    // The process is healthy: its heap is its own, and the next run works.
    expect(process.memoryUsage().heapUsed).toBeLessThan(512 * 1024 * 1024);
    expect((await finish('untimed')).status).toBe('completed');
  });

  it("ends a step with no timeout of its own at the workflow's defaultStepTimeoutMs; timeoutMs: 0 turns it off for a step", async () => {
    const last = await finish('default-timeout');
    expect(last.status).toBe('failed');
    // unbounded blocked its thread three times as long as the workflow's default and completed.
    expect(last.steps.unbounded).toMatchObject({ status: 'completed', output: 'done' });
    expect(last.steps.endless.error).toMatchObject({
      name: 'TimeoutError',
      message: 'step "endless" timed out after 150 ms (defaultStepTimeoutMs of workflow "default-timeout")',
    });
  });

  it("applies the engine's default step timeout to a workflow that sets none, and none to one that turns it off", async () => {
    const plain = await finish('plain');
    expect(plain.steps.long.error).toMatchObject({ name: 'TimeoutError', message: 'step "long" timed out after 200 ms (the default step timeout; set defaultStepTimeoutMs or timeoutMs to change it)' });
    // defaultStepTimeoutMs: 0 — the same step runs three times the engine's default and completes.
    const untimed = await finish('untimed');
    expect(untimed.steps.long).toMatchObject({ status: 'completed', output: 'done' });
  });

  it('refuses a bad memoryLimitMb or defaultStepTimeoutMs with a message naming the workflow', async () => {
    const bad = tempDir('studio-bad-limits-');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(bad, 'bad.workflow.ts'),
      `export default { id: 'bad', memoryLimitMb: -5, steps: { a: { run: () => 1 } } };\n`,
    );
    writeFileSync(
      join(bad, 'worse.workflow.ts'),
      `export default { id: 'worse', defaultStepTimeoutMs: 'soon', steps: { a: { run: () => 1 } } };\n`,
    );
    const other = await StudioService.open({ dbPath: join(bad, 'bad.db'), workspaceDir: bad, appRoot: repoRoot });
    try {
      const { problems } = await other.listWorkflows();
      expect(problems.map((p) => p.message).sort()).toEqual([
        'bad.workflow.ts: workflow "bad": memoryLimitMb must be a whole number of megabytes from 16, got -5',
        'worse.workflow.ts: workflow "worse": defaultStepTimeoutMs must be a number of milliseconds (0 turns the default off), got "soon"',
      ]);
    } finally {
      await other.close();
    }
  });
});
