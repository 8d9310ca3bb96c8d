// `import --follow`: a person follows a production LangGraph checkpoint file from their laptop; another
// process (here, the test) runs the graph on, and the follower imports the new checkpoints as new snapshots
// of the same run, until it is stopped.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Store } from '../../../../src-main/core/store/store';
import { continueThread, withSqliteSaver } from '../../../fixtures/langgraph/generate';
import { repoRoot, tempDir } from '../../../support/tmp';

it('imports new checkpoints written by another process while it follows, and stops on SIGTERM', async () => {
  const dir = tempDir('studio-follow-');
  const source = join(dir, 'prod.db');
  await withSqliteSaver(source, (saver) => continueThread(saver, 'live-1', 'otters'));
  const child = spawn(process.execPath, [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), join(repoRoot, 'src-main/cli/main.ts'), 'import', '--follow', source, '--interval', '200ms', '--json', '--db', join(dir, 'studio.db')], { cwd: dir });
  const lines: { runs: number; extended?: number }[] = [];
  let stderr = '';
  const waiters: (() => void)[] = [];
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
      lines.push(JSON.parse(buffered.slice(0, nl)));
      buffered = buffered.slice(nl + 1);
    }
    waiters.splice(0).forEach((w) => w());
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const until = async (ok: () => boolean) => {
    while (!ok()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  try {
    await until(() => lines.length >= 1);
    expect(lines[0].runs).toBe(1);
    const wrote = Date.now();
    await withSqliteSaver(source, (saver) => continueThread(saver, 'live-1', 'beavers'));
    await until(() => lines.some((l) => l.extended === 1));
    process.stderr.write(`import --follow: a new checkpoint arrived ${Date.now() - wrote} ms after it was written (interval 200 ms)\n`);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited, stderr).toBe(0);
  const store = Store.open(join(dir, 'studio.db'));
  try {
    expect(store.sync.read.latestSnapshot('langgraph-live-1')!.state.topic).toBe('beavers');
    expect(store.sync.read.listRuns()).toHaveLength(1);
  } finally {
    store.close();
  }
});
