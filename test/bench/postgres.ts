// The PostgreSQL benchmark (`npm run bench -- postgres`): the engine workload (engineWorkload.ts: 2,000 sequential
// steps over a ~15 KB state, a checkpoint per step) into one local PostgreSQL server that the bench starts as the
// tests do, through the floor (the `pg` client inserting the state JSON per step), our engine (the store on a
// postgres:// URL) and LangGraph.js with its Postgres checkpointer (installed on demand into
// .bench-cache/langgraph-postgres, never in CI). Each system runs in its own process on a fresh database, three
// rounds interleaved, the median reported. Then the import of a 100,000-snapshot native export into PostgreSQL, and
// runs drained by one and by three `worker` processes (postgresWorkers.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { Store } from '../../src-main/core/store/store';
import { createDatabase, postgresBinDir, startPostgres } from '../support/postgresServer';
import { seedSyntheticRuns } from '../support/syntheticRuns';
import { runExchangeChild } from './exchange';
import { LANGGRAPH_PG_CACHE, type PgChildResult } from './postgresChild';
import { workerRows } from './postgresWorkers';
import type { BenchRow, BenchSection } from './report';

const STEPS = 2000;
const ROUNDS = 3;
const IMPORT_SNAPSHOTS = 100_000;
const SNAPSHOTS_PER_RUN = 100;
const root = resolve(import.meta.dirname, '../..');
const TITLE = 'PostgreSQL: 2,000 sequential steps over a 15 KB state, a 100,000-snapshot import, 1 and 3 workers';

type Log = (line: string) => void;

/** Installs LangGraph.js and its Postgres checkpointer beside the project (not into it); false if it cannot. */
function ensureLangGraphPostgres(log: Log): boolean {
  if (existsSync(join(LANGGRAPH_PG_CACHE, 'node_modules/@langchain/langgraph-checkpoint-postgres'))) return true;
  log('installing LangGraph.js and its Postgres checkpointer into .bench-cache/langgraph-postgres (once) …');
  mkdirSync(LANGGRAPH_PG_CACHE, { recursive: true });
  writeFileSync(join(LANGGRAPH_PG_CACHE, 'package.json'), JSON.stringify({ name: 'bench-langgraph-postgres', private: true, type: 'module' }, null, 2));
  try {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '@langchain/langgraph@^1.7', '@langchain/langgraph-checkpoint-postgres@^1.0', '@langchain/core@^1.3'], { cwd: LANGGRAPH_PG_CACHE, stdio: 'ignore' });
    return true;
  } catch (err) {
    log(`LangGraph.js could not be installed (${(err as Error).message}); it is left out of this report`);
    return false;
  }
}

async function dropDatabase(serverUrl: string, url: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${decodeURIComponent(new URL(url).pathname.slice(1))}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

function runChild(system: string, url: string): PgChildResult {
  const dir = mkdtempSync(join(tmpdir(), `bench-pg-${system}-`));
  try {
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test/bench/postgresChild.ts'), system, url, dir, String(STEPS)], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
    });
    if (child.status !== 0) throw new Error(`${system} PostgreSQL benchmark failed:\n${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()!) as PgChildResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (runs: PgChildResult[]): PgChildResult => runs.slice().sort((a, b) => a.perStepUs - b.perStepUs)[Math.floor(runs.length / 2)];
const round = (n: number, d = 0) => Math.round(n * 10 ** d) / 10 ** d;

async function engineRows(server: { url: string }, log: Log): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const systems = ['floor', 'ours'];
  if (ensureLangGraphPostgres(log)) systems.push('langgraph');
  const runs: Record<string, PgChildResult[]> = Object.fromEntries(systems.map((s) => [s, []]));
  for (let r = 1; r <= ROUNDS; r++) {
    for (const system of systems) {
      log(`postgres: ${system}, round ${r}/${ROUNDS}`);
      const url = await createDatabase(server, `bench_${system}`);
      try {
        runs[system].push(runChild(system, url));
      } finally {
        await dropDatabase(server.url, url);
      }
    }
  }
  const floor = median(runs.floor);
  const ours = median(runs.ours);
  const lg = runs.langgraph ? median(runs.langgraph) : undefined;
  const base = { name: 'floor', value: round(floor.perStepUs) };
  const readTarget = 5000;
  const rows: BenchRow[] = [
    { name: 'floor: time per step', value: round(floor.perStepUs), unit: 'µs' },
    { name: 'ours: time per step (whole run, workers started included)', value: round(ours.perStepUs), unit: 'µs', baseline: base, target: '≤ 2× floor', pass: ours.perStepUs <= 2 * floor.perStepUs },
    { name: 'ours: CPU per step (this process, all threads)', value: round(ours.cpuPerStepUs), unit: 'µs', baseline: { name: 'floor CPU', value: round(floor.cpuPerStepUs) } },
    { name: 'ours: snapshots kept', value: ours.snapshots, unit: 'snapshots', target: `every one (2 per step + start and end = ${2 * STEPS + 2})`, pass: ours.snapshots === 2 * STEPS + 2 },
    { name: 'ours: bytes per snapshot (pg_total_relation_size of snapshots + runs)', value: round(ours.bytesPerSnapshot), unit: 'B', baseline: { name: 'floor', value: round(floor.bytesPerSnapshot) }, target: '≤ 1 KB', pass: ours.bytesPerSnapshot <= 1024 },
    { name: `ours: read any snapshot (median of ${ours.reads} random)`, value: round(ours.readMedianUs), unit: 'µs', baseline: { name: 'floor', value: round(floor.readMedianUs) }, target: '≤ 5 ms', pass: ours.readMedianUs <= readTarget },
    { name: 'ours: read any snapshot (p95)', value: round(ours.readP95Us), unit: 'µs', baseline: { name: 'floor', value: round(floor.readP95Us) }, target: '≤ 5 ms', pass: ours.readP95Us <= readTarget },
  ];
  if (lg) {
    rows.push(
      { name: 'LangGraph.js: time per step', value: round(lg.perStepUs), unit: 'µs', baseline: base },
      { name: 'LangGraph.js: bytes per checkpoint (checkpoints + blobs + writes)', value: round(lg.bytesPerSnapshot), unit: 'B', baseline: { name: 'floor', value: round(floor.bytesPerSnapshot) } },
      { name: 'LangGraph.js: read any checkpoint (median)', value: round(lg.readMedianUs), unit: 'µs', baseline: { name: 'floor', value: round(floor.readMedianUs) } },
      { name: 'LangGraph.js: read any checkpoint (p95)', value: round(lg.readP95Us), unit: 'µs', baseline: { name: 'floor', value: round(floor.readP95Us) } },
    );
  }
  const notes = [
    `Workload: 200 items {id, name, price, tags, meta} (~15 KB JSON) and a counter; ${STEPS} sequential steps each changing one price; a checkpoint per step into a local PostgreSQL (fsync and synchronous_commit off, as the tests run it), a fresh database per system and round. Ours: one looping step, 2 snapshots per iteration, every one kept.`,
    `Median of ${ROUNDS} interleaved runs per system, each in its own process. All runs (µs per step): ${systems.map((s) => `${s} ${runs[s].map((r) => round(r.perStepUs)).join(' / ')}`).join('; ')}.`,
    `Reads: one at a time, each of a random snapshot (ours: through the store's getSnapshot, the chain from its keyframe rebuilt). A bare round trip to the server (SELECT 1) from the same process took, median / p95: ${[floor, ours].map((r) => `${r.system} ${round(r.roundTripMedianUs)} / ${round(r.roundTripP95Us)} µs`).join(', ')} (${os.loadavg()[0].toFixed(1)} load on ${os.cpus().length} cores).`,
    `Bytes: pg_total_relation_size (heap, TOAST, indexes) of the system's tables ÷ its snapshots (floor: ${floor.snapshots}, ours: ${ours.snapshots}, LangGraph: ${lg?.snapshots ?? '—'}).`,
  ];
  return { rows, notes };
}

async function importRows(server: { url: string }, log: Log): Promise<{ rows: BenchRow[]; notes: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-pg-import-'));
  try {
    const source = join(dir, 'source.db');
    const file = join(dir, 'export.ssx.ndjson.gz');
    log(`postgres: seeding ${IMPORT_SNAPSHOTS.toLocaleString('en')} snapshots into SQLite and exporting them`);
    const store = Store.open(source);
    await seedSyntheticRuns(store, IMPORT_SNAPSHOTS / SNAPSHOTS_PER_RUN, SNAPSHOTS_PER_RUN);
    await store.close();
    const exported = runExchangeChild('export', source, file);
    log('postgres: importing the export');
    const url = await createDatabase(server, 'bench_import');
    try {
      const imported = runExchangeChild('import', url, file);
      if (exported.snapshots !== IMPORT_SNAPSHOTS || imported.snapshots !== IMPORT_SNAPSHOTS) throw new Error(`bench: expected ${IMPORT_SNAPSHOTS} snapshots, exported ${exported.snapshots}, imported ${imported.snapshots}`);
      const rate = Math.round(IMPORT_SNAPSHOTS / (imported.ms / 1000));
      return {
        rows: [
          { name: 'import of a 100,000-snapshot native export: time', value: Math.round(imported.ms), unit: 'ms' },
          { name: 'import of a 100,000-snapshot native export: rate', value: rate, unit: 'snapshots/s', target: '≥ 10,000/s', pass: rate >= 10_000 },
          { name: 'import of a 100,000-snapshot native export: peak RSS', value: round(imported.peakMb, 1), unit: 'MB' },
        ],
        notes: [`Import: ${IMPORT_SNAPSHOTS / SNAPSHOTS_PER_RUN} runs of ${SNAPSHOTS_PER_RUN} synthetic ~1.7 KB snapshots, exported from SQLite (exchange.ts's helpers), imported into a fresh PostgreSQL database in a child process; ${Math.round(IMPORT_SNAPSHOTS / (imported.cpuMs / 1000)).toLocaleString('en')} snapshots per CPU second of the importing process.`],
      };
    } finally {
      await dropDatabase(server.url, url);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchPostgres(log: Log = (l) => process.stderr.write(l + '\n')): Promise<BenchSection> {
  const bin = postgresBinDir();
  if (!bin) return { title: TITLE, rows: [], notes: ['No PostgreSQL installed (/usr/lib/postgresql/<major>/bin): the section was not measured.'] };
  const server = await startPostgres(bin);
  try {
    const engine = await engineRows(server, log);
    const imported = await importRows(server, log);
    const workers = await workerRows(server, log);
    return { title: TITLE, rows: [...engine.rows, ...imported.rows, ...workers.rows], notes: [...engine.notes, ...imported.notes, ...workers.notes] };
  } finally {
    server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const section = await benchPostgres();
  process.stdout.write(JSON.stringify(section, null, 2) + '\n');
}
