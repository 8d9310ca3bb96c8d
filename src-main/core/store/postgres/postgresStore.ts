// The PostgreSQL provider of the storage contract (../contract.ts): a team's shared store. The same tables,
// delta encoding and content hashes as SQLite; every query answers through a promise.
import type pg from 'pg';
import type { SnapshotStore, StoreReader, StoreWriter } from '../contract';
import { PgSnapshotAppender } from './appender';
import { describeUrl, hostAndPort, loadPg, migrate, openPool } from './connect';
import { refusingWriter } from '../readOnly';
import { PgReadable, PgWritable } from './handles';
import { RUN_CHANNEL } from './migrations';
import * as q from './queries';

export class PostgresStore implements SnapshotStore {
  readonly provider = 'postgres';
  readonly read: StoreReader;
  readonly write: StoreWriter;
  private open = true;

  private readonly listeners = new Set<() => Promise<void>>();

  private constructor(
    readonly pool: pg.Pool,
    readonly location: string,
    private readonly url: string,
    readonly readOnly: boolean,
  ) {
    const where = hostAndPort(url);
    const r = new PgReadable(pool, where);
    const w = new PgWritable(pool, where);
    const appender = new PgSnapshotAppender(w);
    this.read = {
      listRuns: () => q.listRuns(r),
      listWorkOrderPage: (query) => q.listWorkOrderPage(r, query),
      runMarks: () => q.runMarks(r),
      getRun: (runId) => q.getRun(r, runId),
      getRunSummary: (runId) => q.getRunSummary(r, runId),
      unfinishedRuns: () => q.unfinishedRuns(r),
      leaseOf: (runId) => q.leaseOf(r, runId),
      countSnapshots: (runId) => q.countSnapshots(r, runId),
      listSnapshots: (runId, offset, limit) => q.listSnapshots(r, runId, offset, limit),
      getSnapshot: (runId, seq) => q.getSnapshot(r, runId, seq),
      snapshotsInOrder: (runId, fromSeq, toSeq) => q.snapshotsInOrder(r, runId, fromSeq, toSeq),
      snapshotsWithChanges: (runId, fromSeq, toSeq) => q.snapshotsWithChanges(r, runId, fromSeq, toSeq),
      latestSnapshot: (runId) => q.latestSnapshot(r, runId),
      findSnapshotSeq: (runId, kind, stepId) => q.findSnapshotSeq(r, runId, kind, stepId),
      stepSnapshotSeq: (runId, stepId, which) => q.stepSnapshotSeq(r, runId, stepId, which),
      lastCompletions: (runId) => q.lastCompletions(r, runId),
      listWorkflowVersions: (workflowId) => q.listWorkflowVersions(r, workflowId),
      getWorkflowVersion: (hash) => q.getWorkflowVersion(r, hash),
      listNamedSnapshots: (workflowId) => q.listNamedSnapshots(r, workflowId),
      getNamedSnapshot: (name) => q.getNamedSnapshot(r, name),
      listLogs: (runId) => q.listLogs(r, runId),
      getSetting: (key) => q.getSetting(r, key),
    };
    const writer: StoreWriter = {
      createRun: (run) => q.createRun(w, run),
      claimRun: (runId, owner, ttlMs, staleOwners) => q.claimRun(w, runId, owner, ttlMs, staleOwners),
      claimNextRuns: (owner, ttlMs, limit, staleOwners, exclude) => q.claimNextRuns(w, owner, ttlMs, limit, staleOwners, exclude),
      releaseRun: (runId, owner) => q.releaseRun(w, runId, owner),
      saveWorkflowVersion: (v, latest) => q.saveWorkflowVersion(w, v, latest),
      saveNamedSnapshot: (n) => q.saveNamedSnapshot(w, n),
      deleteNamedSnapshot: (name) => q.deleteNamedSnapshot(w, name),
      appendLog: (line) => q.appendLog(w, line),
      setSetting: (key, value) => q.setSetting(w, key, value),
      prune: (policy, runIds) => q.prune(w, policy, runIds),
      appendSnapshots: (docs) => appender.appendSnapshots(docs),
      releaseChains: () => appender.releaseChains(),
    };
    this.write = readOnly ? refusingWriter(writer, location) : writer;
  }

  static async open(url: string, { readOnly = false } = {}): Promise<PostgresStore> {
    const pool = await openPool(url, { readOnly });
    try {
      await migrate(pool, url, { readOnly });
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return new PostgresStore(pool, describeUrl(url), url, readOnly);
  }

  get isOpen(): boolean {
    return this.open;
  }

  /**
   * Calls `onRun` with the id of every run whose row changes, by any process (LISTEN on the channel migration 3
   * notifies). Its own connection, outside the pool; a dropped one is opened again after a second, and the runs
   * changed meanwhile are named once it is back (all of them: which moved is for the caller to tell). Returns the stop.
   */
  listenRuns(onRun: (runId: string) => void): () => Promise<void> {
    let client: pg.Client | undefined;
    let stopped = false;
    let retry: NodeJS.Timeout | undefined;
    let lostOnce = false;
    const connect = async () => {
      if (stopped || !this.open) return;
      const c = new (await loadPg()).Client({ connectionString: this.url });
      c.on('notification', (n) => {
        if (n.channel === RUN_CHANNEL && n.payload) onRun(n.payload);
      });
      c.on('error', () => lost(c));
      c.on('end', () => lost(c));
      try {
        await c.connect();
        await c.query(`LISTEN ${RUN_CHANNEL}`);
        client = c;
        if (lostOnce) for (const r of await this.read.runMarks()) onRun(r.id);
      } catch {
        lost(c);
      }
    };
    const lost = (c: pg.Client) => {
      if (client === c) client = undefined;
      void c.end().catch(() => undefined);
      if (stopped || retry) return;
      lostOnce = true;
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, 1000);
      retry.unref();
    };
    void connect();
    const stop = async () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      this.listeners.delete(stop);
      await client?.end().catch(() => undefined);
    };
    this.listeners.add(stop);
    return stop;
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await Promise.all([...this.listeners].map((stop) => stop()));
    await this.pool.end();
  }
}
