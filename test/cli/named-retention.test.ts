// Named snapshots, retention and prune from the command line: real processes on one SQLite file.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBin } from '../support/cli';
import { tempDir } from '../support/tmp';

const dir = tempDir();
const db = join(dir, 'named.db');

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [cliBin, ...args, '--db', db], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('snapshot / retention / prune commands', () => {
  it('creates, lists, runs and deletes a named snapshot; a bad config names the field', () => {
    const created = cli('snapshot', 'create', 'eur-order', '--workflow', 'orders-linear', '--config', '{"currency":"EUR"}', '--input', '{"customer":"n@example.com"}', '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'eur-order', workflowId: 'orders-linear', config: { currency: 'EUR' }, input: { customer: 'n@example.com' } });
    const bad = cli('snapshot', 'create', 'bad', '--workflow', 'orders-linear', '--config', '{"currency":5}');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('config.currency');
    expect(cli('snapshot', 'list').stdout).toMatch(/eur-order\s+orders-linear/);
    const ran = cli('snapshot', 'run', 'eur-order', '--json');
    expect(ran.code).toBe(0);
    expect(JSON.parse(ran.stdout).status).toBe('completed');
    expect(JSON.parse(cli('snapshot', 'run', '--workflow', 'orders-linear', '--json').stdout).status).toBe('completed');
    expect(cli('snapshot', 'delete', 'eur-order').stdout).toContain('deleted named snapshot "eur-order"');
    const gone = cli('snapshot', 'run', 'eur-order');
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('no named snapshot "eur-order"');
  });

  it('sets and shows retention, and prune reports what it removed', () => {
    expect(cli('retention').stdout.trim()).toBe('retention: keep all');
    expect(cli('retention', 'last', '0').code).toBe(2);
    expect(cli('retention', 'older-than', '30d', '--json').stdout.trim()).toBe('{"keep":"days","days":30}');
    const pruned = cli('prune', '--keep-last', '2', '--json');
    expect(pruned.code).toBe(0);
    const report = JSON.parse(pruned.stdout);
    expect(report).toMatchObject({ policy: { keep: 'last', count: 2 }, runs: 2 });
    expect(report.snapshots).toBe(2 * (10 - 2));
    expect(JSON.parse(cli('runs', '--json').stdout).map((r: { snapshotCount: number }) => r.snapshotCount)).toEqual([2, 2]);
  });
});
