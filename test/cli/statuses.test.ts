// What the CLI says about a failed run, as real processes on a real SQLite file: `run` says where and why on
// stderr, and `snapshots` gives each row's own step outcome beside the run's status.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliIn } from '../support/cli';
import { tempDir } from '../support/tmp';

const dir = tempDir();
const db = join(dir, 'cli.db');
const cli = cliIn(dir);

describe('snapshot-studio CLI on a failed run', () => {
  let runId = '';

  it('run exits 1 and says on stderr at which step and why the run failed', () => {
    const r = cli('run', 'payment-fails', '--db', db, '--input', '{"amount":75}');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^run \S+ failed \(6 snapshots\)\n$/);
    expect(r.stderr).toMatch(/^failed at charge: card declined for 75 EUR \(payment-fails\.workflow\.ts:\d+:\d+\)\n$/);
    const json = cli('run', 'payment-fails', '--db', db, '--json');
    expect(json.code).toBe(1);
    runId = JSON.parse(json.stdout).runId;
    expect(json.stderr).toMatch(/^failed at charge: card declined for 120 EUR \(payment-fails\.workflow\.ts:\d+:\d+\)\n$/);
  });

  it('snapshots --json gives the step’s outcome and the run’s status; the table shows the step’s', () => {
    const snaps = JSON.parse(cli('snapshots', runId, '--db', db, '--json').stdout) as { seq: number; stepStatus: string | null; status: string }[];
    expect(snaps.map((s) => [s.seq, s.stepStatus, s.status])).toEqual([
      [1, null, 'running'],
      [2, 'started', 'running'],
      [3, 'completed', 'running'],
      [4, 'started', 'running'],
      [5, 'failed', 'running'],
      [6, null, 'failed'],
    ]);
    const lines = cli('snapshots', runId, '--db', db).stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^SEQ\s+KIND\s+STEP\s+STATUS\s+RUN\s+AT\s+BYTES$/);
    expect(lines[5]).toMatch(/^5\s+step-failed\s+charge\s+failed\s+running\s/);
    expect(lines[6]).toMatch(/^6\s+run-failed\s+failed\s+failed\s/);
  });
});
