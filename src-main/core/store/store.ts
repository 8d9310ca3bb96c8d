// The store: one SQLite file, read through `store.read` and written through `store.write`. The queries
// live by domain (runs, snapshots, workflow versions, named snapshots, logs, settings, retention), each
// taking the handle its kind needs; the two tables below are the store's contract, the shape a
// PostgreSQL provider implements too.
import { openDatabase, type Db, type OpenOptions } from './connection';
import { ReadableDB, WritableDB } from './handles';
import { appendLog, listLogs } from './logs';
import { deleteNamedSnapshot, getNamedSnapshot, listNamedSnapshots, saveNamedSnapshot } from './namedSnapshots';
import { prune } from './prune';
import { createRun, getRun, getRunSummary, listRuns, runMarks, runnerOf, setRunner, unfinishedRuns } from './runs';
import { getSetting, setSetting } from './settings';
import { SnapshotAppender } from './snapshotAppends';
import { countSnapshots, findSnapshotSeq, getSnapshot, lastCompletions, latestSnapshot, listSnapshots, stepSnapshotSeq } from './snapshotReads';
import { getWorkflowVersion, listWorkflowVersions, saveWorkflowVersion } from './workflowVersions';
import { listWorkOrderPage } from './workOrderPages';

export type { WorkflowVersionRow } from './workflowVersions';

const readQueries = {
  listRuns,
  listWorkOrderPage,
  runMarks,
  getRun,
  getRunSummary,
  unfinishedRuns,
  runnerOf,
  countSnapshots,
  listSnapshots,
  getSnapshot,
  latestSnapshot,
  findSnapshotSeq,
  stepSnapshotSeq,
  lastCompletions,
  listWorkflowVersions,
  getWorkflowVersion,
  listNamedSnapshots,
  getNamedSnapshot,
  listLogs,
  getSetting,
};

const writeQueries = {
  createRun,
  setRunner,
  saveWorkflowVersion,
  saveNamedSnapshot,
  deleteNamedSnapshot,
  appendLog,
  setSetting,
  prune,
};

/** Each query with its handle given: what callers call. */
type Bound<Q, H> = { [K in keyof Q]: Q[K] extends (db: H, ...args: infer A) => infer R ? (...args: A) => R : never };

function bind<Q extends Record<string, (db: H, ...args: never[]) => unknown>, H>(queries: Q, db: H): Bound<Q, H> {
  const bound: Record<string, unknown> = {};
  for (const [name, query] of Object.entries(queries)) bound[name] = (query as (db: H, ...args: unknown[]) => unknown).bind(null, db);
  return bound as Bound<Q, H>;
}

/** Everything a read path may do: it holds no write. */
export type StoreReader = Bound<typeof readQueries, ReadableDB>;
/** The writes, snapshot appends among them. */
export interface StoreWriter extends Bound<typeof writeQueries, WritableDB>, Pick<SnapshotAppender, 'appendSnapshots' | 'releaseChains'> {}

export class Store {
  readonly read: StoreReader;
  readonly write: StoreWriter;

  /** The connection itself, for what is neither a read nor a write query: pragmas, the import's bulk copy, tests. */
  private constructor(readonly db: Db) {
    this.read = bind(readQueries, new ReadableDB(db));
    const writable = new WritableDB(db);
    const appender = new SnapshotAppender(writable);
    this.write = {
      ...bind(writeQueries, writable),
      appendSnapshots: (docs) => appender.appendSnapshots(docs),
      releaseChains: () => appender.releaseChains(),
    };
  }

  static open(file: string, options: OpenOptions = {}): Store {
    return new Store(openDatabase(file, options));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
