// A LangGraph.js SqliteSaver file, written by the real LangGraph and its real SQLite checkpointer, imported
// as a person would: every thread a run, the interrupt shown as waiting, the failed node with its message,
// the time-travel fork as a linked run whose diff is the edit, a subgraph as a child run; importing again
// adds nothing, a thread that went on gains only its new checkpoints, and the source file is never written.
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../../src-main/core/exchange/importer';
import { diffWithNotes, summarizeDelta } from '../../../../src-main/shared/differ';
import { Store } from '../../../../src-main/core/store/store';
import { continueThread, THREADS, withSqliteSaver, writeThreads } from '../../../fixtures/langgraph/generate';
import { cliIn, expectBadUsage } from '../../../support/cli';
import { tempDir } from '../../../support/tmp';

const dir = tempDir('studio-langgraph-sqlite-');
const source = join(dir, 'checkpoints.db');
let store: Store;
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const run = (thread: string, suffix = '') => `langgraph-${thread}${suffix}`;

beforeAll(async () => {
  await withSqliteSaver(source, writeThreads);
  store = Store.open(join(dir, 'studio.db'));
});
afterAll(() => store?.close());

describe('a LangGraph SqliteSaver file', () => {
  let summary: Awaited<ReturnType<typeof importFiles>>;
  let before: string;
  beforeAll(async () => {
    before = sha(source);
    summary = await importFiles(store, [source]);
  });

  it('is detected from its tables and imports every thread as a run, the source file untouched', () => {
    expect(summary.formats).toEqual([{ file: source, format: 'langgraph' }]);
    const ids = store.sync.read.listRuns().map((r) => r.id);
    for (const thread of Object.values(THREADS)) expect(ids).toContain(run(thread));
    expect(sha(source)).toBe(before);
  });

  it('makes each checkpoint a snapshot in order, the channel values its state, LangGraph bookkeeping only in the original', () => {
    const id = run(THREADS.linear);
    const last = store.sync.read.latestSnapshot(id)!;
    expect(last.status).toBe('completed');
    expect(last.kind).toBe('run-completed');
    expect(last.state).toEqual({ topic: 'otters', notes: ['facts about otters', 'draft on otters'], words: 3 });
    expect(Object.keys(last.state).some((k) => k.startsWith('branch:') || k.startsWith('__'))).toBe(false);
    const first = store.sync.read.getSnapshot(id, 1);
    expect(first.kind).toBe('run-started');
    expect(first.input).toEqual({ topic: 'otters' });
    expect(JSON.stringify(store.sync.read.getSnapshot(id, 3).metadata.original)).toContain('branch:to:write');
    const research = last.steps.research;
    expect(research).toMatchObject({ status: 'completed', output: { notes: ['facts about otters'] } });
    expect(Date.parse(research.endedAt!)).toBeGreaterThanOrEqual(Date.parse(research.startedAt!));
    expect(store.sync.read.getRunSummary(id).workflowId).toBe(THREADS.linear);
  });

  it('shows two nodes of one superstep as parallel steps: same start, same end', () => {
    const last = store.sync.read.latestSnapshot(run(THREADS.fanOut))!;
    const { search_web: web, search_docs: docs, merge } = last.steps;
    expect(web.startedAt).toBe(docs.startedAt);
    expect(web.endedAt).toBe(docs.endedAt);
    expect(Date.parse(merge.startedAt!)).toBeGreaterThanOrEqual(Date.parse(web.endedAt!));
    expect(last.state.summary).toBe('docs: otters | web: otters');
  });

  it('makes an interrupted thread waiting, with the interrupt value in the snapshot, and a resume a resumed snapshot with its payload', () => {
    const waiting = store.sync.read.latestSnapshot(run(THREADS.waiting))!;
    expect(waiting.status).toBe('waiting');
    expect(waiting.kind).toBe('waiting');
    expect(waiting.cursor.waiting).toEqual([expect.objectContaining({ stepId: 'review', signal: 'resume' })]);
    expect(JSON.stringify(waiting.metadata.langgraph)).toContain('Publish this draft?');
    const approved = run(THREADS.reviewed);
    const kinds = store.sync.read.listSnapshots(approved, 0, 100).map((s) => s.kind);
    expect(kinds).toEqual(['run-started', 'imported', 'step-completed', 'waiting', 'resumed', 'step-completed', 'run-completed']);
    const resumed = store.sync.read.getSnapshot(approved, kinds.indexOf('resumed') + 1);
    expect(resumed.steps.review.signals).toEqual({ resume: { approved: true } });
    expect(store.sync.read.latestSnapshot(approved)!.state.published).toBe('Otters hold hands (drafted)');
    expect(store.sync.read.latestSnapshot(approved)!.steps.review).toMatchObject({ status: 'completed', attempts: 1, output: { approved: true } });
  });

  it('makes a node that threw the failed step, with its message, and the run failed', () => {
    const id = run(THREADS.failed);
    const last = store.sync.read.latestSnapshot(id)!;
    expect(last.status).toBe('failed');
    expect(last.stepId).toBe('charge');
    expect(last.steps.charge.error?.message).toBe('card declined for 120 EUR');
    expect(store.sync.read.getRunSummary(id).status).toBe('failed');
  });

  it('makes a time-travel branch its own run, linked forkedFrom, whose edited snapshot differs from its origin by the edit alone', () => {
    const original = run(THREADS.timeTravel);
    const fork = store.sync.read.listRuns().find((r) => r.id.startsWith(`${original}~`))!;
    expect(fork.forkedFrom).toBe(original);
    const edited = store.sync.read.getSnapshot(fork.id, 1);
    expect(edited.kind).toBe('edited');
    const from = edited.metadata.forkedFrom as { runId: string; seq: number };
    expect(from.runId).toBe(original);
    const origin = store.sync.read.getSnapshot(original, from.seq);
    const { delta, notes } = diffWithNotes({ state: origin.state }, { state: edited.state });
    expect(summarizeDelta(delta, notes).paths.map((p) => p.path)).toEqual(['/state/notes/1']);
    expect(edited.state.notes).toEqual(['facts about beavers', 'a fact a person added']);
    expect(store.sync.read.latestSnapshot(fork.id)!.state.words).toBe(8);
  });

  it('makes a subgraph a child run, linked from the parent step that ran it', () => {
    const parent = run(THREADS.subgraph);
    const child = store.sync.read.listRuns().find((r) => r.id.startsWith(`${parent}/pricing:`))!;
    expect(child.workflowId).toBe(`${THREADS.subgraph}:pricing`);
    expect(store.sync.read.latestSnapshot(child.id)!.state.total).toBe(40);
    expect(store.sync.read.getSnapshot(child.id, 1).metadata.parent).toEqual({ runId: parent, node: 'pricing' });
    const stepDone = store.sync.read.listSnapshots(parent, 0, 100).find((s) => s.stepId === 'pricing')!;
    expect(store.sync.read.getSnapshot(parent, stepDone.seq).metadata.langgraph).toMatchObject({ subgraphs: { pricing: child.id } });
  });

  it('adds nothing when the same file is imported again', async () => {
    const again = await importFiles(store, [source]);
    expect(again.runs).toBe(0);
    expect(again.snapshots).toBe(0);
    expect(again.extended).toBeUndefined();
    expect(sha(source)).toBe(before);
  });

  it('appends only the new checkpoints of a thread that went on, as new snapshots of the same run', async () => {
    const id = run(THREADS.linear);
    const had = store.sync.read.getRunSummary(id).lastSeq;
    const kept = store.sync.read.getSnapshot(id, had);
    await withSqliteSaver(source, (saver) => continueThread(saver, THREADS.linear, 'beavers'));
    const next = await importFiles(store, [source]);
    expect(next.runs).toBe(0);
    expect(next.extended).toBe(1);
    const now = store.sync.read.getRunSummary(id);
    expect(now.lastSeq).toBeGreaterThan(had);
    expect(next.snapshots).toBe(now.lastSeq - had);
    expect(store.sync.read.getSnapshot(id, had)).toEqual(kept);
    expect(store.sync.read.latestSnapshot(id)!.state.topic).toBe('beavers');
    expect(store.sync.read.getSnapshot(id, had + 1).metadata.langgraph).toMatchObject({ input: { topic: 'beavers' } });
  });
});

describe('narrowing and bad LangGraph files', () => {
  it('reads only the threads asked for (--thread) and those with checkpoints since a time (--since)', async () => {
    const other = Store.open(join(dir, 'narrow.db'));
    try {
      const one = await importFiles(other, [source], { filter: { threads: [THREADS.failed] } });
      expect(other.sync.read.listRuns().map((r) => r.id)).toEqual([run(THREADS.failed)]);
      expect(one.runs).toBe(1);
      const none = await importFiles(other, [source], { filter: { since: Date.now() + 60_000 } });
      expect(none.runs).toBe(0);
    } finally {
      other.close();
    }
  });

  it('takes --thread and --since on the command line, and refuses a --since that is not a time', () => {
    const cwd = tempDir('studio-langgraph-cli-');
    const cli = cliIn(cwd);
    const db = join(cwd, 'studio.db');
    const later = cli('import', source, '--since', '2999-01-01', '--db', db);
    expect(later.stdout).toMatch(/imported 0 run\(s\)/);
    const one = cli('import', source, '--thread', THREADS.fanOut, '--since', '2000-01-01', '--db', db);
    expect(one.stdout).toMatch(/imported 1 run\(s\), 4 snapshot\(s\)/);
    expectBadUsage(cli, [[['import', source, '--since', 'last tuesday', '--db', db], /since must be a date or time .*got "last tuesday"/]]);
  });

  it('refuses a corrupted checkpoint blob naming the thread, the checkpoint and the channel, and stores nothing', async () => {
    const bad = join(dir, 'corrupt.db');
    copyFileSync(source, bad);
    const db = new Database(bad);
    const row = db.prepare("SELECT checkpoint_id AS id FROM writes WHERE thread_id = ? AND channel = 'notes' LIMIT 1").get(THREADS.linear) as { id: string };
    db.prepare("UPDATE writes SET value = CAST('{not json' AS BLOB) WHERE thread_id = ? AND checkpoint_id = ? AND channel = 'notes'").run(THREADS.linear, row.id);
    db.close();
    const target = Store.open(join(dir, 'corrupt-target.db'));
    try {
      const err = await importFiles(target, [bad]).then(() => undefined, (e: Error) => e);
      expect(err?.message).toContain(`thread "${THREADS.linear}", checkpoint ${row.id}, channel "notes"`);
      expect(target.sync.read.listRuns()).toEqual([]);
    } finally {
      target.close();
    }
  });

  it('shows a value in a serialisation it cannot read as its type and size, counts it, and imports the rest', async () => {
    const py = join(dir, 'msgpack.db');
    copyFileSync(source, py);
    const db = new Database(py);
    db.prepare("UPDATE writes SET type = 'msgpack', value = x'81a46e6f746573a3616263' WHERE thread_id = ? AND channel = 'summary'").run(THREADS.fanOut);
    db.close();
    const target = Store.open(join(dir, 'msgpack-target.db'));
    try {
      const summary = await importFiles(target, [py], { filter: { threads: [THREADS.fanOut] } });
      expect(summary.runs).toBe(1);
      expect(summary.unreadableValues).toBe(1);
      expect(target.sync.read.latestSnapshot(run(THREADS.fanOut))!.steps.merge.output).toEqual({ summary: { $langgraph: 'unreadable value', serialization: 'msgpack', bytes: 11 } });
    } finally {
      target.close();
    }
  });

  it('imports a thread whose checkpoints are all in a serialisation it cannot read (a Python saver), each counted', async () => {
    const py = join(dir, 'python.db');
    copyFileSync(source, py);
    const db = new Database(py);
    const rows = db.prepare("UPDATE checkpoints SET type = 'msgpack' WHERE thread_id = ?").run(THREADS.linear).changes;
    db.prepare("UPDATE writes SET type = 'msgpack' WHERE thread_id = ?").run(THREADS.linear);
    db.close();
    const target = Store.open(join(dir, 'python-target.db'));
    try {
      const summary = await importFiles(target, [py], { filter: { threads: [THREADS.linear] } });
      expect(summary.runs).toBe(1);
      expect(summary.unreadableValues).toBeGreaterThanOrEqual(rows);
      const first = target.sync.read.getSnapshot(run(THREADS.linear), 1);
      expect((first.metadata.langgraph as { unreadableCheckpoint: unknown }).unreadableCheckpoint).toMatchObject({ serialization: 'msgpack' });
    } finally {
      target.close();
    }
  });

  it('refuses an SQLite file with neither Mastra nor LangGraph tables, naming both', async () => {
    const empty = join(dir, 'empty.db');
    const db = new Database(empty);
    db.exec('CREATE TABLE other (x)');
    db.close();
    await expect(importFiles(store, [empty])).rejects.toThrow(/no Mastra workflow snapshots and no LangGraph checkpoints/);
  });
});
