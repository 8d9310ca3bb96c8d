// export and import from the command line, as real processes on real SQLite files.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIn, expectBadUsage } from '../support/cli';
import { tempDir } from '../support/tmp';

const dir = tempDir('studio-cli-exchange-');
const source = join(dir, 'source.db');
const target = join(dir, 'target.db');
const cli = cliIn(dir);

describe('snapshot-studio export and import', () => {
  it('exports runs with secrets redacted, imports them elsewhere, and adds nothing the second time', () => {
    const run = cli('run', 'orders-linear', '--db', source, '--input', '{"customer":"lin@example.com","apiToken":"tok-123"}', '--json');
    expect(run.code).toBe(0);
    const { runId } = JSON.parse(run.stdout);

    const exported = cli('export', runId, '--out', 'runs.ssx.ndjson', '--db', source, '--json');
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual({ file: join(dir, 'runs.ssx.ndjson'), runs: 1, snapshots: 10, redacted: 11 });
    expect(readFileSync(join(dir, 'runs.ssx.ndjson'), 'utf8')).not.toContain('tok-123');

    const human = cli('export', '--workflow', 'orders-linear', '--out', 'all.ssx.ndjson.gz', '--db', source, '--no-redact');
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^exported 1 run\(s\), 10 snapshot\(s\) to .*all\.ssx\.ndjson\.gz; 0 value\(s\) redacted$/m);

    const imported = cli('import', 'all.ssx.ndjson.gz', '--db', target, '--json');
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({ runs: 1, snapshots: 10, skipped: 0, formats: [{ file: join(dir, 'all.ssx.ndjson.gz'), format: 'native' }] });
    expect(JSON.parse(cli('show', `${runId}:10`, '--db', target).stdout).input.apiToken).toBe('tok-123');
    expect(JSON.parse(cli('runs', '--db', target, '--json').stdout)[0]).toMatchObject({ id: runId, origin: 'imported', status: 'completed' });

    // --whole-documents: format 1, every snapshot whole; it imports the same.
    const whole = cli('export', runId, '--out', 'whole.ssx.ndjson', '--db', source, '--whole-documents', '--json');
    expect(whole.code).toBe(0);
    const wholeLines = readFileSync(join(dir, 'whole.ssx.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; formatVersion?: number; document?: unknown });
    expect(wholeLines[0].formatVersion).toBe(1);
    expect(wholeLines.filter((l) => l.type === 'snapshot').map((l) => l.document !== undefined)).toEqual(Array(10).fill(true));
    expect(readFileSync(join(dir, 'runs.ssx.ndjson'), 'utf8')).toContain('"formatVersion":2');
    const wholeTarget = join(dir, 'whole.db');
    expect(JSON.parse(cli('import', 'whole.ssx.ndjson', '--db', wholeTarget, '--json').stdout)).toMatchObject({ runs: 1, snapshots: 10 });
    expect(cli('show', `${runId}:7`, '--db', wholeTarget).stdout).toBe(cli('show', `${runId}:7`, '--db', target).stdout.replace('tok-123', '[redacted]'));

    const again = cli('import', 'all.ssx.ndjson.gz', 'runs.ssx.ndjson', '--db', target, '--format', 'native');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('imported 0 run(s), 0 snapshot(s); 2 run(s) skipped as already present');
  });

  it('runs code that came with an import only with --allow-imported-code, after a warning naming the version and file', () => {
    const empty = join(dir, 'empty-ws');
    mkdirSync(empty, { recursive: true });
    const at = ['--db', join(dir, 'third.db'), '--workspace', empty];
    expect(cli('import', 'all.ssx.ndjson.gz', ...at).code).toBe(0);
    const runId = JSON.parse(cli('runs', ...at, '--json').stdout)[0].id as string;
    const refused = cli('retry', runId, '--version', 'original', ...at);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/came with an import: its code is shown but not run here; .*--allow-imported-code/);
    const allowed = cli('retry', runId, '--version', 'original', '--allow-imported-code', ...at, '--json');
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toMatch(/^warning: running code that came with an import: workflow "orders-linear" version [0-9a-f]{12} \(orders-linear\.workflow\.ts\)/);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ status: 'completed' });
  });

  it('exits 1 when no run matches an export', () => {
    const r = cli('export', '--since', '2999-01-01', '--out', 'none.ssx.ndjson', '--db', source);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no runs created since 2999-01-01: nothing was written/);
  });

  it('exits 2 with one line naming the file, line and field of a bad import, and changes nothing', () => {
    const lines = readFileSync(join(dir, 'runs.ssx.ndjson'), 'utf8').split('\n');
    lines[3] = lines[3].replace('"seq":1,', '"seq":"7a",');
    writeFileSync(join(dir, 'bad.ssx.ndjson'), lines.join('\n'));
    const before = cli('runs', '--db', target, '--json').stdout;
    const r = cli('import', 'bad.ssx.ndjson', '--db', target);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('bad.ssx.ndjson:4 field "snapshot.seq": unexpected value (expected a number, got "7a")');
    expect(cli('runs', '--db', target, '--json').stdout).toBe(before);
  });

  it('exits 2 on bad usage', () => {
    const cases: [string[], RegExp][] = [
      [['export', 'x', '--db', source], /--out FILE is required/],
      [['export', '--out', 'x.ssx.ndjson', '--db', source], /say which runs/],
      [['export', 'ghost', '--out', 'x.ssx.ndjson', '--db', source], /no run with id "ghost"/],
      [['export', '--since', 'someday', '--out', 'x.ssx.ndjson', '--db', source], /since must be a date/],
      [['export', '--workflow', 'orders-linear', '--out', join(dir, 'nope', 'x.ssx.ndjson'), '--db', source], /cannot write .*x\.ssx\.ndjson/],
      [['import', 'missing.ssx.ndjson', '--db', target], /missing\.ssx\.ndjson: cannot read the file \(ENOENT\)/],
      [['import', 'runs.ssx.ndjson', '--format', 'yaml', '--db', target], /importFiles: options\.format/],
      [['import', '--db', target], /usage: snapshot-studio import FILE/],
    ];
    expectBadUsage(cli, cases);
  });

  it('prints help for both commands', () => {
    expect(cli('export', '--help').stdout).toContain('Usage: snapshot-studio export [runId...] [--workflow ID] [--since DATE] --out FILE');
    expect(cli('import', '--help').stdout).toContain('--format NAME');
  });
});
