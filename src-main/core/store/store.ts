// The SQLite provider of the storage contract (contract.ts): one file, read through `store.read` and written
// through `store.write`. The queries run synchronously on better-sqlite3 and answer through promises; the
// import staging (exchange/staging.ts), which is SQLite's own, uses them synchronously through `sync`.
import { openDatabase, type Db, type OpenOptions } from './connection';
import type { SnapshotStore, StoreReader, StoreWriter } from './contract';
import { ReadableDB, WritableDB } from './handles';
import { readQueries, writeQueries } from './queries';
import { refusingWriter } from './readOnly';
import { SnapshotAppender } from './snapshotAppends';

export type { WorkflowVersionRow } from './workflowVersions';
export type { SnapshotStore, StoreReader, StoreWriter } from './contract';

/** Each query with its handle given: what callers call. */
type Bound<Q, H> = { [K in keyof Q]: Q[K] extends (db: H, ...args: infer A) => infer R ? (...args: A) => R : never };

function bind<Q extends Record<string, (db: H, ...args: never[]) => unknown>, H>(queries: Q, db: H): Bound<Q, H> {
  const bound: Record<string, unknown> = {};
  for (const [name, query] of Object.entries(queries)) bound[name] = (query as (db: H, ...args: unknown[]) => unknown).bind(null, db);
  return bound as Bound<Q, H>;
}

/** The same queries answering through promises (a throw becomes a rejection). */
function promised<Q extends Record<string, (...args: never[]) => unknown>>(queries: Q): { [K in keyof Q]: (...args: Parameters<Q[K]>) => Promise<Awaited<ReturnType<Q[K]>>> } {
  const wrapped: Record<string, unknown> = {};
  for (const [name, query] of Object.entries(queries)) wrapped[name] = async (...args: unknown[]) => (query as (...a: unknown[]) => unknown)(...args);
  return wrapped as { [K in keyof Q]: (...args: Parameters<Q[K]>) => Promise<Awaited<ReturnType<Q[K]>>> };
}

/** The SQLite store's synchronous queries, for what is SQLite's own (import staging) and its tests. */
export interface SyncStore {
  read: Bound<typeof readQueries, ReadableDB>;
  write: Bound<typeof writeQueries, WritableDB> & Pick<SnapshotAppender, 'appendSnapshots' | 'stageSnapshots' | 'releaseChains'>;
}

export class Store implements SnapshotStore {
  readonly provider = 'sqlite';
  readonly read: StoreReader;
  readonly write: StoreWriter;
  readonly sync: SyncStore;
  readonly readOnly: boolean;

  /** The connection itself, for what is neither a read nor a write query: pragmas, the import's bulk copy, tests. */
  private constructor(readonly db: Db) {
    const writable = new WritableDB(db);
    const appender = new SnapshotAppender(writable);
    this.sync = {
      read: bind(readQueries, new ReadableDB(db)),
      write: {
        ...bind(writeQueries, writable),
        appendSnapshots: (docs, known) => appender.appendSnapshots(docs, known),
        stageSnapshots: (docs, known) => appender.stageSnapshots(docs, known),
        releaseChains: (except) => appender.releaseChains(except),
      },
    };
    this.read = promised(this.sync.read);
    const { releaseChains, stageSnapshots: _staged, ...writes } = this.sync.write;
    this.readOnly = db.readonly;
    const writer = { ...promised(writes), releaseChains };
    this.write = this.readOnly ? refusingWriter(writer, db.name) : writer;
  }

  static open(file: string, options: OpenOptions = {}): Store {
    return new Store(openDatabase(file, options));
  }

  /**
   * A store over a connection its caller opened and migrated itself, with pragmas of its own: the import's
   * staging file, which must not be switched to WAL as open does (SQLite will not leave WAL for no journal).
   */
  static over(db: Db): Store {
    return new Store(db);
  }

  get location(): string {
    return this.db.name;
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  async close(): Promise<void> {
    this.closeNow();
  }

  /** Closes at once (the import's staging store, tests). */
  closeNow(): void {
    if (this.db.open) this.db.close();
  }
}
