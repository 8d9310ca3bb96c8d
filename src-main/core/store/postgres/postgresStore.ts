// The PostgreSQL provider of the storage contract (../contract.ts): a team's shared store. The same tables,
// delta encoding and content hashes as SQLite; every query answers through a promise.
import type pg from 'pg';
import type { SnapshotStore, StoreReader, StoreWriter } from '../contract';
import { PgSnapshotAppender } from './appender';
import { describeUrl, migrate, openPool } from './connect';
import { PgReadable, PgWritable } from './handles';
import * as q from './queries';

export class PostgresStore implements SnapshotStore {
  readonly provider = 'postgres';
  readonly read: StoreReader;
  readonly write: StoreWriter;
  private open = true;

  private constructor(
    readonly pool: pg.Pool,
    readonly location: string,
  ) {
    const r = new PgReadable(pool);
    const w = new PgWritable(pool);
    const appender = new PgSnapshotAppender(w);
    this.read = {
      listRuns: () => q.listRuns(r),
      getRun: (runId) => q.getRun(r, runId),
      getRunSummary: (runId) => q.getRunSummary(r, runId),
      unfinishedRuns: () => q.unfinishedRuns(r),
      leaseOf: (runId) => q.leaseOf(r, runId),
      countSnapshots: (runId) => q.countSnapshots(r, runId),
      listSnapshots: (runId, offset, limit) => q.listSnapshots(r, runId, offset, limit),
      getSnapshot: (runId, seq) => q.getSnapshot(r, runId, seq),
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
    this.write = {
      createRun: (run) => q.createRun(w, run),
      claimRun: (runId, owner, ttlMs, staleOwners) => q.claimRun(w, runId, owner, ttlMs, staleOwners),
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
  }

  static async open(url: string): Promise<PostgresStore> {
    const pool = await openPool(url);
    try {
      await migrate(pool, url);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
    return new PostgresStore(pool, describeUrl(url));
  }

  get isOpen(): boolean {
    return this.open;
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.pool.end();
  }
}
