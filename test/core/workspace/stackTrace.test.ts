// Stack traces point at the user's file and line: a step that throws is stored with a stack whose frames
// read `<file>.workflow.ts:<line>:<col>` (relative to the workspace), not the worker's eval'd bundle; a
// retry with the original version maps through that version's stored bundle; imported stacks stay as they came.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import type { StepError } from '../../../src-main/shared/snapshot';
import { repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir();
const ws = join(dir, 'ws');
const file = join(ws, 'invoice.workflow.ts');
const helper = join(ws, 'lib', 'money.ts');

/** The workflow, with `padding` blank lines before its code so its throw moves down the file. */
const workflowSource = (padding: number) =>
  `${'\n'.repeat(padding)}import { defineWorkflow } from 'snapshot-studio/sdk';
import { mustBePositive } from './lib/money';

export default defineWorkflow({
  id: 'invoice',
  steps: {
    total: {
      run: ({ input }: { input: { amount: number } }) => {
        const amount = input.amount * 2;
        if (amount < 0) throw new Error('invoice total is negative: ' + amount);
        return amount;
      },
    },
    check: {
      needs: ['total'],
      run: ({ results }: { results: { total: number } }) => mustBePositive(results.total - 1000),
    },
  },
});
`;

const helperSource = `export function mustBePositive(n: number): number {
  if (n <= 0) throw new RangeError('not positive: ' + n);
  return n;
}
`;

/** "line:column" (1-based) of `needle` in `text`. */
function where(text: string, needle: string): string {
  const at = text.indexOf(needle);
  const before = text.slice(0, at).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

let service: StudioService;

beforeAll(async () => {
  mkdirSync(join(ws, 'lib'), { recursive: true });
  writeFileSync(file, workflowSource(0));
  writeFileSync(helper, helperSource);
  service = await StudioService.open({ dbPath: join(dir, 'stack.db'), workspaceDir: ws, appRoot: repoRoot });
});
afterAll(() => service.close());

async function failedStep(runId: string, stepId: string): Promise<StepError> {
  const run = await service.waitForRun(runId);
  expect(run.status).toBe('failed');
  const doc = await service.getSnapshot(run.id, run.lastSeq);
  const error = doc.steps[stepId].error;
  expect(error).toBeDefined();
  return error!;
}

const frames = (stack: string) => stack.split('\n').filter((l) => /^\s+at /.test(l));

describe('stack traces of a failed step', () => {
  let firstRun = '';

  it('name the workflow file, line and column in the stored stack, with no [worker eval] text', async () => {
    const run = await service.startRun('invoice', { input: { amount: -5 } });
    firstRun = run.id;
    const error = await failedStep(run.id, 'total');
    expect(error.message).toBe('invoice total is negative: -10');
    expect(error.stack).toMatch(/^Error: invoice total is negative: -10\n/);
    expect(frames(error.stack!)[0]).toMatch(new RegExp(`^\\s+at .*\\(invoice\\.workflow\\.ts:${where(workflowSource(0), 'new Error(')}\\)$`));
    expect(error.stack).not.toContain('[worker eval]');
    expect(error.stack).not.toContain('<anonymous>:');
  });

  it('name a workspace helper file the step called, then the workflow file', async () => {
    const run = await service.startRun('invoice', { input: { amount: 3 } });
    const error = await failedStep(run.id, 'check');
    const [first, second] = frames(error.stack!);
    expect(first).toMatch(new RegExp(`\\(lib/money\\.ts:${where(helperSource, 'new RangeError(')}\\)$`));
    expect(second).toMatch(new RegExp(`\\(invoice\\.workflow\\.ts:${where(workflowSource(0), 'mustBePositive(results')}\\)$`));
  });

  it('map a retry with the original version through the stored bundle after the file changed', async () => {
    writeFileSync(file, workflowSource(3));
    await service.reloadWorkspace();
    const latest = await failedStep((await service.retry(firstRun, { version: 'latest' })).id, 'total');
    expect(frames(latest.stack!)[0]).toContain(`(invoice.workflow.ts:${where(workflowSource(3), 'new Error(')})`);
    const original = await failedStep((await service.retry(firstRun, { version: 'original' })).id, 'total');
    expect(frames(original.stack!)[0]).toContain(`(invoice.workflow.ts:${where(workflowSource(0), 'new Error(')})`);
  });

  it('keep an imported run’s stack as it came', async () => {
    const summary = await service.importFiles({ files: [join(repoRoot, 'test/fixtures/foreign/temporal/order-failed.json')] });
    expect(summary.runs).toBe(1);
    const imported = (await service.listRuns()).find((r) => r.origin === 'imported')!;
    const doc = await service.getSnapshot(imported.id, imported.lastSeq);
    const stacks = Object.values(doc.steps).flatMap((s) => (s.error?.stack ? [s.error.stack] : []));
    expect(stacks).toContain('CardDeclined: card declined\n    at charge (activities.ts:30:9)');
  });
});
