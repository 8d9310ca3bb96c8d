// A run's step thread is kept for the next run of the same module (a thread and its first evaluation of the
// module cost ~0.1 s of CPU a run): the next run gets the module evaluated afresh in it, and a thread the last
// run left work running in (a timer) is never handed on.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import type { Json } from '../../../src-main/shared/snapshot';
import { repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir();
const workspaceDir = join(dir, 'workspace');
mkdirSync(workspaceDir);
writeFileSync(
  join(workspaceDir, 'warm.workflow.ts'),
  `import { threadId } from 'node:worker_threads';
import { defineWorkflow } from 'snapshot-studio/sdk';
// A top-level variable: each run must see it start over, as in a thread of its own.
let calls = 0;
export default defineWorkflow<{ n: number }, { leaveTimer?: boolean }>({
  id: 'warm',
  steps: {
    only: {
      run: ({ config }) => {
        calls++;
        console.log('step ran');
        if (config.leaveTimer) setTimeout(() => undefined, 60_000);
        return { thread: threadId, calls };
      },
    },
  },
});
`,
);

async function outputOf(service: StudioService, config: Json = {}): Promise<{ thread: number; calls: number }> {
  const run = await service.waitForRun((await service.startRun('warm', { input: { n: 1 }, config })).id);
  expect(run.status).toBe('completed');
  return (await service.getSnapshot(run.id, run.lastSeq)).steps.only.output as { thread: number; calls: number };
}

describe('step threads kept between runs', () => {
  it('runs the next run of a module in the thread the last one used, with the module evaluated afresh', async () => {
    const service = await StudioService.open({ dbPath: join(dir, 'reuse.db'), workspaceDir, appRoot: repoRoot });
    try {
      const first = await outputOf(service);
      const second = await outputOf(service);
      const third = await outputOf(service);
      expect(second.thread).toBe(first.thread);
      expect(third.thread).toBe(first.thread);
      // Not the module's second and third run in one evaluation: its top-level variable started over each time.
      expect([first.calls, second.calls, third.calls]).toEqual([1, 1, 1]);
    } finally {
      await service.close();
    }
  });

  it('never hands on a thread the last run left a timer running in', async () => {
    const service = await StudioService.open({ dbPath: join(dir, 'leftover.db'), workspaceDir, appRoot: repoRoot });
    try {
      const leaving = await outputOf(service, { leaveTimer: true });
      const next = await outputOf(service);
      expect(next.thread).not.toBe(leaving.thread);
      // And the thread that next run left clean is handed on again.
      expect((await outputOf(service)).thread).toBe(next.thread);
    } finally {
      await service.close();
    }
  });
});
