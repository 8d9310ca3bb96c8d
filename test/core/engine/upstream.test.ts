// A step's `results` hold the outputs of every step upstream of it, not only of its direct needs; reading a
// step that is not upstream fails the step at once with a message that says what to add.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import { repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir();
let service: StudioService;

beforeAll(async () => {
  service = await StudioService.open({ dbPath: join(dir, 'upstream.db'), workspaceDir: join(import.meta.dirname, '../fixtures/upstream'), appRoot: repoRoot });
});
afterAll(() => service.close());

describe('upstream results', () => {
  it('gives a step the output of a step its need needs (in run and in when)', async () => {
    const run = await service.waitForRun((await service.startRun('payout', {})).id);
    expect(run.status).toBe('completed');
    const last = await service.getSnapshot(run.id, run.lastSeq);
    expect(last.steps.payout).toMatchObject({ status: 'completed', output: { paid: 120, approved: true } });
  });

  it('fails a step that reads a step it does not depend on, saying what to add to needs', async () => {
    const run = await service.waitForRun((await service.startRun('payout', { input: { readAudit: true } })).id);
    expect(run.status).toBe('failed');
    const last = await service.getSnapshot(run.id, run.lastSeq);
    expect(last.steps.payout.error?.message).toBe('results.audit: step "payout" does not depend on "audit"; add it to needs');
    // audit ran (it needs only request): the read is refused because of the graph, not because of timing.
    expect(last.steps.audit.status).toBe('completed');
  });
});
