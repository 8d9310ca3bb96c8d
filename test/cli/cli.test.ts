// The CLI as a person (or a script) uses it: real processes, a real SQLite file, the example workspace.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIn, expectBadUsage } from '../support/cli';
import { examplesDir, tempDir } from '../support/tmp';

const dir = tempDir();
const db = join(dir, 'cli.db');
const cli = cliIn(dir);

describe('snapshot-studio CLI', () => {
  it('lists the example workflows as JSON', () => {
    const r = cli('workflows', '--db', db, '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.workflows.map((w: { id: string }) => w.id)).toEqual(expect.arrayContaining(['orders-linear', 'payment-fails', 'parallel-fanout', 'flaky-recovers', 'retries-exhausted', 'step-timeout']));
  });

  it('runs a workflow and returns when it ends, then lists it, its snapshots, one snapshot and a diff', () => {
    const configFile = join(dir, 'config.json');
    writeFileSync(configFile, JSON.stringify({ currency: 'USD' }));
    const run = cli('run', 'orders-linear', '--db', db, '--input', '{"customer":"lin@example.com"}', '--config', `@${configFile}`, '--json');
    expect(run.code).toBe(0);
    const { runId, status } = JSON.parse(run.stdout);
    expect(status).toBe('completed');

    const runs = JSON.parse(cli('runs', '--db', db, '--json').stdout);
    expect(runs[0]).toMatchObject({ id: runId, workflowId: 'orders-linear', status: 'completed', snapshotCount: 10 });

    const snaps = JSON.parse(cli('snapshots', runId, '--db', db, '--json').stdout);
    expect(snaps).toHaveLength(10);
    expect(snaps[1]).toMatchObject({ seq: 2, kind: 'step-started', stepId: 'validate', status: 'running' });

    const show = cli('show', `${runId}:10`, '--db', db);
    expect(show.code).toBe(0);
    const doc = JSON.parse(show.stdout);
    expect(doc).toMatchObject({ schemaVersion: 2, runId, seq: 10, status: 'completed', config: { currency: 'USD' } });
    expect(doc.steps.validate.output.customer.email).toBe('lin@example.com');

    const diff = cli('diff', `${runId}:4`, `${runId}:5`, '--db', db, '--json');
    expect(diff.code).toBe(0);
    const d = JSON.parse(diff.stdout);
    expect(d.delta.steps.price.status).toEqual(['running', 'completed']);
    expect(d.summary.changed).toBeGreaterThan(0);

    const human = cli('diff', `${runId}:4`, `${runId}:5`, '--db', db);
    expect(human.stdout).toContain('added');
    expect(human.stdout).toContain('"running" => "completed"');
  });

  it('retries a run from a step and forks one from a snapshot with edited state', () => {
    const first = JSON.parse(cli('run', 'orders-linear', '--db', db, '--json').stdout).runId;
    const retry = cli('retry', first, '--db', db, '--version', 'original', '--from-step', 'reserve', '--json');
    expect(retry.code).toBe(0);
    const retried = JSON.parse(retry.stdout).runId;
    const kinds = JSON.parse(cli('snapshots', retried, '--db', db, '--json').stdout).map((s: { kind: string; stepId: string | null }) => `${s.kind}:${s.stepId ?? ''}`);
    expect(kinds).not.toContain('step-started:validate');
    expect(kinds).toContain('step-started:reserve');
    expect(JSON.parse(cli('runs', '--db', db, '--json').stdout).find((r: { id: string }) => r.id === retried).retryOf).toBe(first);

    const stateFile = join(dir, 'state.json');
    writeFileSync(stateFile, JSON.stringify({ note: 'edited by hand' }));
    const fork = cli('fork', `${first}:5`, '--db', db, '--state', `@${stateFile}`, '--json');
    expect(fork.code).toBe(0);
    const forked = JSON.parse(fork.stdout).runId;
    const edited = JSON.parse(cli('show', `${forked}:2`, '--db', db).stdout);
    expect(edited).toMatchObject({ kind: 'edited', state: { note: 'edited by hand' } });
    expect(cli('retry', first, '--db', db, '--version', 'newest').code).toBe(2);
    expect(cli('pause', first, '--db', db).stderr).toMatch(/cannot be paused: it is completed/);
  });

  it('exits 1 when the run it ran failed', () => {
    const r = cli('run', 'payment-fails', '--db', db, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).status).toBe('failed');
  });

  it('names the failed step, its message and the workflow file:line on stderr when run exits 1; show prints the mapped stack', () => {
    const source = readFileSync(join(examplesDir, 'payment-fails.workflow.ts'), 'utf8');
    const before = source.slice(0, source.indexOf('new Error(`card declined')).split('\n');
    const at = `payment-fails.workflow.ts:${before.length}:${before[before.length - 1].length + 1}`;
    const r = cli('run', 'payment-fails', '--db', db);
    expect(r.code).toBe(1);
    const runId = /^run (\S+) failed/.exec(r.stdout)![1];
    expect(r.stderr.trim()).toBe(`failed at charge: card declined for 120 EUR (${at})`);
    const doc = JSON.parse(cli('show', `${runId}:6`, '--db', db).stdout);
    expect(doc.steps.charge.error.stack).toMatch(new RegExp(`^Error: card declined for 120 EUR\\n\\s+at .*\\(${at.replace(/\./g, '\\.')}\\)\\n`));
  });

  it('exits 2 with a one-line error on bad usage or bad input', () => {
    const cases: [string[], RegExp][] = [
      [['run', 'nope', '--db', db], /no workflow with id "nope"/],
      [['run', 'orders-linear', '--db', db, '--input', '{oops'], /--input: not valid JSON/],
      [['run', 'orders-linear', '--db', db, '--config', '{"taxRate":5}'], /config\.taxRate/],
      [['show', 'no-colon', '--db', db], /must be <runId>:<seq>/],
      [['show', 'ghost:1', '--db', db], /no run with id "ghost"/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['runs', '--bogus'], /Unknown option '--bogus'/],
      [['serve', '--port', 'abc', '--db', db], /--port must be a whole number/],
    ];
    expectBadUsage(cli, cases);
  });

  it('prints help for every command', () => {
    for (const command of ['workflows', 'run', 'runs', 'snapshots', 'show', 'diff', 'serve', 'resume', 'retry', 'fork', 'pause', 'cancel', 'versions']) {
      const r = cli(command, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: snapshot-studio ${command}`);
    }
    expect(cli('--help').stdout).toContain('Commands:');
  });

  it('keeps its database in ./.snapshot-studio/studio.db by default', () => {
    const r = cli('runs', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
    expect(spawnSync('ls', ['.snapshot-studio'], { cwd: dir, encoding: 'utf8' }).stdout).toContain('studio.db');
  });
});
