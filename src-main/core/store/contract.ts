// The storage contract: what the engine, the service, import, export, retention and replay call, whichever
// database is behind it. Every method is asynchronous (a network database is); reading and writing are
// typed apart, so a read path holds no write. Providers: SQLite (store.ts, the default) and PostgreSQL
// (postgres/). Their query tables share these signatures, taken from the SQLite queries' own.
import type { ReadQueries, WriteQueries } from './queries';
import type { Appended } from './snapshotAppends';
import type { SnapshotDocument } from '../../shared/snapshot';

/** A query with its handle given, answering through a promise. */
type Async<Q> = { [K in keyof Q]: Q[K] extends (db: never, ...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

/** Everything a read path may do: it holds no write. */
export type StoreReader = Async<ReadQueries>;

/** The writes, snapshot appends among them. */
export interface StoreWriter extends Async<WriteQueries> {
  /**
   * Appends snapshots (of one run or several, each run's in seq order) in one transaction: all or none,
   * refused (E_SEQ_CONFLICT) unless each run's first document is its next seq. One update of a run's row per
   * batch.
   */
  appendSnapshots(docs: SnapshotDocument[]): Promise<Appended[]>;
  /** Forgets the last documents kept to write each run's next snapshot as a delta. */
  releaseChains(): void;
}

export type StoreProvider = 'sqlite' | 'postgres';

export interface SnapshotStore {
  readonly provider: StoreProvider;
  /** The file or the URL (without its password) the store was opened from, for messages. */
  readonly location: string;
  readonly read: StoreReader;
  readonly write: StoreWriter;
  /** Opened with --read-only: every write is refused (E_READ_ONLY). */
  readonly readOnly: boolean;
  /** Whether close() has not been called: writes after it fail. */
  readonly isOpen: boolean;
  close(): Promise<void>;
}
