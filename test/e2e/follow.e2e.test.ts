// `import --follow` in an open window: a person follows a production LangGraph checkpoint file (SqliteSaver,
// written by the real LangGraph.js) into the database `serve` has open; another process runs the thread on,
// and the selected run's timeline shows the new checkpoint as a new row within seconds, with no reload. The
// follower is then stopped as a person does (Ctrl-C) and leaves the database whole.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, RunDetail, SnapshotSummary } from '../../src-main/shared/api';
import type { SnapshotDocument } from '../../src-main/shared/snapshot';
import { continueThread, withSqliteSaver } from '../fixtures/langgraph/generate';
import { cliBin } from '../support/cli';
import { tempDir } from '../support/tmp';
import { callApi, haveChromium, NO_CHROMIUM, openStudioPage, type StudioPage } from './harness';

const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`follow.e2e skipped: ${NO_CHROMIUM}`);
const dir = tempDir('studio-e2e-follow-');
const THREAD = 'live-1';
const RUN = `langgraph-${THREAD}`;
/** What "within seconds" means here: the follower's 200 ms interval, serve's 500 ms poll, a page fetch. */
const WITHIN_MS = 5_000;

/** `snapshot-studio import --follow` as a person starts it in another terminal; its JSON lines as they come. */
function startFollower(source: string, db: string): { child: ChildProcess; lines: { runs: number; extended?: number }[]; stderr(): string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [cliBin, 'import', '--follow', source, '--db', db, '--interval', '200ms', '--json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: { runs: number; extended?: number }[] = [];
  let stderr = '';
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
      lines.push(JSON.parse(buffered.slice(0, nl)) as { runs: number; extended?: number });
      buffered = buffered.slice(nl + 1);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return { child, lines, stderr: () => stderr, exited };
}

describe.skipIf(!runIt)('import --follow into the database an open window shows', () => {
  let studio: StudioPage;
  let follower: ReturnType<typeof startFollower> | undefined;
  const source = join(dir, 'prod-checkpoints.db');
  const db = join(dir, 'studio.db');

  beforeAll(async () => {
    // Production: a LangGraph app that checkpoints into SQLite ran the thread once.
    await withSqliteSaver(source, (saver) => continueThread(saver, THREAD, 'otters'));
    studio = await openStudioPage(dir);
  }, 120_000);
  afterAll(async () => {
    if (follower && follower.child.exitCode === null && follower.child.signalCode === null) follower.child.kill('SIGKILL');
    await studio?.close();
  });

  it('shows a checkpoint another process writes as a new timeline row within seconds, and stops cleanly on Ctrl-C', async () => {
    const { page, server } = studio;
    follower = startFollower(source, db);
    const timeline = page.getByRole('region', { name: 'Timeline', exact: true });

    // The follower's first round brings the thread; the window, which never asked, shows it as a run.
    const row = page.locator(`[data-run-id="${RUN}"]`);
    await row.waitFor({ timeout: 15_000 }).catch((err: Error) => {
      throw new Error(`${err.message}\nfollower stderr:\n${follower!.stderr()}`);
    });
    await row.click();
    const before = await callApi<RunDetail>(server, 'getRun', RUN);
    await timeline.getByRole('button', { name: new RegExp(`^#${before.lastSeq} `) }).waitFor({ timeout: 10_000 });
    expect(await timeline.getByRole('button', { name: new RegExp(`^#${before.lastSeq + 1} `) }).count()).toBe(0);
    const roundsBefore = follower.lines.length;
    // A mark on this document: a reload would lose it.
    await page.evaluate('void (window.__sameDocument = true)');

    // Another process (this test's, not serve's nor the follower's) runs the thread on: new checkpoints.
    const writeStarted = Date.now();
    await withSqliteSaver(source, (saver) => continueThread(saver, THREAD, 'beavers'));
    const written = Date.now();
    // The first new row, then the row of the thread's new end (a completed checkpoint after the old end).
    const firstNew = timeline.getByRole('button', { name: new RegExp(`^#${before.lastSeq + 1} `) });
    await firstNew.waitFor({ timeout: WITHIN_MS });
    const firstRowAt = Date.now();
    await expect.poll(async () => (await timeline.getByRole('button', { name: /^#\d+ run-completed/ }).allTextContents()).length, { timeout: WITHIN_MS, interval: 50 }).toBe(2);
    const endRowAt = Date.now();
    process.stderr.write(
      `follow.e2e: the write took ${written - writeStarted} ms; its first new checkpoint was a row in the open window ${firstRowAt - written} ms after the write ended, the thread's new end ${endRowAt - written} ms after (follower interval 200 ms, serve's poll 500 ms)\n`,
    );
    expect(firstRowAt - written).toBeLessThan(WITHIN_MS);
    await expect.poll(() => follower!.lines.slice(roundsBefore).some((l) => l.extended === 1), { timeout: WITHIN_MS }).toBe(true);

    // The window did not reload: the page is the same document, and the run it shows is the one extended.
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    const after = await callApi<RunDetail>(server, 'getRun', RUN);
    expect(after.lastSeq).toBeGreaterThan(before.lastSeq);
    await timeline.getByRole('button', { name: new RegExp(`^#${after.lastSeq} run-completed`) }).waitFor();

    // Ctrl-C: the follower ends its round, exits 0 and leaves no staging file beside the database.
    follower.child.kill('SIGINT');
    const { code, signal } = await follower.exited;
    expect({ code, signal }, follower.stderr()).toEqual({ code: 0, signal: null });
    expect(readdirSync(dir).filter((f) => f.includes('.import-'))).toEqual([]);

    // The database is whole: SQLite's own check, and every snapshot of the run reads back through its chain.
    const check = new Database(db, { readonly: true });
    try {
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(check.pragma('foreign_key_check')).toEqual([]);
    } finally {
      check.close();
    }
    const snapshots = await callApi<Page<SnapshotSummary>>(server, 'listSnapshots', RUN, { offset: 0, limit: 1000 });
    expect(snapshots.items.map((s) => s.seq)).toEqual(Array.from({ length: after.lastSeq }, (_, i) => i + 1));
    for (const s of snapshots.items) expect((await callApi<SnapshotDocument>(server, 'getSnapshot', RUN, s.seq)).seq).toBe(s.seq);
    const last = await callApi<SnapshotDocument>(server, 'getSnapshot', RUN, after.lastSeq);
    expect(last.state).toMatchObject({ topic: 'beavers' });
    expect(existsSync(source)).toBe(true);
    expect(studio.pageErrors).toEqual([]);
  });
});
