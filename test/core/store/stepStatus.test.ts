// A snapshot's own step outcome beside the run's status: a failed step reads "failed" while the run is
// still "running", a retry reads "retry-scheduled"; a failed run names its failed step and snapshot. Rows of
// a version-4 file get the outcome when migrated (schema version 5).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import { Store } from '../../../src-main/core/store/store';
import { LATEST_DB_VERSION } from '../../../src-main/core/store/migrations';
import { failureLine } from '../../../src-main/shared/stepOutcome';
import { examplesDir, repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir();
let service: StudioService;

beforeAll(async () => {
  service = await StudioService.open({ dbPath: join(dir, 'studio.db'), workspaceDir: examplesDir, appRoot: repoRoot });
});
afterAll(() => service.close());

const rows = async (runId: string) => (await service.listSnapshots(runId, {})).items.map((s) => `${s.seq} ${s.kind} ${s.stepId ?? '-'} step:${s.stepStatus ?? '-'} run:${s.status}`);

describe('each snapshot says its own step’s outcome', () => {
  it('a failed step reads failed while the run is still running; the run’s rows keep the run’s status', async () => {
    const run = await service.waitForRun((await service.startRun('payment-fails', {})).id);
    expect(run.status).toBe('failed');
    expect(await rows(run.id)).toEqual([
      '1 run-started - step:- run:running',
      '2 step-started quote step:started run:running',
      '3 step-completed quote step:completed run:running',
      '4 step-started charge step:started run:running',
      '5 step-failed charge step:failed run:running',
      '6 run-failed - step:- run:failed',
    ]);
  });

  it('a failed run names its failed step, that step’s failed snapshot and the error’s first line', async () => {
    const run = await service.waitForRun((await service.startRun('payment-fails', { input: { amount: 75 } })).id);
    const detail = await service.getRun(run.id);
    expect(detail.failure).toEqual({ stepId: 'charge', seq: 5, message: 'card declined for 75 EUR' });
    expect(failureLine(detail.failure!)).toBe('failed at charge: card declined for 75 EUR');
    expect(failureLine({ stepId: 's', message: 'first\n    at x.ts:1:1' })).toBe('failed at s: first');
    const ok = await service.waitForRun((await service.startRun('orders-linear', { input: { customer: 'a@b.c' } })).id);
    expect((await service.getRun(ok.id)).failure).toBeUndefined();
  });

  it('a failed attempt that will be retried reads retry-scheduled', async () => {
    const run = await service.waitForRun((await service.startRun('flaky-recovers', {})).id);
    const list = await rows(run.id);
    expect(list.filter((r) => r.includes('retry-scheduled callUpstream'))).toEqual([
      expect.stringMatching(/ retry-scheduled callUpstream step:retry-scheduled run:error$/),
      expect.stringMatching(/ retry-scheduled callUpstream step:retry-scheduled run:error$/),
    ]);
    expect(list.at(-2)).toMatch(/step-completed store step:completed run:running$/);
  });
});

describe('migration to schema version 5', () => {
  it('fills in the step outcome of rows written before, from the kind or else from the document', async () => {
    const file = join(dir, 'v4.db');
    const store = Store.open(file);
    await store.write.saveWorkflowVersion(
      { hash: 'v1', workflowId: 'wf', source: 'src', bundle: 'code', meta: '{}', why: 'imported', createdAt: '2026-01-01T00:00:00.000Z' },
      { name: 'wf', file: null },
    );
    await store.write.createRun({ id: 'r', workflowId: 'wf', workflowVersion: 'v1', origin: 'imported', input: null, config: {}, at: '2026-01-01T00:00:00.000Z' });
    const base = {
      schemaVersion: 2 as const,
      runId: 'r',
      workflowId: 'wf',
      workflowVersion: 'v1',
      at: '2026-01-01T00:00:00.000Z',
      input: null,
      config: {},
      state: {},
      cursor: { ready: [], running: [], waiting: [], timers: [] },
      metadata: {},
    };
    (await store.write.appendSnapshots([
      { ...base, seq: 1, kind: 'run-started', stepId: null, status: 'running', steps: { a: { status: 'pending', attempts: 0 } } },
      { ...base, seq: 2, kind: 'step-failed', stepId: 'a', status: 'running', steps: { a: { status: 'failed', attempts: 1 } } },
      // A foreign record of a step: its kind says nothing of the step, its document does.
      { ...base, seq: 3, kind: 'imported', stepId: 'a', status: 'failed', steps: { a: { status: 'failed', attempts: 1 } } },
    ]));
    store.close();
    // Back to version 4, as a file written by the build before.
    const raw = new Database(file);
    raw.exec('ALTER TABLE snapshots DROP COLUMN step_status; ALTER TABLE runs DROP COLUMN lease_owner; ALTER TABLE runs DROP COLUMN lease_expires_at');
    // and without version 7's work orders
    raw.exec('DROP TRIGGER runs_join_work_order; DROP INDEX runs_by_parent; DROP INDEX runs_by_work_order; DROP INDEX runs_by_workflow; DROP TABLE work_orders; ALTER TABLE runs DROP COLUMN work_order');
    // and without version 8's change numbers
    raw.exec('DROP TRIGGER runs_changed_on_insert; DROP TRIGGER runs_changed_on_update; DROP INDEX runs_by_change; ALTER TABLE runs DROP COLUMN change_seq');
    raw.pragma('user_version = 4');
    raw.close();

    const migrated = Store.open(file);
    expect(migrated.db.pragma('user_version', { simple: true })).toBe(LATEST_DB_VERSION);
    expect((await migrated.read.listSnapshots('r', 0, 10)).map((s) => [s.seq, s.stepStatus])).toEqual([
      [1, null],
      [2, 'failed'],
      [3, 'failed'],
    ]);
    migrated.close();
  });
});
