// `npm run bench`: runs every benchmark section and writes bench-report/report.md and report.json. Each
// section measures its baseline in the same run, so the ratios hold on a shared, noisy machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { benchCli } from './cli';
import { benchEngine } from './engine';
import { benchExchange } from './exchange';
import { benchMachine } from './machine';
import { benchPostgres } from './postgres';
import { benchUi } from './ui';
import { ratio, type BenchSection } from './report';

const root = resolve(import.meta.dirname, '../..');
const only = process.argv.slice(2);
// `npm run bench -- engine ui` runs only the named sections.
const sections: [string, () => Promise<BenchSection>][] = [
  // First: how fast the machine is today, which every absolute target below moves with.
  ['machine', () => benchMachine()],
  ['engine', () => benchEngine()],
  ['exchange', () => benchExchange()],
  ['ui', () => benchUi()],
  ['cli', () => benchCli()],
  ['postgres', () => benchPostgres()],
];

function markdown(results: BenchSection[]): string {
  const lines = [`# Snapshot Studio benchmark report`, '', `Node ${process.version}, ${new Date().toISOString()}`, ''];
  for (const s of results) {
    lines.push(`## ${s.title}`, '', '| measure | value | baseline | ratio | target | |', '|---|---:|---:|---:|---|---|');
    for (const r of s.rows) {
      const x = ratio(r);
      lines.push(
        `| ${r.name} | ${r.value} ${r.unit} | ${r.baseline ? `${r.baseline.name}: ${r.baseline.value} ${r.unit}` : ''} | ${x === undefined ? '' : `${x.toFixed(2)}×`} | ${r.target ?? ''} | ${r.pass === undefined ? '' : r.pass ? 'met' : 'NOT MET'} |`,
      );
    }
    if (s.notes?.length) lines.push('', ...s.notes.map((n) => `- ${n}`));
    lines.push('');
  }
  return lines.join('\n');
}

const results: BenchSection[] = [];
for (const [name, run] of sections) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}\n`);
  results.push(await run());
}
const dir = join(root, 'bench-report');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'report.json'), JSON.stringify(results, null, 2));
const md = markdown(results);
writeFileSync(join(dir, 'report.md'), md);
process.stdout.write(md + '\n');
