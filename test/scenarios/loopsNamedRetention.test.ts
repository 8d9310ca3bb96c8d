// Loops (loop.while / loop.until, bounded by the step limit), state changes that travel as patches,
// named snapshots (a frozen version + config, run by name or newest), and retention with prune.
import { writeFileSync, mkdirSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../src-main/core/studio';
import { storeProviders } from '../support/providers';
import { repoRoot, tempDir } from '../support/tmp';

const dir = tempDir();
const workspaceDir = join(dir, 'workspace');
let service: StudioService;

beforeAll(async () => {
  mkdirSync(workspaceDir, { recursive: true });
  for (const f of ['loop', 'patches']) cpSync(join(import.meta.dirname, `../core/fixtures/engine/${f}.workflow.ts`), join(workspaceDir, `${f}.workflow.ts`));
});

describe.each(storeProviders())('on $name', (provider) => {
  beforeAll(async () => {
    service = await StudioService.open({ db: await provider.newDatabase(), workspaceDir, appRoot: repoRoot });
  });
  afterAll(() => service.close());

  describe('loops', () => {
    it('repeats a step while its condition holds, each iteration with its own snapshots, and dependents see the last output', async () => {
      const run = await service.waitForRun((await service.startRun('loop', { input: { count: 4, spin: 3 } })).id);
      expect(run.status).toBe('completed');
      const last = await service.getSnapshot(run.id, run.snapshotCount);
      // bump ran 4 times (prices 10+1, 10+2, 10+3, 10+4), spin until its output reached 3.
      expect(last.state.items).toEqual([1, 2, 3, 4].map((k, i) => ({ id: i, price: 10 + k })));
      expect(last.steps.total.output).toEqual({ total: 50, bump: 4, spin: 3 });
      expect(last.steps.bump).toMatchObject({ status: 'completed', attempts: 1, iteration: 4, pastExecutions: 3 });
      const items = (await service.listSnapshots(run.id, { limit: 1000 })).items;
      expect(items.filter((s) => s.kind === 'step-completed' && s.stepId === 'bump')).toHaveLength(4);
      expect(items.filter((s) => s.kind === 'step-started' && s.stepId === 'spin')).toHaveLength(3);
      // total started only after both loops were done.
      const totalStart = items.find((s) => s.kind === 'step-started' && s.stepId === 'total')!.seq;
      expect(Math.max(...items.filter((s) => s.stepId === 'bump' || s.stepId === 'spin').map((s) => s.seq))).toBeLessThan(totalStart);
    });

    it('fails the run with "step limit exceeded" when loop iterations pass the workflow\'s stepLimit', async () => {
      const run = await service.waitForRun((await service.startRun('loop', { input: { count: 60 } })).id);
      expect(run.status).toBe('failed');
      const last = await service.getSnapshot(run.id, run.snapshotCount);
      expect(last.error?.message).toMatch(/step limit exceeded: 50 step executions/);
    });
  });

  describe('state changes as patches', () => {
    it('keeps both changes when parallel steps change different paths of one object, as plain JSON', async () => {
      const run = await service.waitForRun((await service.startRun('patches', {})).id);
      expect(run.status).toBe('completed');
      const last = await service.getSnapshot(run.id, run.snapshotCount);
      expect(last.state.order).toEqual({ a: 1, b: 2, when: '1970-01-01T00:00:00.000Z' });
      expect(last.steps.done.output).toEqual(last.state.order);
    });

    it('fails the later step, naming the path, when another parallel step removed what it changed', async () => {
      const run = await service.waitForRun((await service.startRun('patches', { input: { conflict: true } })).id);
      expect(run.status).toBe('failed');
      const last = await service.getSnapshot(run.id, run.snapshotCount);
      expect(last.steps.right.error).toMatchObject({ name: 'StateConflictError', retryable: false });
      expect(last.steps.right.error?.message).toContain('state/order/b');
      expect(last.state).not.toHaveProperty('order');
    });
  });

  describe('named snapshots', () => {
    it('freezes a version with a config and input, runs it by name even after the file changed, and runs the newest of a workflow', async () => {
      const first = await service.createNamedSnapshot('three-items', { workflowId: 'loop', input: { count: 3, spin: 1 } });
      const frozen = first.workflowVersion;
      // The file changes: a new latest version whose seed makes a single item.
      const file = join(workspaceDir, 'loop.workflow.ts');
      const original = (await import('node:fs')).readFileSync(file, 'utf8');
      writeFileSync(file, original.replace('length: input?.count ?? 3', 'length: 1'));
      await service.reloadWorkspace();
      const latest = (await service.listWorkflows()).workflows.find((w) => w.id === 'loop')!;
      expect(latest.version).not.toBe(frozen);
      const byName = await service.waitForRun((await service.runNamedSnapshot({ name: 'three-items' })).id);
      expect(byName).toMatchObject({ status: 'completed', workflowVersion: frozen });
      expect((await service.getSnapshot(byName.id, byName.snapshotCount)).state.items).toHaveLength(3);
      await service.createNamedSnapshot('one-item', { workflowId: 'loop', input: { count: 1, spin: 1 } });
      expect((await service.listNamedSnapshots('loop')).map((n) => n.name)).toEqual(['one-item', 'three-items']);
      const newest = await service.waitForRun((await service.runNamedSnapshot({ workflowId: 'loop' })).id);
      expect(newest.workflowVersion).toBe(latest.version);
      expect(await service.deleteNamedSnapshot('three-items')).toMatchObject({ name: 'three-items' });
      await expect(service.runNamedSnapshot({ name: 'three-items' })).rejects.toThrow('no named snapshot "three-items"');
      writeFileSync(file, original);
      await service.reloadWorkspace();
    });
  });

  describe('retention', () => {
    it('keeps everything by default; prune by last N keeps each finished run readable from its first kept snapshot', async () => {
      expect(await service.getRetention()).toEqual({ keep: 'all' });
      const run = await service.waitForRun((await service.startRun('loop', { input: { count: 10, spin: 1 } })).id);
      const before = await service.getSnapshot(run.id, run.snapshotCount - 2);
      const report = await service.prune({ keep: 'last', count: 3 });
      expect(report.runs).toBeGreaterThanOrEqual(1);
      expect(report.snapshots).toBeGreaterThan(0);
      expect(report.bytes).toBeGreaterThan(0);
      const after = await service.getRun(run.id);
      expect(after.snapshotCount).toBe(3);
      expect(await service.getSnapshot(run.id, run.snapshotCount - 2)).toEqual(before);
      await expect(service.getSnapshot(run.id, 1)).rejects.toThrow(`run ${run.id} has no snapshot #1: it was pruned`);
      expect((await service.listSnapshots(run.id, {})).items.map((s) => s.seq)).toEqual([run.snapshotCount - 2, run.snapshotCount - 1, run.snapshotCount]);
    });

    it('applies the stored setting to runs as they finish; older-than removes what came before the date', async () => {
      await service.setRetention({ keep: 'last', count: 2 });
      const run = await service.waitForRun((await service.startRun('loop', { input: { count: 2, spin: 1 } })).id);
      await new Promise((r) => setTimeout(r, 100));
      expect((await service.getRun(run.id)).snapshotCount).toBe(2);
      await service.setRetention({ keep: 'all' });
      const other = await service.waitForRun((await service.startRun('loop', { input: { count: 2, spin: 1 } })).id);
      const report = await service.prune({ keep: 'newer', before: new Date(Date.now() + 60_000).toISOString() });
      expect(report.snapshots).toBeGreaterThan(0);
      // Everything was older than the date, and still each run keeps its last snapshot.
      expect((await service.getRun(other.id)).snapshotCount).toBe(1);
      expect((await service.getSnapshot(other.id, other.snapshotCount)).status).toBe('completed');
    });
  });
});
