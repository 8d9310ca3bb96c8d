// waitFor(signal) and sleep(ms): the run waits in a snapshot, not in memory, so both survive a restart.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import { repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir();
const workspaceDir = join(import.meta.dirname, '../fixtures/engine');
const open = (name: string) => StudioService.open({ dbPath: join(dir, name), workspaceDir, appRoot: repoRoot });
const kinds = async (s: StudioService, runId: string) =>
  (await s.listSnapshots(runId, { limit: 1000 })).items.map((x) => `${x.kind}${x.stepId ? `:${x.stepId}` : ''}`);

describe('waits', () => {
  it('waits for a signal, then runs the waiting step again with the payload', async () => {
    const service = await open('signal.db');
    try {
      const waiting = await service.waitForRun((await service.startRun('approval', {})).id);
      expect(waiting.status).toBe('waiting');
      const doc = await service.getSnapshot(waiting.id, waiting.snapshotCount);
      expect(doc.cursor.waiting).toEqual([{ stepId: 'approve', signal: 'approval', since: expect.any(String) }]);
      expect(doc.steps.cool.output).toBe('rested');
      await expect(service.resume(waiting.id)).rejects.toThrow(/waits for a signal: "approval" \(step approve\)/);
      await expect(service.resume(waiting.id, { signal: 'nope' })).rejects.toThrow(/is not waiting for signal "nope" \(it waits for: "approval"\)/);

      await service.resume(waiting.id, { signal: 'approval', payload: { ok: true, by: 'grace' } });
      const done = await service.waitForRun(waiting.id);
      expect(done.status).toBe('completed');
      const last = await service.getSnapshot(done.id, done.snapshotCount);
      expect(last.steps.approve).toMatchObject({ status: 'completed', attempts: 1, output: { ok: true, by: 'grace' }, signals: { approval: { ok: true, by: 'grace' } } });
      expect(last.steps.ship.output).toEqual({ shippedBy: 'grace' });
      const k = await kinds(service, done.id);
      expect(k).toContain('waiting:approve');
      expect(k).toContain('resumed:approve');
      expect(k.filter((x) => x === 'step-started:approve')).toHaveLength(2);
      // The step's code before waitFor ran twice (at-least-once), as the docs say.
      expect((await service.store.read.listLogs(done.id)).filter((l) => l.message === 'asking for approval')).toHaveLength(2);
    } finally {
      await service.close();
    }
  });

  it('skips the step that needs a rejected approval', async () => {
    const service = await open('reject.db');
    try {
      const run = await service.waitForRun((await service.startRun('approval', {})).id);
      await service.resume(run.id, { signal: 'approval', payload: { ok: false, by: 'linus' } });
      const done = await service.waitForRun(run.id);
      expect((await service.getSnapshot(done.id, done.snapshotCount)).steps.ship.status).toBe('skipped');
    } finally {
      await service.close();
    }
  });

  it('sleeps durably: a sleep interrupted by a restart ends at its time, and the step continues past it', async () => {
    const first = await open('sleep.db');
    const run = await first.startRun('approval', {});
    for (;;) {
      const s = await first.getSnapshot(run.id, (await first.getRun(run.id)).snapshotCount);
      if (s.cursor.timers.some((t) => t.stepId === 'cool')) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await first.close();
    const second = await open('sleep.db');
    try {
      expect(await second.recoverRuns()).toEqual([run.id]);
      const waiting = await second.waitForRun(run.id);
      const last = await second.getSnapshot(run.id, waiting.snapshotCount);
      expect(last.steps.cool).toMatchObject({ status: 'completed', output: 'rested', sleepsDone: 2, attempts: 1 });
      const slept = Date.parse(last.steps.cool.endedAt!) - Date.parse((await second.getSnapshot(run.id, 1)).at);
      expect(slept).toBeGreaterThanOrEqual(400);
      expect(waiting.status).toBe('waiting');
    } finally {
      await second.close();
    }
  });
});
