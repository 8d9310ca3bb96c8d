// A PostgreSQL server that goes away mid-run (stopped at once, as a crash or a lost host would): the next write
// fails clearly, naming the server, the run stays at its last stored snapshot, and once the server is back the
// run continues from that snapshot to its end, with no snapshot lost, doubled or skipped.
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import { createDatabase, describePostgres } from '../../support/postgres';
import { postgresBinDir, startPostgres, type RunningPostgres } from '../../support/postgresServer';
import { repoRoot } from '../../support/tmp';

const workspaceDir = join(import.meta.dirname, '../fixtures/engine');

describePostgres('a PostgreSQL server lost mid-run', () => {
  // A server of its own: this test stops it, which the test run's shared server must not be.
  let server: RunningPostgres;
  beforeAll(async () => {
    server = await startPostgres(postgresBinDir()!);
  });
  afterAll(() => server?.stop());

  it('fails the write naming the server, then continues the run from its last snapshot after reconnect', async () => {
    const db = await createDatabase(server, 'lost');
    const service = await StudioService.open({ db, workspaceDir, appRoot: repoRoot });
    const said: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (said.push(String(chunk)), true));
    try {
      const run = await service.startRun('slow', { input: { ms: 400 } });
      // Mid-run: s1 done, s2 running.
      await expect.poll(async () => (await service.store.read.getRunSummary(run.id)).lastSeq, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
      server.halt();
      await expect.poll(() => said.join(''), { timeout: 20_000 }).toMatch(new RegExp(`run ${run.id} stopped: lost the connection to PostgreSQL at 127\\.0\\.0\\.1:\\d+`));
      server.restart();
      const stuck = await service.store.read.getRunSummary(run.id);
      expect(stuck.status).toBe('running');
      const before = (await service.listSnapshots(run.id, { limit: 100 })).items;
      expect(before.map((s) => s.seq)).toEqual(before.map((_, i) => i + 1));

      await service.resume(run.id);
      const done = await service.waitForRun(run.id);
      expect(done.status).toBe('completed');
      const after = (await service.listSnapshots(run.id, { limit: 100 })).items;
      expect(after.map((s) => s.seq)).toEqual(after.map((_, i) => i + 1));
      // What was stored before the loss is unchanged; the run went on from its last snapshot.
      expect(after.slice(0, before.length)).toEqual(before);
      expect(after[before.length]).toMatchObject({ kind: 'resumed' });
      const completed = after.filter((s) => s.kind === 'step-completed').map((s) => s.stepId);
      expect(completed).toEqual(['s1', 's2', 's3', 's4', 's5']);
      expect((await service.getSnapshot(run.id, done.lastSeq)).steps.s5.output).toEqual({ total: 5, bonus: 0 });
    } finally {
      stderr.mockRestore();
      await service.close();
    }
  });
});
