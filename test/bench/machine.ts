// The machine the report was measured on, measured first: how long Node takes to start and a fixed piece of
// one-core work (JSON, sha256, deflate) takes. The other sections' targets are absolute (ms, snapshots/s) and
// this VM's speed drifts between sessions by twice or more with no change of code: before reading a missed
// target as a regression, compare these rows with an earlier report's.
// Run alone with `npm run bench -- machine`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';
import type { BenchRow, BenchSection } from './report';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ROUNDS = 5;

/** A fixed document (~2.7 MB of JSON): the same bytes in every run, so its times compare across runs. */
function fixedDocument(): unknown {
  const items = [];
  for (let i = 0; i < 20_000; i++) items.push({ id: `item-${i}`, n: i, price: (i * 7919) % 10_000 / 100, tags: ['a', 'b', String(i % 13)], meta: { ok: i % 2 === 0, note: 'x'.repeat(i % 97) } });
  return { items };
}

/** In a child of its own (no other section's heap or JIT state): each piece of work's ms, as one JSON line. */
function work(): void {
  const doc = fixedDocument();
  const times: Record<string, number> = {};
  let t = performance.now();
  for (let i = 0; i < 5; i++) JSON.parse(JSON.stringify(doc));
  times.json = performance.now() - t;
  const bytes = Buffer.from(JSON.stringify(doc));
  t = performance.now();
  for (let i = 0; i < 64; i++) createHash('sha256').update(bytes).digest();
  times.sha256 = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < 16; i++) deflateSync(bytes, { level: 1 });
  times.deflate = performance.now() - t;
  process.stdout.write(`${JSON.stringify({ ...times, mb: bytes.length / 1024 / 1024 })}\n`);
}

function timedNode(args: string[], env: NodeJS.ProcessEnv = process.env): { ms: number; stdout: string } {
  const started = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`bench machine: node ${args.join(' ')} failed: ${r.stderr}`);
  return { ms: performance.now() - started, stdout: r.stdout };
}

export async function benchMachine(): Promise<BenchSection> {
  const start = Array.from({ length: 2 * ROUNDS + 1 }, () => timedNode(['-e', '0']).ms);
  // Node parses every certificate of NODE_EXTRA_CA_CERTS when a process starts, before any code runs (~400 million
  // instructions for Debian's bundle, counted with callgrind): where the environment sets it, every process of every
  // section pays it, so the report says how much of node -e 0 it is.
  const extraCerts = process.env.NODE_EXTRA_CA_CERTS;
  const { NODE_EXTRA_CA_CERTS: _unset, ...withoutCerts } = process.env;
  const startWithout = extraCerts ? Array.from({ length: 2 * ROUNDS + 1 }, () => timedNode(['-e', '0'], withoutCerts).ms) : [];
  const self = fileURLToPath(import.meta.url);
  const runs = Array.from({ length: ROUNDS }, () => JSON.parse(timedNode(['--import', 'tsx', self, '--child']).stdout.trim()) as Record<string, number>);
  const mb = runs[0].mb.toFixed(1);
  const row = (name: string, key: string): BenchRow => ({ name, value: Math.round(median(runs.map((r) => r[key]))), unit: 'ms' });
  return {
    title: 'Machine: how fast this one is today (compare with an earlier report before reading a miss as a regression)',
    rows: [
      { name: 'node -e 0 (a process started and ended)', value: Math.round(median(start)), unit: 'ms' },
      ...(extraCerts ? [{ name: `… the same without NODE_EXTRA_CA_CERTS (set here to ${extraCerts}, which every process of this report pays)`, value: Math.round(median(startWithout)), unit: 'ms' }] : []),
      row(`JSON.stringify + JSON.parse of a fixed ${mb} MB document, 5 times`, 'json'),
      row(`sha256 of the same ${mb} MB, 64 times`, 'sha256'),
      row(`deflate (level 1) of the same ${mb} MB, 16 times`, 'deflate'),
    ],
    notes: [
      `Medians: node -e 0 of ${start.length} starts, the rest of ${ROUNDS} child processes (one core each, nothing else of the bench running).`,
      'Earlier sessions\' notes put node -e 0 at 50–63 ms on this VM\'s fast days and 116–144 ms on its slow ones; every absolute target here (ms, snapshots/s) moved with it, the ratios to a baseline of the same run much less.',
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--child') work();
  else {
    const section = await benchMachine();
    process.stdout.write(`${section.title}\n`);
    for (const r of section.rows) process.stdout.write(`  ${r.name.padEnd(64)} ${String(r.value).padStart(8)} ${r.unit}\n`);
  }
}
