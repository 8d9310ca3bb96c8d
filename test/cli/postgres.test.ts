// The CLI pointed at PostgreSQL, as a team would point it at one shared database: `--db` or
// SNAPSHOT_STUDIO_DB takes a postgres:// URL; a URL that does not connect is named with its host and port.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIn } from '../support/cli';
import { freshPgDatabase, pgServerUrl } from '../support/providers';
import { repoRoot, tempDir } from '../support/tmp';

const admin = pgServerUrl();
const dir = tempDir();
const cli = cliIn(dir);

describe.skipIf(!admin)('snapshot-studio on PostgreSQL', () => {
  it('runs a workflow into a postgres:// database and reads it back, with --db or SNAPSHOT_STUDIO_DB', async () => {
    const url = await freshPgDatabase(admin!);
    const run = cli('run', 'orders-linear', '--db', url, '--json');
    expect(run.stderr).toBe('');
    const { runId, status } = JSON.parse(run.stdout);
    expect(status).toBe('completed');
    const tsx = join(repoRoot, 'node_modules/tsx/dist/cli.mjs');
    const runs = spawnSync(process.execPath, [tsx, join(repoRoot, 'src-main/cli/main.ts'), 'runs', '--json'], { cwd: dir, encoding: 'utf8', env: { ...process.env, SNAPSHOT_STUDIO_DB: url } });
    expect(JSON.parse(runs.stdout).map((r: { id: string }) => r.id)).toEqual([runId]);
    const snaps = JSON.parse(cli('snapshots', runId, '--db', url, '--json').stdout) as { seq: number }[];
    expect(snaps.map((s) => s.seq)).toEqual(snaps.map((_, i) => i + 1));
  });

  it('exits 2 naming host, port and the server’s reason when the URL does not connect', () => {
    const url = new URL(admin!);
    url.pathname = '/no_such_database';
    const r = cli('runs', '--db', url.toString());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(`cannot connect to PostgreSQL at 127.0.0.1:${url.port}: database "no_such_database" does not exist`);
  });
});
