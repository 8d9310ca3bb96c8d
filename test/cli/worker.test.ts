// Runs that survive host loss, tested as a deploy would break them: three `snapshot-studio worker` processes (each
// as its own host) on one PostgreSQL database share 60 runs of a workflow with a durable sleep and a flaky step;
// one worker is SIGKILLed mid-run, then another. Every run completes, no completed step is recorded twice, no seq
// is duplicated or skipped, and the dead workers' runs are taken over only once their leases expired.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { StudioService } from '../../src-main/core/studio';
import { cliBin, cliIn } from '../support/cli';
import { createDatabase, describePostgres } from '../support/postgres';
import { repoRoot, tempDir } from '../support/tmp';

const RUNS = 60;
const LEASE_MS = 3000;
const workspaceDir = join(import.meta.dirname, 'fixtures/worker');
const dir = tempDir('studio-worker-');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

interface Worker {
  child: ChildProcess;
  host: string;
  exited: Promise<number | null>;
  stderr: () => string;
}

function startWorker(db: string, host: string): Worker {
  const child = spawn(process.execPath, [cliBin, 'worker', '--db', db, '--concurrency', '4', '--interval', '200ms'], {
    cwd: dir,
    env: { ...process.env, SNAPSHOT_STUDIO_HOST: host, SNAPSHOT_STUDIO_LEASE_MS: String(LEASE_MS) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, host, exited, stderr: () => err };
}

/** Waits until `check` holds, reading again every 100 ms; fails after `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describePostgres('snapshot-studio worker on PostgreSQL', (server) => {
  it('finishes every run when two of three workers are SIGKILLed mid-run, each run driven once at a time', async () => {
    const db = await createDatabase(server, 'workers');
    const sql = new pg.Pool({ connectionString: db });
    try {
      // 60 runs started and handed to workers (run --detach does the same from the CLI).
      const starter = await StudioService.open({ db, workspaceDir, appRoot: repoRoot });
      const ids: string[] = [];
      try {
        for (let n = 0; n < RUNS; n++) ids.push((await starter.startRun('deploy', { input: { n }, detach: true })).id);
      } finally {
        await starter.close();
      }
      const completed = async () => Number((await sql.query(`SELECT count(*) AS n FROM runs WHERE status = 'completed'`)).rows[0].n);
      const held = async (host: string) =>
        (await sql.query<{ id: string; expires: string }>(`SELECT id, lease_expires_at AS expires FROM runs WHERE lease_owner LIKE $1 AND status <> 'completed'`, [`${host}/%`])).rows;

      const workers = ['host-a', 'host-b', 'host-c'].map((h) => startWorker(db, h));
      // Kill a worker while it holds runs mid-flight: remember which, and until when their leases ran.
      const orphaned = new Map<string, number>();
      const kill = async (w: Worker, after: number) => {
        await until(`${after} runs completed and ${w.host} holds a run`, async () => (await completed()) >= after && (await held(w.host)).length > 0);
        w.child.kill('SIGKILL');
        await w.exited;
        for (const r of await held(w.host)) orphaned.set(r.id, Number(r.expires));
      };
      await kill(workers[0], 8);
      await kill(workers[1], 25);
      expect(orphaned.size).toBeGreaterThan(0);
      await until('every run completed', async () => (await completed()) === RUNS);

      for (const id of ids) {
        const rows = (await sql.query<{ seq: string; kind: string; step_id: string | null; at: string }>('SELECT seq, kind, step_id, at FROM snapshots WHERE run_id = $1 ORDER BY seq', [id])).rows;
        // No seq duplicated or skipped: 1..last_seq, each once.
        expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i + 1));
        // No completed step recorded twice.
        const completions = rows.filter((r) => r.kind === 'step-completed').map((r) => r.step_id);
        expect(completions.sort(), id).toEqual(['build', 'flaky', 'nap', 'ship']);
        const expiredAt = orphaned.get(id);
        if (expiredAt !== undefined) {
          // Taken over by a live worker once the dead one's lease expired, not before (the database's clock).
          const resumedAt = rows.filter((r) => r.kind === 'resumed').map((r) => Date.parse(r.at));
          expect(resumedAt.some((t) => t >= expiredAt - 50), `run ${id} resumed after ${new Date(expiredAt).toISOString()}`).toBe(true);
        }
      }
      // The live worker gives each lease back once its run ended (just after its last snapshot); only a worker
      // killed between a run's last snapshot and that release leaves one, on a run that is over.
      const liveLeases = `SELECT count(*) AS n FROM runs WHERE lease_owner IS NOT NULL AND lease_owner NOT LIKE 'host-a/%' AND lease_owner NOT LIKE 'host-b/%'`;
      await until('the live worker gave every lease back', async () => Number((await sql.query(liveLeases)).rows[0].n) === 0, 10_000);

      // The last worker stops cleanly on SIGTERM.
      workers[2].child.kill('SIGTERM');
      expect(await workers[2].exited).toBe(0);
      expect(workers[2].stderr()).toMatch(/driving run /);
    } finally {
      await sql.end();
    }
  });

  it('refuses a bad --concurrency, and `run --detach` leaves the run for a worker', async () => {
    const db = await createDatabase(server, 'detach');
    const cli = cliIn(dir);
    const bad = cli('worker', '--db', db, '--concurrency', '0');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--concurrency must be a whole number from 1 to 256, got "0"/);
    // Read-only, a worker could drive nothing: refused at once (exit 2), not on every turn.
    cli('runs', '--db', db);
    const readOnly = cli('worker', '--db', db, '--read-only');
    expect(readOnly.code).toBe(2);
    expect(readOnly.stderr).toMatch(/a worker would write to .*, which is open read-only/);
    const started = cli('run', 'deploy', '--input', '{"n":1}', '--detach', '--json', '--db', db, '--workspace', workspaceDir);
    expect(started.code, started.stderr).toBe(0);
    const { runId, detached } = JSON.parse(started.stdout) as { runId: string; detached: boolean };
    expect(detached).toBe(true);
    const sql = new pg.Pool({ connectionString: db });
    try {
      const row = async () => (await sql.query<{ status: string; lease_owner: string | null }>('SELECT status, lease_owner FROM runs WHERE id = $1', [runId])).rows[0];
      expect(await row()).toMatchObject({ lease_owner: null });
      expect((await row()).status).not.toBe('completed');
      const w = startWorker(db, 'host-d');
      await until('the detached run completed', async () => (await row()).status === 'completed', 30_000);

      // A run that waits for a signal is left alone while it waits; a signal brought by another process with
      // `resume --signal … --detach` hands it back, and the worker finishes it (long before its 60 s skip ends).
      const waiting = JSON.parse(cli('run', 'approve', '--detach', '--json', '--db', db, '--workspace', workspaceDir).stdout) as { runId: string };
      const status = async (id: string) => (await sql.query<{ status: string }>('SELECT status FROM runs WHERE id = $1', [id])).rows[0].status;
      await until('the approval run waits for its signal', async () => (await status(waiting.runId)) === 'waiting', 30_000);
      const signalled = cli('resume', waiting.runId, '--signal', 'go', '--payload', '{"by":"ana"}', '--detach', '--json', '--db', db, '--workspace', workspaceDir);
      expect(signalled.code, signalled.stderr).toBe(0);
      await until('the signalled run completed by the worker', async () => (await status(waiting.runId)) === 'completed', 30_000);
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
    } finally {
      await sql.end();
    }
  });
});
