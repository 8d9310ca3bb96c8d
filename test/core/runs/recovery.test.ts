// Crash recovery with a real process: SIGKILL the CLI mid-run, then `resume` continues from the last
// snapshot with no completed step lost and none recorded as completed twice.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import { Store } from '../../../src-main/core/store/store';
import { repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir();
const db = join(dir, 'crash.db');
const workspace = join(import.meta.dirname, '../fixtures/engine');
// tsx's loader in this very process (not tsx's CLI, which runs the script in a child): SIGKILL must hit the engine.
const cliArgs = ['--import', pathToFileURL(join(repoRoot, 'node_modules/tsx/dist/loader.mjs')).href, join(repoRoot, 'src-main/cli/main.ts')];

async function snapshotKinds(runId: string): Promise<string[]> {
  const store = Store.open(db);
  try {
    return (await store.read.listSnapshots(runId, 0, 1000)).map((s) => `${s.kind}${s.stepId ? `:${s.stepId}` : ''}`);
  } finally {
    store.close();
  }
}

describe('crash recovery', () => {
  it('continues a run killed mid-way from its last snapshot', async () => {
    const child = spawn(process.execPath, [...cliArgs, 'run', 'slow', '--db', db, '--workspace', workspace, '--input', '{"ms":400}'], { stdio: 'ignore' });
    // Wait until s2 completed and s3 started, then kill the process without warning.
    let runId: string;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (Date.now() > deadline) throw new Error('the run did not get to s3 in time');
      await new Promise((r) => setTimeout(r, 50));
      try {
        const store = Store.open(db);
        const run = (await store.read.listRuns())[0];
        store.close();
        if (run && (await snapshotKinds(run.id)).includes('step-started:s3')) {
          runId = run.id;
          break;
        }
      } catch {
        // the database is still being created
      }
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const before = await snapshotKinds(runId);
    expect(before.at(-1)).toBe('step-started:s3');

    const resumed = spawnSync(process.execPath, [...cliArgs, 'resume', runId, '--db', db, '--workspace', workspace, '--json'], { encoding: 'utf8', timeout: 60_000 });
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    expect(JSON.parse(resumed.stdout)).toEqual({ runId, status: 'completed' });

    const after = await snapshotKinds(runId);
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after[before.length]).toBe('resumed');
    for (const step of ['s1', 's2', 's3', 's4', 's5']) {
      expect(after.filter((k) => k === `step-completed:${step}`), step).toHaveLength(1);
    }
    // s3 was running when the process died: it ran again (at-least-once), s1 and s2 did not.
    expect(after.filter((k) => k === 'step-started:s3')).toHaveLength(2);
    expect(after.filter((k) => k === 'step-started:s1')).toHaveLength(1);
    const store = Store.open(db);
    const last = (await store.read.latestSnapshot(runId))!;
    store.close();
    expect(last.steps.s5.output).toEqual({ total: 5, bonus: 0 });
    expect(last.state).toEqual({ s1: true, s2: true, s3: true, s4: true, s5: true });
  });

  it('at the next start, continues the runs a closed service left in flight (app or serve restart)', async () => {
    const file = join(dir, 'restart.db');
    const first = await StudioService.open({ dbPath: file, workspaceDir: workspace, appRoot: repoRoot });
    const run = await first.startRun('slow', { input: { ms: 150 } });
    while ((await first.getRun(run.id)).snapshotCount < 4) await new Promise((r) => setTimeout(r, 20));
    await first.close();
    const store = Store.open(file);
    const left = await store.read.getRunSummary(run.id);
    store.close();
    expect(left.status).toBe('running');

    const second = await StudioService.open({ dbPath: file, workspaceDir: workspace, appRoot: repoRoot });
    try {
      expect(await second.recoverRuns()).toEqual([run.id]);
      const done = await second.waitForRun(run.id);
      expect(done.status).toBe('completed');
      const kinds = (await second.listSnapshots(run.id, { limit: 100 })).items.map((s) => s.kind);
      expect(kinds[left.snapshotCount]).toBe('resumed');
      expect(await second.recoverRuns()).toEqual([]);
    } finally {
      await second.close();
    }
  });

  it('refuses to resume a run that has ended', async () => {
    const store = Store.open(db);
    const runId = (await store.read.listRuns())[0].id;
    store.close();
    const r = spawnSync(process.execPath, [...cliArgs, 'resume', runId, '--db', db, '--workspace', workspace], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is completed: only paused or waiting runs, or runs left unfinished by a process that died, can be resumed/);
  });

  it("says which steps a snapshot lacks when it does not fit its workflow version's steps, and writes nothing", async () => {
    const file = join(tempDir(), 'mismatch.db');
    const first = await StudioService.open({ dbPath: file, workspaceDir: workspace, appRoot: repoRoot });
    const run = await first.startRun('slow', { input: { ms: 150 } });
    while ((await first.getRun(run.id)).snapshotCount < 4) await new Promise((r) => setTimeout(r, 20));
    await first.close();
    // A snapshot written by something else (a crafted or damaged file): step s3 is missing from its steps.
    const store = Store.open(file);
    const last = (await store.read.latestSnapshot(run.id))!;
    const { s3: _dropped, ...steps } = last.steps;
    store.sync.write.appendSnapshots([{ ...last, seq: last.seq + 1, kind: 'edited', stepId: null, steps }]);
    const count = (await store.read.getRunSummary(run.id)).snapshotCount;
    store.close();

    const second = await StudioService.open({ dbPath: file, workspaceDir: workspace, appRoot: repoRoot });
    try {
      await expect(second.resume(run.id)).rejects.toMatchObject({
        code: 'E_SNAPSHOT_CORRUPT',
        message: expect.stringMatching(new RegExp(`run ${run.id}: snapshot #${last.seq + 1} has no record of step s3, which workflow version \\w+ declares`)),
      });
      expect((await second.getRun(run.id)).snapshotCount).toBe(count);
      // Recovery says so for that run and goes on; the run stays as it was, and no lease is left on it.
      expect(await second.recoverRuns()).toEqual([]);
      expect(await second.store.read.leaseOf(run.id)).toBeNull();
    } finally {
      await second.close();
    }
  });
});
