import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../src-main/core/studio';
import type { StudioEvent } from '../../src-main/shared/api';
import { examplesDir, repoRoot, tempDir } from '../support/tmp';

const dir = tempDir();
let service: StudioService;
const events: StudioEvent[] = [];

beforeAll(async () => {
  service = await StudioService.open({ dbPath: join(dir, 'studio.db'), workspaceDir: examplesDir, appRoot: repoRoot });
  service.subscribe((e) => events.push(e));
});
afterAll(() => service.close());

describe('StudioService over the example workspace', () => {
  it('lists the example workflows with their steps, versions and config schema', async () => {
    const list = await service.listWorkflows();
    expect(list.problems).toEqual([]);
    const linear = list.workflows.find((w) => w.id === 'orders-linear')!;
    expect(linear.steps.map((s) => s.id)).toEqual(['validate', 'price', 'reserve', 'ship']);
    expect(linear.steps.find((s) => s.id === 'ship')).toMatchObject({ needs: ['reserve'], effect: true });
    expect(linear.version).toMatch(/^[0-9a-f]{16}$/);
    expect(linear.configSchema).toMatchObject({ type: 'object', properties: { taxRate: { default: 0.2 } } });
  });

  it('runs the linear workflow to completion, writing a snapshot at start, at each step start and end, and at the end', async () => {
    const started = await service.startRun('orders-linear', { input: { customer: 'grace@example.com' } });
    const run = await service.waitForRun(started.id);
    expect(run.status).toBe('completed');
    const page = await service.listSnapshots(run.id, {});
    expect(page.total).toBe(10);
    expect(page.items.map((s) => `${s.seq}:${s.kind}:${s.stepId ?? ''}`)).toEqual([
      '1:run-started:',
      '2:step-started:validate',
      '3:step-completed:validate',
      '4:step-started:price',
      '5:step-completed:price',
      '6:step-started:reserve',
      '7:step-completed:reserve',
      '8:step-started:ship',
      '9:step-completed:ship',
      '10:run-completed:',
    ]);
    const last = await service.getSnapshot(run.id, 10);
    expect(last).toMatchObject({ schemaVersion: 2, status: 'completed', config: { currency: 'EUR', taxRate: 0.2 } });
    expect(last.steps.validate.output).toMatchObject({ customer: { email: 'grace@example.com' } });
    expect(last.steps.ship.output).toEqual({ carrier: 'DHL', tracking: { number: 'JD0142', parcels: 2 } });
    expect(last.state).toMatchObject({ shipped: true, totals: { subtotal: 89.3 } });
    // Events arrived for every snapshot, in order.
    const seqs = events.filter((e) => e.type === 'snapshot-added' && e.runId === run.id).map((e) => (e as { snapshot: { seq: number } }).snapshot.seq);
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('pages through snapshots with offset and limit', async () => {
    const [run] = await service.listRuns();
    const page = await service.listSnapshots(run.id, { offset: 3, limit: 2 });
    expect(page).toMatchObject({ total: run.snapshotCount, offset: 3, limit: 2 });
    expect(page.items.map((s) => s.seq)).toEqual([4, 5]);
  });

  it('records a failing step with its name, message and stack, and ends the run failed', async () => {
    const run = await service.waitForRun((await service.startRun('payment-fails', { input: { amount: 75 } })).id);
    expect(run.status).toBe('failed');
    const detail = await service.getRun(run.id);
    expect(detail.error?.message).toBe('step "charge" failed: card declined for 75 EUR');
    const failed = (await service.listSnapshots(run.id, {})).items.find((s) => s.kind === 'step-failed')!;
    const doc = await service.getSnapshot(run.id, failed.seq);
    expect(doc.steps.charge.error).toMatchObject({ name: 'Error', message: 'card declined for 75 EUR' });
    expect(doc.steps.charge.error?.stack).toContain('card declined');
    expect(doc.steps.receipt.status).toBe('pending');
    expect((await service.store.read.listLogs(run.id))).toEqual([expect.objectContaining({ stepId: 'charge', message: 'charging card', data: { amount: 75 } })]);
  });

  it('diffs two snapshots of one run and of two runs', async () => {
    const runs = await service.listRuns();
    const linear = runs.find((r) => r.workflowId === 'orders-linear')!;
    const diff = await service.diffSnapshots({ runId: linear.id, seq: 4 }, { runId: linear.id, seq: 5 });
    expect(diff.delta).toBeDefined();
    expect(diff.summary.paths).toContainEqual({ path: '/steps/price/status', op: 'changed' });
    expect(diff.summary.paths).toContainEqual({ path: '/steps/price/output', op: 'added' });
    expect((diff.delta as any).steps.price.status).toEqual(['running', 'completed']);
    const same = await service.diffSnapshots({ runId: linear.id, seq: 4 }, { runId: linear.id, seq: 4 });
    expect(same.delta).toBeUndefined();
    expect(same.summary).toEqual({ added: 0, removed: 0, changed: 0, paths: [] });
    const failing = runs.find((r) => r.workflowId === 'payment-fails')!;
    const across = await service.diffSnapshots({ runId: linear.id, seq: 1 }, { runId: failing.id, seq: 1 });
    expect(across.summary.paths).toContainEqual({ path: '/workflowId', op: 'changed' });
  });

  it('refuses an unknown workflow and a config that does not match the schema, naming the field', async () => {
    await expect(service.startRun('nope', {})).rejects.toThrow(/no workflow with id "nope"/);
    await expect(service.startRun('orders-linear', { config: { taxRate: 'high' } })).rejects.toThrow(/config\.taxRate: .*expected number/);
  });
});

describe('a workspace with broken files', () => {
  it('reports each broken file with its reason (and line where known) while the good one keeps working', async () => {
    const ws = join(dir, 'ws');
    mkdirSync(join(ws, 'nested'), { recursive: true });
    const sdk = "import { defineWorkflow } from 'snapshot-studio/sdk';\n";
    writeFileSync(join(ws, 'good.workflow.ts'), `${sdk}export default defineWorkflow({ id: 'good', steps: { a: { run: () => 1 } } });\n`);
    writeFileSync(join(ws, 'syntax.workflow.ts'), `${sdk}export default defineWorkflow({ id: 'syntax', steps: { a: { run: () => { } } } }\nconst = ;\n`);
    writeFileSync(join(ws, 'nodefault.workflow.js'), `export const x = 1;\n`);
    writeFileSync(join(ws, 'needs.workflow.ts'), `${sdk}export default defineWorkflow({ id: 'needs', steps: { a: { needs: ['ghost'], run: () => 1 } } });\n`);
    writeFileSync(join(ws, 'cycle.workflow.ts'), `${sdk}export default defineWorkflow({ id: 'cycle', steps: { a: { needs: ['b'], run: () => 1 }, b: { needs: ['a'], run: () => 1 } } });\n`);
    writeFileSync(join(ws, 'nested', 'dup.workflow.ts'), `${sdk}export default defineWorkflow({ id: 'good', steps: { z: { run: () => 1 } } });\n`);
    writeFileSync(join(ws, 'throws.workflow.ts'), `throw new Error('config missing at import time');\n`);
    writeFileSync(join(ws, 'not-a-workflow.ts'), `this is ignored`);
    const svc = await StudioService.open({ dbPath: join(dir, 'broken.db'), workspaceDir: ws, appRoot: repoRoot });
    try {
      const list = await svc.listWorkflows();
      expect(list.workflows.map((w) => w.id)).toEqual(['good']);
      const byFile = Object.fromEntries(list.problems.map((p) => [p.file, p]));
      expect(Object.keys(byFile).sort()).toEqual(['cycle.workflow.ts', 'needs.workflow.ts', 'nested/dup.workflow.ts', 'nodefault.workflow.js', 'syntax.workflow.ts', 'throws.workflow.ts']);
      expect(byFile['syntax.workflow.ts']).toMatchObject({ line: 3 });
      expect(byFile['syntax.workflow.ts'].message).toMatch(/syntax\.workflow\.ts:3:\d+: /);
      expect(byFile['nodefault.workflow.js'].message).toMatch(/no default export/);
      expect(byFile['needs.workflow.ts'].message).toBe('workflow "needs": step "a" needs "ghost", which is not a step of this workflow');
      expect(byFile['cycle.workflow.ts'].message).toMatch(/steps form a cycle: a → b → a/);
      expect(byFile['nested/dup.workflow.ts'].message).toMatch(/duplicate workflow id "good": good\.workflow\.ts already defines it/);
      expect(byFile['throws.workflow.ts'].message).toMatch(/config missing at import time/);
      const run = await svc.waitForRun((await svc.startRun('good', {})).id);
      expect(run.status).toBe('completed');
    } finally {
      await svc.close();
    }
  });
});
