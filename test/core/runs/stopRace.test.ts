// A pause or cancel that arrives while the driver is finishing its last write (the run has just come to
// rest waiting for a signal, and the window shows "waiting") must still stop the run: the driver that no
// longer loops cannot act on the request, so the stop is written directly once that driver is gone.
import { describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import { storeProviders } from '../../support/providers';
import { examplesDir, repoRoot } from '../../support/tmp';

describe.each(storeProviders())('stop racing the driver’s end on $name', (provider) => {
  it('cancels a run whose driver is writing its waiting snapshot when the cancel arrives', async () => {
    const service = await StudioService.open({ db: await provider.newDatabase(), workspaceDir: examplesDir, appRoot: repoRoot });
    try {
      let stopping: Promise<unknown> | undefined;
      const unsubscribe = service.subscribe((event) => {
        // The cooling-off sleep has ended and only the signal is awaited: the driver writes this snapshot as
        // its last and ends; the window shows "waiting" and a person clicks at once.
        if (event.type === 'snapshot-added' && event.snapshot.status === 'waiting' && event.snapshot.stepId === 'coolingOff' && event.snapshot.stepStatus === 'completed' && !stopping) {
          stopping = service.cancel(event.runId);
        }
      });
      const { id } = await service.startRun('human-approval', {});
      await expect.poll(() => stopping, { timeout: 10_000 }).toBeDefined();
      const summary = (await stopping) as { status: string };
      unsubscribe();
      expect(summary.status).toBe('cancelled');
      expect((await service.store.read.latestSnapshot(id))?.status).toBe('cancelled');
    } finally {
      await service.close();
    }
  });

  it('pauses a run whose driver is writing its waiting snapshot when the pause arrives, or says it is waiting', async () => {
    const service = await StudioService.open({ db: await provider.newDatabase(), workspaceDir: examplesDir, appRoot: repoRoot });
    try {
      let stopping: Promise<unknown> | undefined;
      const unsubscribe = service.subscribe((event) => {
        if (event.type === 'snapshot-added' && event.snapshot.status === 'waiting' && event.snapshot.stepId === 'coolingOff' && event.snapshot.stepStatus === 'completed' && !stopping) {
          stopping = service.pause(event.runId).catch((err: { code?: string }) => err);
        }
      });
      const { id } = await service.startRun('human-approval', {});
      await expect.poll(() => stopping, { timeout: 10_000 }).toBeDefined();
      const outcome = (await stopping) as { status?: string; code?: string };
      unsubscribe();
      // A waiting run is not paused (pause is for running steps): the refusal says so instead of a silent no-op.
      expect(outcome.code).toBe('E_NOT_RUNNING');
      expect((await service.store.read.latestSnapshot(id))?.status).toBe('waiting');
    } finally {
      await service.close();
    }
  });
});
