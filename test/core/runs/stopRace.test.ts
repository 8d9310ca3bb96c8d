// A pause or cancel that arrives while the driver is finishing its last write (the run has just come to
// rest waiting for a signal, and the window shows "waiting") must still stop the run: the driver that no
// longer loops cannot act on the request, so the stop is written directly once that driver is gone.
import { describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import { storeProviders, type Provider } from '../../support/providers';
import { examplesDir, repoRoot } from '../../support/tmp';

/**
 * Starts human-approval and calls `stop` the moment its driver writes its last snapshot: the cooling-off sleep
 * has ended and only the signal is awaited (the driver ends; the window shows "waiting" and a person clicks at
 * once). Gives the run id, what `stop` gave (or threw), and the run's latest status after it.
 */
async function stopAtRest(provider: Provider, stop: (service: StudioService, runId: string) => Promise<unknown>): Promise<{ outcome: unknown; status: string | undefined }> {
  const service = await StudioService.open({ db: await provider.newDatabase(), workspaceDir: examplesDir, appRoot: repoRoot });
  try {
    let stopping: Promise<unknown> | undefined;
    const unsubscribe = service.subscribe((event) => {
      if (event.type === 'snapshot-added' && event.snapshot.status === 'waiting' && event.snapshot.stepId === 'coolingOff' && event.snapshot.stepStatus === 'completed' && !stopping) {
        stopping = stop(service, event.runId).catch((err: unknown) => err);
      }
    });
    const { id } = await service.startRun('human-approval', {});
    await expect.poll(() => stopping, { timeout: 10_000 }).toBeDefined();
    const outcome = await stopping;
    unsubscribe();
    return { outcome, status: (await service.store.read.latestSnapshot(id))?.status };
  } finally {
    await service.close();
  }
}

describe.each(storeProviders())('stop racing the driver’s end on $name', (provider) => {
  it('cancels a run whose driver is writing its waiting snapshot when the cancel arrives', async () => {
    const { outcome, status } = await stopAtRest(provider, (service, runId) => service.cancel(runId));
    expect((outcome as { status: string }).status).toBe('cancelled');
    expect(status).toBe('cancelled');
  });

  it('pauses a run whose driver is writing its waiting snapshot when the pause arrives, or says it is waiting', async () => {
    const { outcome, status } = await stopAtRest(provider, (service, runId) => service.pause(runId));
    // A waiting run is not paused (pause is for running steps): the refusal says so instead of a silent no-op.
    expect((outcome as { code?: string }).code).toBe('E_NOT_RUNNING');
    expect(status).toBe('waiting');
  });
});
