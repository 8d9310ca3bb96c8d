// One system of the engine benchmark, in its own process so its peak memory is its own:
//   node --expose-gc --import tsx test/bench/engineChild.ts <floor|ours|langgraph|hop> <dir> <steps>
// The workload is the same for each: a state of 200 items {id, name, price, tags, meta} (about 15 KB of
// JSON) and a counter, `steps` sequential steps each changing one item's price, a checkpoint persisted to
// an SQLite file (WAL, synchronous=NORMAL) after every step. Prints one JSON line of measures.
import Database from 'better-sqlite3';
import { mkdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchWorkflowSource, makeItems, tick } from './engineWorkload';

const [system, dir, stepsArg] = process.argv.slice(2);
const STEPS = Number(stepsArg);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

export interface ChildResult {
  system: string;
  steps: number;
  totalMs: number;
  perStepUs: number;
  /** CPU time of the whole process (all threads) per step: less sensitive to a busy machine than wall time. */
  cpuPerStepUs: number;
  /** Wall time per step from the first step's start to the end (without starting workers and the like). */
  steadyPerStepUs?: number;
  snapshots: number;
  fileBytes: number;
  bytesPerSnapshot: number;
  readMeanUs: number;
  readP99Us: number;
  readMaxUs: number;
  /** Heap used after a full GC at 25/50/75/100 % of the run, in MB. */
  heapMb: number[];
  /** Wall time of those forced GCs, left out of totalMs and the per-step times. */
  sampleGcMs: number;
  maxRssMb: number;
}

const now = () => performance.now();

function fileBytes(file: string): number {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
}

/**
 * Measures the heap after a forced full GC at 25/50/75/100 % of the run. The forced GCs are the
 * measurement's, not the system's: their wall and CPU time is kept apart (ms, cpuUs) and left out of the
 * per-step figures of every system alike.
 */
function sampler(): { at: (i: number) => void; heap: number[]; ms: number; cpuUs: number } {
  const heap: number[] = [];
  const marks = new Set([0.25, 0.5, 0.75, 1].map((f) => Math.round(STEPS * f)));
  const out = {
    heap,
    ms: 0,
    cpuUs: 0,
    at(i: number) {
      if (!marks.has(i)) return;
      const t = now();
      const cpu = process.cpuUsage();
      gc();
      heap.push(Math.round((process.memoryUsage().heapUsed / 1e6) * 10) / 10);
      const used = process.cpuUsage(cpu);
      out.cpuUs += used.user + used.system;
      out.ms += now() - t;
    },
  };
  return out;
}

function readStats(times: number[]): { readMeanUs: number; readP99Us: number; readMaxUs: number } {
  const sorted = times.slice().sort((a, b) => a - b);
  return {
    readMeanUs: times.reduce((a, b) => a + b, 0) / times.length,
    readP99Us: sorted[Math.floor(sorted.length * 0.99)],
    readMaxUs: sorted[sorted.length - 1],
  };
}

function timeReads(read: (i: number) => void, count: number, pick: () => number) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const k = pick();
    const t = now();
    read(k);
    times.push((now() - t) * 1000);
  }
  return readStats(times);
}

async function timeReadsAsync(read: (i: number) => Promise<unknown>, count: number, pick: () => number) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const k = pick();
    const t = now();
    await read(k);
    times.push((now() - t) * 1000);
  }
  return readStats(times);
}

let cpuStart = process.cpuUsage();
/** CPU per step since cpuStart, less the sampler's forced GCs. */
const cpuSince = (s: { cpuUs: number }) => {
  const u = process.cpuUsage(cpuStart);
  return (u.user + u.system - s.cpuUs) / STEPS;
};

const rand = (n: number) => Math.floor(Math.random() * n);

async function floor(): Promise<Omit<ChildResult, 'system' | 'maxRssMb'>> {
  const file = join(dir, 'floor.db');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE checkpoints (run_id TEXT NOT NULL, step INTEGER NOT NULL, state TEXT NOT NULL, PRIMARY KEY (run_id, step))');
  const insert = db.prepare('INSERT INTO checkpoints (run_id, step, state) VALUES (?, ?, ?)');
  const s = sampler();
  const state = { items: makeItems(), n: 0 };
  cpuStart = process.cpuUsage();
  const t = now();
  for (let i = 1; i <= STEPS; i++) {
    tick(state);
    insert.run('run-1', i, JSON.stringify(state));
    s.at(i);
  }
  const totalMs = now() - t - s.ms;
  const cpuPerStepUs = cpuSince(s);
  const get = db.prepare('SELECT state FROM checkpoints WHERE run_id = ? AND step = ?');
  const reads = timeReads((k) => JSON.parse((get.get('run-1', k) as { state: string }).state), 500, () => 1 + rand(STEPS));
  db.close();
  const bytes = fileBytes(file);
  return { steps: STEPS, totalMs, perStepUs: (totalMs * 1000) / STEPS, cpuPerStepUs, snapshots: STEPS, fileBytes: bytes, bytesPerSnapshot: bytes / STEPS, ...reads, heapMb: s.heap, sampleGcMs: s.ms };
}

async function ours(): Promise<Omit<ChildResult, 'system' | 'maxRssMb'>> {
  const { StudioService } = await import('../../src-main/core/studio');
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace, { recursive: true });
  writeFileSync(join(workspace, 'bench.workflow.ts'), benchWorkflowSource(STEPS));
  const dbPath = join(dir, 'ours.db');
  const service = await StudioService.open({ dbPath, workspaceDir: workspace, appRoot: resolve('.') });
  const s = sampler();
  let completed = 0;
  let firstStart = 0;
  service.subscribe((e) => {
    if (e.type !== 'snapshot-added') return;
    if (e.snapshot.kind === 'step-completed') s.at(++completed);
    else if (e.snapshot.kind === 'step-started' && firstStart === 0) firstStart = now();
  });
  cpuStart = process.cpuUsage();
  const t = now();
  const run = await service.startRun('bench-prices', {});
  const done = await service.waitForRun(run.id);
  const end = now();
  const totalMs = end - t - s.ms;
  const cpuPerStepUs = cpuSince(s);
  if (done.status !== 'completed') throw new Error(`the benchmark run ended ${done.status}`);
  const snapshots = done.snapshotCount;
  // Reads go through the store (what every shell calls), picking any snapshot of the run.
  let sink = 0;
  const reads = await timeReadsAsync(async (k) => (sink += (await service.store.read.getSnapshot(run.id, k)).seq), 500, () => 1 + rand(snapshots));
  if (sink === 0) throw new Error('no reads');
  await service.close();
  const bytes = fileBytes(dbPath);
  return {
    steps: STEPS,
    totalMs,
    perStepUs: (totalMs * 1000) / STEPS,
    cpuPerStepUs,
    steadyPerStepUs: ((end - firstStart - s.ms) * 1000) / STEPS,
    snapshots,
    fileBytes: bytes,
    bytesPerSnapshot: bytes / snapshots,
    ...reads,
    heapMb: s.heap, sampleGcMs: s.ms,
  };
}

async function langgraph(): Promise<Omit<ChildResult, 'system' | 'maxRssMb'>> {
  const cache = resolve('.bench-cache/langgraph');
  const req = createRequire(join(cache, 'package.json'));
  const load = async (name: string) => import(pathToFileURL(req.resolve(name)).href);
  const { StateGraph, Annotation, START, END } = await load('@langchain/langgraph');
  const { SqliteSaver } = await load('@langchain/langgraph-checkpoint-sqlite');
  const file = join(dir, 'langgraph.db');
  const saver = SqliteSaver.fromConnString(file);
  saver.db.pragma('journal_mode = WAL');
  saver.db.pragma('synchronous = NORMAL');
  const State = Annotation.Root({ items: Annotation(), n: Annotation() });
  const s = sampler();
  type S = { items: ReturnType<typeof makeItems>; n: number };
  const graph = new StateGraph(State)
    .addNode('tick', (st: S) => {
      const items = st.items.slice();
      const i = st.n % 200;
      items[i] = { ...items[i], price: Math.round(items[i].price * 101) / 100 };
      s.at(st.n + 1);
      return { items, n: st.n + 1 };
    })
    .addEdge(START, 'tick')
    .addConditionalEdges('tick', (st: S) => (st.n < STEPS ? 'tick' : END))
    .compile({ checkpointer: saver });
  const config = { configurable: { thread_id: 'run-1' }, recursionLimit: STEPS + 10 };
  cpuStart = process.cpuUsage();
  const t = now();
  await graph.invoke({ items: makeItems(), n: 0 }, config);
  const totalMs = now() - t - s.ms;
  const cpuPerStepUs = cpuSince(s);
  const ids: string[] = [];
  for await (const c of saver.list({ configurable: { thread_id: 'run-1' } })) ids.push(c.config.configurable.checkpoint_id);
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const id = ids[rand(ids.length)];
    const t0 = now();
    await saver.getTuple({ configurable: { thread_id: 'run-1', checkpoint_ns: '', checkpoint_id: id } });
    times.push((now() - t0) * 1000);
  }
  saver.db.close();
  const bytes = fileBytes(file);
  return {
    steps: STEPS,
    totalMs,
    perStepUs: (totalMs * 1000) / STEPS,
    cpuPerStepUs,
    snapshots: ids.length,
    fileBytes: bytes,
    bytesPerSnapshot: bytes / ids.length,
    ...readStats(times),
    heapMb: s.heap, sampleGcMs: s.ms,
  };
}

/**
 * The hand-over alone: a step-sized message to a worker thread that answers at once with a step-sized reply,
 * STEPS times in a row. Ours pays this once a step (each step runs in its workflow's worker thread, where its
 * memory limit, timeout and a stuck loop stay); the floor runs its step inline.
 */
async function hop(): Promise<Omit<ChildResult, 'system' | 'maxRssMb'>> {
  const { Worker } = await import('node:worker_threads');
  const worker = new Worker(
    "const { parentPort } = require('node:worker_threads'); parentPort.on('message', (m) => parentPort.postMessage({ type: 'step-done', callId: m.callId, output: null, patches: [{ op: 'replace', path: ['items', m.callId % 200, 'price'], value: m.callId }], again: true }));",
    { eval: true },
  );
  const call = (i: number) =>
    new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
      worker.postMessage({ type: 'run-step', callId: i, runId: 'run-1', stepId: 'tick', input: null, config: {}, results: {}, stateId: i, nextStateId: i + 1, attempt: 1, iteration: i });
    });
  for (let i = 0; i < 200; i++) await call(i);
  cpuStart = process.cpuUsage();
  const t = now();
  for (let i = 1; i <= STEPS; i++) await call(i);
  const totalMs = now() - t;
  const cpuPerStepUs = cpuSince({ cpuUs: 0 });
  await worker.terminate();
  return { steps: STEPS, totalMs, perStepUs: (totalMs * 1000) / STEPS, cpuPerStepUs, snapshots: 0, fileBytes: 0, bytesPerSnapshot: 0, readMeanUs: 0, readP99Us: 0, readMaxUs: 0, heapMb: [], sampleGcMs: 0 };
}

const systems = { floor, ours, langgraph, hop } as const;
const measure = systems[system as keyof typeof systems];
if (!measure) throw new Error(`unknown system "${system}" (floor, ours, langgraph or hop)`);
const result = await measure();
const out: ChildResult = { system, ...result, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
