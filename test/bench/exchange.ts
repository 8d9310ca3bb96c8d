// Exchange benchmark: export and import of a native file of 100,000 snapshots and of one ten times smaller,
// each in its own child process so its peak RSS (process.resourceUsage().maxRSS) is the operation's alone.
// Run alone with `npx tsx test/bench/exchange.ts`; `npm run bench` calls benchExchange().
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { importFiles } from '../../src-main/core/exchange/importer';
import { exportRuns } from '../../src-main/core/exchange/native/exporter';
import { openStore } from '../../src-main/core/store/open';
import { Store } from '../../src-main/core/store/store';
import { seedSyntheticRuns } from '../support/syntheticRuns';
import type { BenchRow, BenchSection } from './report';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const SNAPSHOTS_PER_RUN = 100;
const IMPORT_TARGET = 10_000;
const PEAK_TARGET_MB = 400;

export interface ExchangeChildResult {
  ms: number;
  /** CPU time (user + system) of the operation: what it costs where no other process competes for the cores. */
  cpuMs: number;
  snapshots: number;
  peakMb: number;
}

/** In the child: one operation, timed, then its peak RSS. `db` is an SQLite file or a postgres:// URL. */
async function child(op: string, db: string, file: string): Promise<void> {
  const store = await openStore(db);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let snapshots = 0;
  if (op === 'export') snapshots = (await exportRuns(store.read, { since: '2000-01-01', out: file, redact: true })).snapshots;
  else if (op === 'import') snapshots = (await importFiles(store, [file])).snapshots;
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await store.close();
  const result: ExchangeChildResult = { ms, cpuMs: (used.user + used.system) / 1000, snapshots, peakMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** One export or import (`op`) of `file` from or into `db` (an SQLite file or a postgres:// URL), in a child process of its own. */
export function runExchangeChild(op: string, db: string, file: string): ExchangeChildResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', op, db, file], { cwd: repoRoot, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench child ${op} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ExchangeChildResult;
}

const mb = (n: number) => Math.round(n * 10) / 10;

export async function benchExchange(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'studio-bench-exchange-'));
  const rows: BenchRow[] = [];
  const notes: string[] = [];
  try {
    const idle = runExchangeChild('idle', join(dir, 'idle.db'), '');
    notes.push(`peak RSS is of a child process doing only that operation; an idle one (Node + tsx + the store) peaks at ${mb(idle.peakMb)} MB`);
    for (const total of [100_000, 10_000]) {
      const source = join(dir, `source-${total}.db`);
      const file = join(dir, `export-${total}.ssx.ndjson.gz`);
      const store = Store.open(source);
      await seedSyntheticRuns(store, total / SNAPSHOTS_PER_RUN, SNAPSHOTS_PER_RUN);
      store.close();
      const label = `${total.toLocaleString('en')} snapshots`;
      const exported = runExchangeChild('export', source, file);
      const imported = runExchangeChild('import', join(dir, `target-${total}.db`), file);
      if (imported.snapshots !== total || exported.snapshots !== total) throw new Error(`bench: expected ${total} snapshots, exported ${exported.snapshots}, imported ${imported.snapshots}`);
      const importRate = Math.round(total / (imported.ms / 1000));
      rows.push(
        { name: `export ${label}: time`, value: Math.round(exported.ms), unit: 'ms' },
        { name: `export ${label}: rate`, value: Math.round(total / (exported.ms / 1000)), unit: 'snapshots/s' },
        { name: `export ${label}: peak RSS`, value: mb(exported.peakMb), unit: 'MB', target: `< ${PEAK_TARGET_MB} MB`, pass: exported.peakMb < PEAK_TARGET_MB },
        { name: `import ${label}: time`, value: Math.round(imported.ms), unit: 'ms' },
        { name: `import ${label}: rate`, value: importRate, unit: 'snapshots/s', target: `≥ ${IMPORT_TARGET.toLocaleString('en')}/s`, pass: importRate >= IMPORT_TARGET },
        { name: `import ${label}: peak RSS`, value: mb(imported.peakMb), unit: 'MB', target: `< ${PEAK_TARGET_MB} MB`, pass: imported.peakMb < PEAK_TARGET_MB },
      );
      const perCpuSecond = (r: ExchangeChildResult) => Math.round(total / (r.cpuMs / 1000)).toLocaleString('en');
      notes.push(
        `${label}: ${total / SNAPSHOTS_PER_RUN} runs of ${SNAPSHOTS_PER_RUN}, ~1.7 KB each; gzip file ${mb(statSync(file).size / 1024 / 1024)} MB; ` +
          `per CPU second: export ${perCpuSecond(exported)}, import ${perCpuSecond(imported)} snapshots (${os.loadavg()[0].toFixed(1)} load on ${os.cpus().length} cores)`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { title: 'Exchange: native export and import', rows, notes };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [flag, op, db, file] = process.argv.slice(2);
  if (flag === '--child') {
    await child(op, db, file);
  } else {
    const section = await benchExchange();
    process.stdout.write(`${section.title}\n`);
    for (const r of section.rows) {
      const verdict = r.pass === undefined ? '' : r.pass ? '  ok' : '  MISSED';
      process.stdout.write(`  ${r.name.padEnd(40)} ${String(r.value).padStart(10)} ${r.unit.padEnd(12)} ${r.target ?? ''}${verdict}\n`);
    }
    for (const n of section.notes ?? []) process.stdout.write(`  note: ${n}\n`);
  }
}
