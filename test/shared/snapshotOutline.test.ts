// getSnapshotOutline: a run's snapshot cut down in core for the waterfall, graph and run header, so a
// snapshot with megabytes of state reaches the window as a few hundred bytes.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../src-main/core/studio';
import { SNAPSHOT_SCHEMA_VERSION, type SnapshotDocument } from '../../src-main/shared/snapshot';
import { outlineOf } from '../../src-main/shared/snapshotOutline';
import { examplesDir, repoRoot, tempDir } from '../support/tmp';

const dir = tempDir();
let service: StudioService;
const RUN = 'big-state';

/** About 3 MB of state, and data in every field the outline drops. */
function bigDoc(version: string): SnapshotDocument {
  const items = Object.fromEntries(Array.from({ length: 15_000 }, (_, i) => [`item-${i}`, { name: `Item ${i}`, note: 'x'.repeat(180) }]));
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    runId: RUN,
    workflowId: 'orders-linear',
    workflowVersion: version,
    seq: 2,
    kind: 'run-completed',
    stepId: null,
    status: 'completed',
    at: '2026-01-01T00:00:02.000Z',
    input: { customer: 'ada@example.com' },
    config: { taxRate: 0.2 },
    state: { items },
    steps: {
      fetch: {
        status: 'completed',
        attempts: 2,
        input: { page: 1 },
        output: { rows: ['a'.repeat(1000)] },
        signals: { approve: { by: 'ada' } },
        startedAt: '2026-01-01T00:00:00.000Z',
        endedAt: '2026-01-01T00:00:01.500Z',
        durationMs: 1500,
        iteration: 3,
        pastExecutions: 2,
      },
      ship: { status: 'failed', attempts: 1, output: 'partial', error: { name: 'Error', message: 'no carrier' }, sleepsDone: 1 },
    },
    cursor: { ready: ['next'], running: [], waiting: [{ stepId: 'ship', signal: 'go', since: '2026-01-01T00:00:01.000Z' }], timers: [] },
    retry: { stepId: 'ship', attempts: 1, nextRetryAt: '2026-01-01T00:00:05.000Z' },
    result: { shipped: 15_000 },
    error: { name: 'Error', message: 'no carrier' },
    metadata: { note: 'kept out of the outline' },
  };
}

beforeAll(async () => {
  service = await StudioService.open({ dbPath: join(dir, 'studio.db'), workspaceDir: examplesDir, appRoot: repoRoot });
  const version = (await service.listWorkflows()).workflows.find((w) => w.id === 'orders-linear')!.version;
  const at = '2026-01-01T00:00:00.000Z';
  await service.store.write.createRun({ id: RUN, workflowId: 'orders-linear', workflowVersion: version, origin: 'local', input: null, config: {}, at });
  await service.store.write.appendSnapshots([{ ...bigDoc(version), seq: 1, kind: 'run-started', status: 'running', state: {} }]);
  await service.store.write.appendSnapshots([bigDoc(version)]);
});
afterAll(() => service.close());

describe('getSnapshotOutline', () => {
  it("returns the snapshot without state, input, config, result, metadata or step data, keeping what the waterfall, graph and header read", async () => {
    const full = await service.getSnapshot(RUN, 2);
    expect(JSON.stringify(full.state).length).toBeGreaterThan(3_000_000);
    const outline = await service.getSnapshotOutline(RUN, 2);
    expect(outline).toEqual({
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      runId: RUN,
      workflowId: 'orders-linear',
      workflowVersion: full.workflowVersion,
      seq: 2,
      kind: 'run-completed',
      stepId: null,
      status: 'completed',
      at: '2026-01-01T00:00:02.000Z',
      input: null,
      config: null,
      state: {},
      steps: {
        fetch: {
          status: 'completed',
          attempts: 2,
          startedAt: '2026-01-01T00:00:00.000Z',
          endedAt: '2026-01-01T00:00:01.500Z',
          durationMs: 1500,
          iteration: 3,
          pastExecutions: 2,
        },
        ship: { status: 'failed', attempts: 1, error: { name: 'Error', message: 'no carrier' }, sleepsDone: 1 },
      },
      cursor: { ready: ['next'], running: [], waiting: [{ stepId: 'ship', signal: 'go', since: '2026-01-01T00:00:01.000Z' }], timers: [] },
      retry: { stepId: 'ship', attempts: 1, nextRetryAt: '2026-01-01T00:00:05.000Z' },
      error: { name: 'Error', message: 'no carrier' },
      metadata: {},
    });
    expect(outline).not.toHaveProperty('result');
    expect(JSON.stringify(outline).length).toBeLessThan(2_000);
  });

  it('is outlineOf the full snapshot, for every snapshot of the run', async () => {
    for (const seq of [1, 2]) expect(await service.getSnapshotOutline(RUN, seq)).toEqual(outlineOf(await service.getSnapshot(RUN, seq)));
  });

  it('fails as getSnapshot does for a snapshot or a run that is not there', async () => {
    for (const [runId, seq] of [[RUN, 3], ['ghost', 1]] as const) {
      const expected = await service.getSnapshot(runId, seq).catch((e: unknown) => e);
      expect(expected).toHaveProperty('code');
      await expect(service.getSnapshotOutline(runId, seq)).rejects.toEqual(expected);
    }
    await expect(service.getSnapshotOutline(RUN, 3)).rejects.toThrow(`run ${RUN} has no snapshot #3`);
  });
});
