// A run driven by a process on another host is held by its lease: nobody here may resume or recover it while
// the lease is live; once it expires (that process died, or lost the database) recovery continues the run.
import { describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import { sqlOn, storeProviders } from '../../support/providers';
import { examplesDir, repoRoot } from '../../support/tmp';

describe.each(storeProviders())('run leases on $name', (provider) => {
  it('refuses to continue a run another host holds, and recovers it once that lease expired', async () => {
    const service = await StudioService.open({ db: await provider.newDatabase(), workspaceDir: examplesDir, appRoot: repoRoot });
    try {
      const run = await service.waitForRun((await service.startRun('orders-linear', {})).id);
      expect(run.status).toBe('completed');
      // As a process on another host leaves it mid-run: its last snapshot running, its lease live for an hour.
      const lastSeq = run.lastSeq;
      await sqlOn(service.store, "DELETE FROM snapshots WHERE run_id = ? AND seq > ?", [run.id, lastSeq - 3]);
      const farFuture = Date.now() + 3_600_000;
      await sqlOn(service.store, "UPDATE runs SET status = 'running', last_seq = ?, result = NULL, lease_owner = 'elsewhere/4242/abcd', lease_expires_at = ? WHERE id = ?", [lastSeq - 3, farFuture, run.id]);
      expect(await service.recoverRuns()).toEqual([]);
      await expect(service.resume(run.id)).rejects.toMatchObject({ code: 'E_ALREADY_RUNNING', message: expect.stringContaining('elsewhere/4242/abcd') });

      await sqlOn(service.store, 'UPDATE runs SET lease_expires_at = 0 WHERE id = ?', [run.id]);
      expect(await service.recoverRuns()).toEqual([run.id]);
      const done = await service.waitForRun(run.id);
      expect(done.status).toBe('completed');
      // Finished, it holds no lease.
      expect(await service.store.read.leaseOf(run.id)).toBeNull();
    } finally {
      await service.close();
    }
  });
});
