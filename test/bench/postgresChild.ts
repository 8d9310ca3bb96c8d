// One system of the PostgreSQL benchmark, in its own process:
//   node --import tsx test/bench/postgresChild.ts <floor|ours|langgraph> <database URL> <dir> <steps>
// The engine workload (engineWorkload.ts), a checkpoint per step into the given (fresh) database: the floor
// inserts the state JSON with the `pg` client, ours runs the workflow with the store on the URL, LangGraph.js
// uses its Postgres checkpointer from .bench-cache/langgraph-postgres. Prints one JSON line of measures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { BENCH_WORKFLOW_ID, benchWorkflowSource, makeItems, percentile, tick, type BenchItem } from './engineWorkload';

export interface PgChildResult {
  system: string;
  steps: number;
  totalMs: number;
  perStepUs: number;
  /** CPU time of this process (all threads) per step; the server's is not in it. */
  cpuPerStepUs: number;
  snapshots: number;
  /** pg_total_relation_size (table, TOAST, indexes) of the system's tables. */
  tableBytes: number;
  bytesPerSnapshot: number;
  /** Reads of random snapshots of the run, each alone, in µs. */
  readMedianUs: number;
  readP95Us: number;
  reads: number;
  /** A bare round trip to the server (SELECT 1) from the same process, as often as the reads: what the machine adds to every read. */
  roundTripMedianUs: number;
  roundTripP95Us: number;
}

export const LANGGRAPH_PG_CACHE = resolve(import.meta.dirname, '../../.bench-cache/langgraph-postgres');
const READS = 200;

const now = () => performance.now();
const rand = (n: number) => Math.floor(Math.random() * n);

async function tableBytes(url: string, tables: string[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ bytes: string }>('SELECT SUM(pg_total_relation_size(t::regclass)) AS bytes FROM unnest($1::text[]) AS t', [tables]);
    return Number(r.rows[0].bytes);
  } finally {
    await client.end();
  }
}

async function timeReads(count: number, pick: () => number, read: (k: number) => Promise<unknown>): Promise<Pick<PgChildResult, 'readMedianUs' | 'readP95Us' | 'reads'>> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const k = pick();
    const t = now();
    await read(k);
    times.push((now() - t) * 1000);
  }
  return { readMedianUs: percentile(times, 0.5), readP95Us: percentile(times, 0.95), reads: count };
}

/** Times READS bare round trips on a connection of its own. */
async function roundTrips(url: string): Promise<Pick<PgChildResult, 'roundTripMedianUs' | 'roundTripP95Us'>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const times = (await timeReads(READS, () => 0, () => client.query('SELECT 1')));
    return { roundTripMedianUs: times.readMedianUs, roundTripP95Us: times.readP95Us };
  } finally {
    await client.end();
  }
}

type Measured = Omit<PgChildResult, 'system' | 'perStepUs' | 'cpuPerStepUs' | 'bytesPerSnapshot' | 'roundTripMedianUs' | 'roundTripP95Us'> & { cpuUs: number };

async function floor(url: string, steps: number): Promise<Measured> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE TABLE checkpoints (run_id TEXT NOT NULL, step INTEGER NOT NULL, state TEXT NOT NULL, PRIMARY KEY (run_id, step))');
  const state = { items: makeItems(), n: 0 };
  const cpu = process.cpuUsage();
  const t = now();
  for (let i = 1; i <= steps; i++) {
    tick(state);
    await client.query({ name: 'insert', text: 'INSERT INTO checkpoints (run_id, step, state) VALUES ($1, $2, $3)', values: ['run-1', i, JSON.stringify(state)] });
  }
  const totalMs = now() - t;
  const used = process.cpuUsage(cpu);
  const reads = await timeReads(READS, () => 1 + rand(steps), async (k) => {
    const r = await client.query<{ state: string }>({ name: 'get', text: 'SELECT state FROM checkpoints WHERE run_id = $1 AND step = $2', values: ['run-1', k] });
    return JSON.parse(r.rows[0].state) as unknown;
  });
  await client.end();
  return { steps, totalMs, cpuUs: used.user + used.system, snapshots: steps, tableBytes: await tableBytes(url, ['checkpoints']), ...reads };
}

async function ours(url: string, steps: number, dir: string): Promise<Measured> {
  const { StudioService } = await import('../../src-main/core/studio');
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'bench.workflow.ts'), benchWorkflowSource(steps));
  const service = await StudioService.open({ db: url, workspaceDir: workspace, appRoot: resolve('.') });
  const cpu = process.cpuUsage();
  const t = now();
  const run = await service.startRun(BENCH_WORKFLOW_ID, {});
  const done = await service.waitForRun(run.id);
  const totalMs = now() - t;
  const used = process.cpuUsage(cpu);
  if (done.status !== 'completed') throw new Error(`the benchmark run ended ${done.status}`);
  const snapshots = done.snapshotCount;
  // Through the store, as every shell reads: any snapshot of the run, each rebuilt from its keyframe.
  const reads = await timeReads(READS, () => 1 + rand(snapshots), async (k) => {
    const doc = await service.store.read.getSnapshot(run.id, k);
    if (doc.seq !== k) throw new Error(`asked for #${k}, read #${doc.seq}`);
  });
  await service.close();
  return { steps, totalMs, cpuUs: used.user + used.system, snapshots, tableBytes: await tableBytes(url, ['snapshots', 'runs']), ...reads };
}

async function langgraph(url: string, steps: number): Promise<Measured> {
  const req = createRequire(join(LANGGRAPH_PG_CACHE, 'package.json'));
  const load = async (name: string) => import(pathToFileURL(req.resolve(name)).href);
  const { StateGraph, Annotation, START, END } = await load('@langchain/langgraph');
  const { PostgresSaver } = await load('@langchain/langgraph-checkpoint-postgres');
  const saver = PostgresSaver.fromConnString(url);
  await saver.setup();
  const State = Annotation.Root({ items: Annotation(), n: Annotation() });
  type S = { items: BenchItem[]; n: number };
  const graph = new StateGraph(State)
    .addNode('tick', (st: S) => {
      // LangGraph's state is immutable between nodes: a new array with the changed item.
      const items = st.items.slice();
      const i = st.n % 200;
      items[i] = { ...items[i], price: Math.round(items[i].price * 101) / 100 };
      return { items, n: st.n + 1 };
    })
    .addEdge(START, 'tick')
    .addConditionalEdges('tick', (st: S) => (st.n < steps ? 'tick' : END))
    .compile({ checkpointer: saver });
  const config = { configurable: { thread_id: 'run-1' }, recursionLimit: steps + 10 };
  const cpu = process.cpuUsage();
  const t = now();
  await graph.invoke({ items: makeItems(), n: 0 }, config);
  const totalMs = now() - t;
  const used = process.cpuUsage(cpu);
  const ids: string[] = [];
  for await (const c of saver.list({ configurable: { thread_id: 'run-1' } })) ids.push(c.config.configurable.checkpoint_id);
  const reads = await timeReads(READS, () => rand(ids.length), async (k) => {
    const tuple = await saver.getTuple({ configurable: { thread_id: 'run-1', checkpoint_ns: '', checkpoint_id: ids[k] } });
    if (!tuple) throw new Error(`no checkpoint ${ids[k]}`);
  });
  await saver.end();
  return { steps, totalMs, cpuUs: used.user + used.system, snapshots: ids.length, tableBytes: await tableBytes(url, ['checkpoints', 'checkpoint_blobs', 'checkpoint_writes']), ...reads };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [system, url, dir, stepsArg] = process.argv.slice(2);
  const steps = Number(stepsArg);
  const systems = { floor: () => floor(url, steps), ours: () => ours(url, steps, dir), langgraph: () => langgraph(url, steps) } as const;
  const measure = systems[system as keyof typeof systems];
  if (!measure) throw new Error(`unknown system "${system}" (floor, ours or langgraph)`);
  const { cpuUs, ...m } = await measure();
  const out: PgChildResult = { system, ...m, ...(await roundTrips(url)), perStepUs: (m.totalMs * 1000) / steps, cpuPerStepUs: cpuUs / steps, bytesPerSnapshot: m.tableBytes / m.snapshots };
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
}
