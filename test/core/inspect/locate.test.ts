// What the debugger asks core to find: a step's snapshots, the snapshot that changed a path, a step's logs.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import { valueAt } from '../../../src-main/core/inspect/locate';
import { dispatchApiCall } from '../../../src-main/shared/schemas';
import { examplesDir, repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir();
let service: StudioService;
let runId: string;

beforeAll(async () => {
  service = await StudioService.open({ dbPath: join(dir, 'studio.db'), workspaceDir: examplesDir, appRoot: repoRoot });
  runId = (await service.waitForRun((await service.startRun('orders-linear', {})).id)).id;
});
afterAll(() => service.close());

describe('locating snapshots for the debugger', () => {
  it('finds the first and the last snapshot a step made, and null for a step that made none', async () => {
    const items = (await service.listSnapshots(runId, {})).items;
    const ship = items.filter((s) => s.stepId === 'ship').map((s) => s.seq);
    expect(await service.findStepSnapshot(runId, 'ship', 'first')).toBe(ship[0]);
    expect(await service.findStepSnapshot(runId, 'ship', 'last')).toBe(ship.at(-1));
    expect(await service.findStepSnapshot(runId, 'nope', 'last')).toBeNull();
    await expect(service.findStepSnapshot('no-such-run', 'ship', 'last')).rejects.toMatchObject({ code: 'E_NO_RUN' });
  });

  it('names the snapshot that first changed a path, within a range when given one', async () => {
    const started = await service.findStepSnapshot(runId, 'ship', 'first');
    const completed = await service.findStepSnapshot(runId, 'ship', 'last');
    // ship's status goes pending → running at its start, running → completed at its end.
    expect(await service.firstChange(runId, '/steps/ship/status', {})).toBe(started);
    expect(await service.firstChange(runId, '/steps/ship/status', { from: started! })).toBe(completed);
    expect(await service.firstChange(runId, '/input', {})).toBeNull();
    expect(await service.firstChange(runId, '/state/shipped', {})).toBe(completed);
  });

  it('lists a run’s logs, or one step’s', async () => {
    const all = await service.listLogs(runId, {});
    expect(all.map((l) => l.message)).toContain('order validated');
    expect(await service.listLogs(runId, { stepId: 'ship' })).toEqual([]);
    expect((await service.listLogs(runId, { stepId: 'validate' }))[0]).toMatchObject({ stepId: 'validate', data: { items: 2 } });
  });

  it('refuses a path that is not a JSON pointer before core sees it', async () => {
    await expect(dispatchApiCall(service, 'firstChange', [runId, 'steps.ship', {}])).rejects.toMatchObject({ code: 'E_BAD_ARGUMENT' });
  });

  it('reads JSON pointers with escaped segments and array indexes', () => {
    expect(valueAt({ 'a/b': { '~x': [1, 2] } }, '/a~1b/~0x/1')).toBe(2);
    expect(valueAt({ a: 1 }, '/')).toEqual({ a: 1 });
    expect(valueAt({ a: 1 }, '/b/c')).toBeUndefined();
  });
});
