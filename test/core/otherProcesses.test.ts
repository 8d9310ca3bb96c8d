// Runs written by another process (the CLI, an import that follows a source, a worker on another host) are
// announced to this one's shells as run-updated, so an open window shows them without a reload: on SQLite by
// the file's data_version, on PostgreSQL by LISTEN on the channel a trigger notifies.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../src-main/core/studio';
import type { StudioEvent } from '../../src-main/shared/api';
import { cliBin } from '../support/cli';
import { storeProviders } from '../support/providers';
import { examplesDir, repoRoot, tempDir } from '../support/tmp';

const dir = tempDir('studio-other-processes-');

describe.each(storeProviders())('writes of another process, on $name', (provider) => {
  let db: string;
  let service: StudioService;
  const events: StudioEvent[] = [];

  beforeAll(async () => {
    db = await provider.newDatabase();
    service = await StudioService.open({ db, workspaceDir: examplesDir, appRoot: repoRoot });
    service.subscribe((e) => events.push(e));
    service.watchOtherProcesses(50);
  });
  afterAll(() => service.close());

  function cli(...args: string[]): Promise<number | null> {
    const child = spawn(process.execPath, [cliBin, ...args, '--db', db, '--workspace', examplesDir, '--json'], { cwd: dir, stdio: 'ignore' });
    return new Promise((resolve) => child.once('exit', resolve));
  }

  it('announce the run another process ran, up to its end', async () => {
    expect(await cli('run', 'orders-linear')).toBe(0);
    await expect
      .poll(() => events.filter((e) => e.type === 'run-updated' && e.run.status === 'completed').length, { timeout: 10_000 })
      .toBe(1);
    const [run] = await service.listRuns();
    const announced = events.filter((e): e is Extract<StudioEvent, { type: 'run-updated' }> => e.type === 'run-updated').at(-1)!.run;
    expect(announced).toEqual(run);
  });

  it('announce the runs another process imported', async () => {
    const file = join(repoRoot, 'test/fixtures/foreign/refluxo/exec-7f3c.ndjson');
    expect(await cli('import', file)).toBe(0);
    await expect
      .poll(() => events.some((e) => e.type === 'run-updated' && e.run.origin === 'imported'), { timeout: 10_000 })
      .toBe(true);
  });
});
