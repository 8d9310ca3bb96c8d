// A worker takes a run it claimed in few queries: on PostgreSQL each is a round trip, and the CPU a worker spends per
// run is what bounds how many runs three of them drain on two cores (the PostgreSQL bench's workers rows). Taking
// one reads the run's summary and last snapshot once each; its lease is the one the claim that found it took.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import type { SnapshotStore } from '../../../src-main/core/store/contract';
import { storeProviders } from '../../support/providers';
import { repoRoot } from '../../support/tmp';

const workspace = join(import.meta.dirname, '../fixtures/engine');
const COUNTED = ['getRunSummary', 'latestSnapshot', 'leaseOf'] as const;

/** Counts the calls of a few reads and of claimRun from now on; gives the counts so far. */
function countCalls(store: SnapshotStore): () => Record<string, number> {
  const counts: Record<string, number> = {};
  const wrap = (target: Record<string, unknown>, name: string) => {
    const original = target[name] as (...args: unknown[]) => unknown;
    counts[name] = 0;
    target[name] = (...args: unknown[]) => {
      counts[name]++;
      return original(...args);
    };
  };
  for (const name of COUNTED) wrap(store.read as unknown as Record<string, unknown>, name);
  wrap(store.write as unknown as Record<string, unknown>, 'claimRun');
  return () => ({ ...counts });
}

describe.each(storeProviders())('a worker taking a run on $name', (provider) => {
  it('reads its summary and last snapshot once each, and takes its lease only in the claim', async () => {
    const service = await StudioService.open({ db: await provider.newDatabase(), workspaceDir: workspace, appRoot: repoRoot });
    try {
      // Started detached: written, and left for a worker. Each step then takes long enough that the driver's own
      // reads (a poll for a pause from elsewhere, a lease renewal) come after the worker's turn has ended.
      const run = await service.startRun('slow', { input: { ms: 3000 }, detach: true });
      const counts = countCalls(service.store);
      expect(await service.driveNext(1, 0, new Map())).toEqual([run.id]);
      // Claimed with the others (its lease taken then), read once to see whether it is due, then resumed and driven.
      expect(counts()).toEqual({ getRunSummary: 1, latestSnapshot: 1, leaseOf: 0, claimRun: 0 });
    } finally {
      await service.close();
    }
  });
});
