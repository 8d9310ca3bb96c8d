// Issue 16's CLI: short run ids, a diff of only the changes without the volatile fields, errors as JSON with
// --json, aligned help, and exit codes by the error's kind. Real processes through the bin (the built CLI).
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_KINDS, StudioError, type ErrorCode } from '../../src-main/shared/errors';
import { commands } from '../../src-main/cli/commands';
import { exitCodeOf } from '../../src-main/cli/exitCodes';
import { cliIn } from '../support/cli';
import { tempDir } from '../support/tmp';

const dir = tempDir('studio-reads-cli-');
const db = join(dir, 'reads.db');
const cli = cliIn(dir);
let first: string;
let second: string;

beforeAll(() => {
  first = JSON.parse(cli('run', 'orders-linear', '--db', db, '--json').stdout).runId;
  second = JSON.parse(cli('run', 'orders-linear', '--db', db, '--json').stdout).runId;
}, 120_000);

describe('short run ids', () => {
  it('take the 8 characters the window shows wherever a run id goes', () => {
    const short = first.slice(0, 8) === second.slice(0, 8) ? first.slice(0, 12) : first.slice(0, 8);
    const shown = cli('show', `${short}:3`, '--db', db, '--json');
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ runId: first, seq: 3 });
    expect(JSON.parse(cli('snapshots', short, '--db', db, '--json').stdout)).toHaveLength(10);
    expect(cli('diff', `${short}:4`, `${second}:5`, '--db', db).code).toBe(0);
  });

  it('list the candidates and exit 2 when a prefix starts several ids', () => {
    const r = cli('snapshots', first.slice(0, 1), '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(first);
    expect(r.stderr).toContain(second);
  });
});

describe('diff', () => {
  it('lists only the changed paths, the volatile fields left out', () => {
    const r = cli('diff', `${first}:4`, `${first}:5`, '--db', db);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('~ /steps/price/status: "running" => "completed"');
    expect(r.stdout).not.toMatch(/\/(at|startedAt|endedAt|durationMs):/);
    expect(r.stdout).not.toContain('"customer"'); // unchanged input is not printed
  });

  it('shows every field with --all, leaves out the fields named with --ignore, and prints the console format with --console', () => {
    expect(cli('diff', `${first}:4`, `${first}:5`, '--all', '--db', db).stdout).toMatch(/~ \/at: /);
    const ignored = cli('diff', `${first}:4`, `${first}:5`, '--ignore', 'seq,kind', '--db', db).stdout;
    expect(ignored).toMatch(/~ \/at: /);
    expect(ignored).not.toMatch(/\/seq:|\/kind:/);
    expect(cli('diff', `${first}:4`, `${first}:5`, '--console', '--db', db).stdout).toContain('"running" => "completed"');
    const json = JSON.parse(cli('diff', `${first}:4`, `${first}:5`, '--json', '--db', db).stdout);
    expect(json.ignored).toEqual(['at', 'startedAt', 'endedAt', 'since', 'duration*']);
    expect(json.delta.at).toBeUndefined();
  });
});

describe('errors', () => {
  it('are one JSON document on stdout with --json, besides the stderr line', () => {
    const r = cli('show', 'ghost:1', '--db', db, '--json');
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'E_NO_RUN', message: 'no run with id "ghost"' } });
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const usage = cli('nope', '--json');
    expect(JSON.parse(usage.stdout).error.code).toBe('E_USAGE');
  });

  it('exit 2 when the person can fix the command, 1 when nothing matched or something failed on this side, for every code', () => {
    const fixable = new Set(['bad-input', 'not-found', 'conflict', 'refused', 'unauthorized', 'unprocessable', 'too-large']);
    for (const [code, kind] of Object.entries(ERROR_KINDS)) {
      expect(exitCodeOf(new StudioError(code as ErrorCode, 'x')), code).toBe(fixable.has(kind) ? 2 : 1);
    }
    expect(exitCodeOf(new Error('a bug'))).toBe(1);
  });
});

describe('--help', () => {
  it('keeps every summary at one column, however long the usage (retry, fork, import)', () => {
    const lines = cli('--help').stdout.split('\n');
    const columns = Object.values(commands).map((c) => {
      const line = lines.find((l) => l.endsWith(c.summary));
      expect(line, c.usage).toBeDefined();
      return line!.length - c.summary.length;
    });
    expect(new Set(columns).size).toBe(1);
    for (const c of [commands.retry, commands.fork, commands.import]) expect(lines.some((l) => l.trim() === c.usage)).toBe(true);
  });
});
