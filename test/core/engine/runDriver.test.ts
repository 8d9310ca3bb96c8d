// The engine as a person debugging a run relies on it: parallel steps, conditions, retries, timeouts,
// pause, cancel, retry and fork — each checked on the snapshots it leaves in a real SQLite file and in a
// real PostgreSQL database.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import type { SnapshotSummary } from '../../../src-main/shared/api';
import { storeProviders } from '../../support/providers';
import { repoRoot } from '../../support/tmp';

const workspaceDir = join(import.meta.dirname, '../fixtures/engine');
let service: StudioService;

async function timeline(runId: string): Promise<SnapshotSummary[]> {
  return (await service.listSnapshots(runId, { limit: 10_000 })).items;
}
const line = (s: SnapshotSummary) => `${s.kind}${s.stepId ? `:${s.stepId}` : ''}`;
const until = async (cond: () => Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.each(storeProviders())('engine on $name', (provider) => {
  beforeAll(async () => {
    service = await StudioService.open({ db: await provider.newDatabase(), workspaceDir, appRoot: repoRoot });
  });
  afterAll(() => service.close());

  it('runs steps whose needs are met in parallel and merges their state changes', async () => {
    const run = await service.waitForRun((await service.startRun('parallel', {})).id);
    expect(run.status).toBe('completed');
    const last = await service.getSnapshot(run.id, run.snapshotCount);
    // b and c overlapped: each started before the other ended.
    expect(Date.parse(last.steps.b.startedAt!)).toBeLessThan(Date.parse(last.steps.c.endedAt!));
    expect(Date.parse(last.steps.c.startedAt!)).toBeLessThan(Date.parse(last.steps.b.endedAt!));
    expect(last.steps.d.output).toBe('b+c');
    expect(Object.keys(last.state).sort()).toEqual(['b', 'c', 'log']);
    // e's condition was false: e is skipped, and f, which needs only e, too.
    expect(last.steps.e.status).toBe('skipped');
    expect(last.steps.f.status).toBe('skipped');
    expect((await timeline(run.id)).map(line)).toContain('step-skipped:e');
    expect(last.result).toEqual({ d: 'b+c' });
  });

  it('runs a conditional step when its condition holds', async () => {
    const run = await service.waitForRun((await service.startRun('parallel', { input: { withE: true } })).id);
    const last = await service.getSnapshot(run.id, run.snapshotCount);
    expect(last.steps.e).toMatchObject({ status: 'completed', output: 'e' });
    expect(last.steps.f).toMatchObject({ status: 'completed', output: 'f' });
  });

  it('retries a flaky step with exponential backoff, the run in status error while it waits', async () => {
    const run = await service.waitForRun((await service.startRun('retries', {})).id);
    expect(run.status).toBe('completed');
    const kinds = (await timeline(run.id)).map(line);
    expect(kinds.slice(0, 7)).toEqual([
      'run-started',
      'step-started:flaky',
      'retry-scheduled:flaky',
      'step-started:flaky',
      'retry-scheduled:flaky',
      'step-started:flaky',
      'step-completed:flaky',
    ]);
    const waiting1 = await service.getSnapshot(run.id, 3);
    const waiting2 = await service.getSnapshot(run.id, 5);
    expect(waiting1).toMatchObject({ status: 'error', retry: { stepId: 'flaky', attempts: 1 } });
    expect(waiting1.steps.flaky.error?.message).toBe('flaky attempt 1');
    expect(waiting2.retry?.attempts).toBe(2);
    // Exponential: the second wait is twice the first (50 ms, then 100 ms).
    const wait1 = Date.parse(waiting1.retry!.nextRetryAt) - Date.parse(waiting1.at);
    const wait2 = Date.parse(waiting2.retry!.nextRetryAt) - Date.parse(waiting2.at);
    expect([wait1, wait2]).toEqual([50, 100]);
    const last = await service.getSnapshot(run.id, run.snapshotCount);
    expect(last.steps.flaky).toMatchObject({ status: 'completed', attempts: 3, output: { attempt: 3 } });
    expect(last.retry).toBeUndefined();
  });

  it('fails a step that exhausts its retries, and one whose error is non-retryable at once', async () => {
    const exhausted = await service.waitForRun((await service.startRun('retries', { input: { mode: 'exhaust' } })).id);
    expect(exhausted.status).toBe('failed');
    const last = await service.getSnapshot(exhausted.id, exhausted.snapshotCount);
    expect(last.steps.doomed).toMatchObject({ status: 'failed', attempts: 2, error: { message: 'down (attempt 2)' } });
    const fatal = await service.waitForRun((await service.startRun('retries', { input: { mode: 'fatal' } })).id);
    const fatalDoc = await service.getSnapshot(fatal.id, fatal.snapshotCount);
    expect(fatalDoc.steps.doomed).toMatchObject({ status: 'failed', attempts: 1, error: { name: 'NonRetryableError', message: 'card stolen' } });
  });

  it('ends a step that blocks its thread at its timeout, while the service stays responsive', async () => {
    const started = await service.startRun('retries', { input: { mode: 'timeout' } });
    // The main thread is free while the step spins: a read answers while the step's first attempt is still
    // running (had the step blocked this thread, the answer would come only after its timeout was recorded).
    const listed = (await service.listRuns()).find((r) => r.id === started.id)!;
    const seen = await service.getSnapshot(started.id, listed.snapshotCount);
    expect(seen.steps.doomed?.attempts ?? 0).toBeLessThanOrEqual(1);
    expect(seen.steps.doomed?.error).toBeUndefined();
    const run = await service.waitForRun(started.id);
    expect(run.status).toBe('failed');
    const last = await service.getSnapshot(run.id, run.snapshotCount);
    expect(last.steps.doomed).toMatchObject({ status: 'failed', attempts: 2, error: { name: 'TimeoutError', message: 'step "doomed" timed out after 300 ms' } });
  });

  it('pauses a run after its current step, and resumes it to the end', async () => {
    const started = await service.startRun('slow', { input: { ms: 150 } });
    await until(async () => (await service.getRun(started.id)).snapshotCount >= 3);
    const paused = await service.pause(started.id);
    expect(paused.status).toBe('paused');
    const pausedAt = paused.snapshotCount;
    expect((await service.getSnapshot(started.id, pausedAt)).kind).toBe('paused');
    await new Promise((r) => setTimeout(r, 200));
    expect((await service.getRun(started.id)).snapshotCount).toBe(pausedAt);
    await service.resume(started.id);
    const done = await service.waitForRun(started.id);
    expect(done.status).toBe('completed');
    const kinds = (await timeline(started.id)).map(line);
    expect(kinds[pausedAt]).toBe('resumed');
    expect(kinds.filter((k) => k === 'step-completed:s1')).toHaveLength(1);
  });

  it('cancels a running run: its steps stop and nothing is written after the cancel', async () => {
    const started = await service.startRun('slow', { input: { ms: 300 } });
    await until(async () => (await service.getRun(started.id)).snapshotCount >= 2);
    const cancelled = await service.cancel(started.id);
    expect(cancelled.status).toBe('cancelled');
    const last = await service.getSnapshot(started.id, cancelled.snapshotCount);
    expect(last.kind).toBe('run-cancelled');
    expect(last.steps.s1).toMatchObject({ status: 'failed', error: { name: 'CancelledError' } });
    await new Promise((r) => setTimeout(r, 400));
    expect((await service.getRun(started.id)).snapshotCount).toBe(cancelled.snapshotCount);
    await expect(service.resume(started.id)).rejects.toThrow(/is cancelled/);
  });

  it('retries a run from a step, reusing the earlier steps as recorded, linked to the first run', async () => {
    const first = await service.waitForRun((await service.startRun('slow', { input: { ms: 5 } })).id);
    const retried = await service.retry(first.id, { version: 'original', fromStep: 's4' });
    expect(retried.retryOf).toBe(first.id);
    const done = await service.waitForRun(retried.id);
    expect(done.status).toBe('completed');
    const original = await service.getSnapshot(first.id, first.snapshotCount);
    const again = await service.getSnapshot(done.id, done.snapshotCount);
    expect(again.steps.s3).toEqual(original.steps.s3);
    expect(again.steps.s4.startedAt).not.toBe(original.steps.s4.startedAt);
    expect((await timeline(done.id)).map(line)).not.toContain('step-started:s1');
    expect(again.steps.s5.output).toEqual({ total: 5, bonus: 0 });
    await expect(service.retry(first.id, { version: 'latest', fromStep: 'nope' })).rejects.toThrow(/has no step "nope"/);
  });

  it('forks from a snapshot with edited state, stored as an edited snapshot', async () => {
    const first = await service.waitForRun((await service.startRun('slow', { input: { ms: 5 } })).id);
    const afterS3 = (await timeline(first.id)).find((s) => s.kind === 'step-completed' && s.stepId === 's3')!;
    const source = await service.getSnapshot(first.id, afterS3.seq);
    const fork = await service.fork(first.id, afterS3.seq, { state: { ...source.state, bonus: 42 } });
    expect(fork.forkedFrom).toBe(first.id);
    const done = await service.waitForRun(fork.id);
    const kinds = (await timeline(done.id)).map(line);
    expect(kinds.slice(0, 3)).toEqual(['run-started', 'edited', 'step-started:s4']);
    const edited = await service.getSnapshot(done.id, 2);
    expect(edited.state.bonus).toBe(42);
    const last = await service.getSnapshot(done.id, done.snapshotCount);
    expect(last.steps.s5.output).toEqual({ total: 5, bonus: 42 });
    expect(last.metadata.forkedFrom).toEqual({ runId: first.id, seq: afterS3.seq });
  });

  it('fails a run past its step limit with "step limit exceeded"', async () => {
    const limited = await StudioService.open({ db: await provider.newDatabase(), workspaceDir, appRoot: repoRoot, engine: { stepLimit: 2 } });
    try {
      const run = await limited.waitForRun((await limited.startRun('slow', { input: { ms: 1 } })).id);
      expect(run.status).toBe('failed');
      expect((await limited.getRun(run.id)).error?.message).toMatch(/^step limit exceeded/);
    } finally {
      await limited.close();
    }
  });
});
