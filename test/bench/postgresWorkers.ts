// The workers part of the PostgreSQL benchmark: RUNS detached runs of a short workflow (a step that waits 300 ms,
// as on an API, then one that saves) drained from one database by one `snapshot-studio worker` process, then by
// three (each as its own host), rounds interleaved, the median of each. The runs wait in the database before the
// workers start; timed from the first worker up to the last run completed.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { StudioService } from '../../src-main/core/studio';
import { createDatabase } from '../support/postgresServer';
import type { BenchRow } from './report';

const RUNS = 30;
const ROUNDS = 3;
const STEP_WAIT_MS = 300;
const root = resolve(import.meta.dirname, '../..');
const cliBin = join(root, 'src-main/cli/bin.mjs');

const WORKFLOW = `import { defineWorkflow } from 'snapshot-studio/sdk';
export default defineWorkflow<{ n: number }>({
  id: 'bench-worker',
  steps: {
    fetch: { run: async ({ input }) => { await new Promise((r) => setTimeout(r, ${STEP_WAIT_MS})); return { n: input.n }; } },
    save: { needs: ['fetch'], run: ({ state, results }) => { state.saved = (results.fetch as { n: number }).n; } },
  },
});
`;

/** Waits until `check` holds, asking again every `everyMs`; fails after `ms`. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 120_000, everyMs = 20): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`workers bench: timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

interface Worker {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

function startWorker(db: string, cwd: string, host: string, concurrency: number): Worker {
  const child = spawn(process.execPath, [cliBin, 'worker', '--db', db, '--concurrency', String(concurrency), '--interval', '100ms'], {
    cwd,
    env: { ...process.env, SNAPSHOT_STUDIO_HOST: host },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, exited, stderr: () => err };
}

/** CPU time (user + system) a live process has used so far, in ms (Linux: /proc/<pid>/stat). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Drains RUNS runs with `count` worker processes of `concurrency` on a fresh database: the wall time and the workers' CPU time, in ms. */
async function drain(server: { url: string }, workspaceDir: string, count: number, concurrency: number): Promise<{ ms: number; cpuMs: number }> {
  const db = await createDatabase(server, `bench_workers_${count}`);
  const sql = new pg.Client({ connectionString: db });
  const starter = await StudioService.open({ db, workspaceDir, appRoot: root });
  const workers: Worker[] = [];
  try {
    await sql.connect();
    // The runs wait first (detached: left to workers), so the workers' pace is measured, not the handing over.
    for (let n = 0; n < RUNS; n++) await starter.startRun('bench-worker', { input: { n }, detach: true });
    for (let w = 0; w < count; w++) workers.push(startWorker(db, workspaceDir, `bench-host-${w}`, concurrency));
    await until('a worker is up', () => workers.some((w) => w.stderr().includes('driving up to')), 120_000, 5);
    const started = performance.now();
    const completed = async () => Number((await sql.query(`SELECT count(*) AS n FROM runs WHERE status = 'completed'`)).rows[0].n);
    await until(`all ${RUNS} runs completed`, async () => {
      const dead = workers.find((w) => w.child.exitCode !== null);
      if (dead) throw new Error(`a worker exited early:\n${dead.stderr()}`);
      return (await completed()) === RUNS;
    });
    const ms = performance.now() - started;
    return { ms, cpuMs: workers.reduce((sum, w) => sum + cpuMsOf(w.child.pid!), 0) };
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await starter.close();
    await sql.end();
  }
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round1 = (n: number) => Math.round(n * 10) / 10;

export async function workerRows(server: { url: string }, log: (line: string) => void): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pg-workers-'));
  try {
    const workspaceDir = join(dir, 'workspace');
    mkdirSync(workspaceDir);
    writeFileSync(join(workspaceDir, 'benchWorker.workflow.ts'), WORKFLOW);
    const rows: BenchRow[] = [];
    const notes: string[] = [];
    // Each worker's default concurrency (4), then one run at a time per worker: the processes alone.
    for (const concurrency of [4, 1]) {
      const drained: Record<1 | 3, { ms: number; cpuMs: number }[]> = { 1: [], 3: [] };
      for (let r = 1; r <= ROUNDS; r++) {
        for (const count of [1, 3] as const) {
          log(`postgres: ${RUNS} runs drained by ${count} worker(s) of --concurrency ${concurrency}, round ${r}/${ROUNDS}`);
          drained[count].push(await drain(server, workspaceDir, count, concurrency));
        }
      }
      const rate = (count: 1 | 3) => round1(RUNS / (median(drained[count].map((d) => d.ms)) / 1000));
      const [one, three] = [rate(1), rate(3)];
      rows.push(
        { name: `workers (--concurrency ${concurrency}): ${RUNS} runs drained by 1 worker process`, value: one, unit: 'runs/s' },
        { name: `workers (--concurrency ${concurrency}): the same by 3 worker processes`, value: three, unit: 'runs/s', baseline: { name: '1 worker', value: one }, target: '≥ 2× one worker', pass: three >= 2 * one },
      );
      const all = (count: 1 | 3) => drained[count].map((d) => `${Math.round(d.ms)} ms (CPU ${Math.round(d.cpuMs / RUNS)} ms/run)`).join(' / ');
      notes.push(`Workers, --concurrency ${concurrency}: 1 worker ${all(1)}; 3 workers ${all(3)}.`);
    }
    notes.unshift(
      `Workers: ${RUNS} detached runs of a two-step workflow (a step waiting ${STEP_WAIT_MS} ms, then one saving) per drain, on a fresh database each; \`snapshot-studio worker --concurrency N --interval 100ms\`, each worker process as its own host; the runs wait before the workers start, timed from the first worker up to the last run completed; median of ${ROUNDS} interleaved rounds. CPU: the worker processes' own (start-up included), per run drained.`,
    );
    return { rows, notes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
