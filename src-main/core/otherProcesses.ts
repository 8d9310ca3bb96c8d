// Writes made by other processes (a CLI run, an `import --follow`, a worker on another host, another window) reach
// this one's shells. On SQLite a commit on another connection bumps the file's data_version, seen by a cheap poll;
// on PostgreSQL every change of a run's row is announced on a channel (migration 3) this process LISTENs to. Then
// each run whose status, last snapshot or update time moved is announced as run-updated, so an open window shows it
// without a reload. On SQLite those runs are read by their change number (schema version 8), not by comparing
// every run's; our own writes are announced where they are made, and one made since the last poll is announced
// again with the other process's (the window keeps the freshest). On PostgreSQL one seen here too is announced
// only if its mark moved since.
import type { StudioEvent } from '../shared/api';
import type { SnapshotStore } from './store/contract';
import type { PostgresStore } from './store/postgres/postgresStore';
import { ReadableDB } from './store/handles';
import { lastRunChange, runsChangedSince } from './store/runs';
import { Store } from './store/store';

export function watchOtherProcesses(store: SnapshotStore, emit: (event: StudioEvent) => void, intervalMs = 500): () => void {
  if (store instanceof Store) return watchSqlite(store, emit, intervalMs);
  if (store.provider === 'postgres') return watchPostgres(store as PostgresStore, emit);
  return () => undefined;
}

function watchSqlite(store: Store, emit: (event: StudioEvent) => void, intervalMs: number): () => void {
  const dataVersion = () => store.db.pragma('data_version', { simple: true }) as number;
  const reader = new ReadableDB(store.db);
  let version = dataVersion();
  // Runs changed after this change number are announced (schema version 8): a look at an index, not at every run.
  let seen = lastRunChange(reader);
  const timer = setInterval(() => {
    if (!store.db.open) return;
    const now = dataVersion();
    if (now === version) return;
    version = now;
    for (const { id, change } of runsChangedSince(reader, seen)) {
      seen = change;
      emit({ type: 'run-updated', run: store.sync.read.getRunSummary(id) });
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

function watchPostgres(store: PostgresStore, emit: (event: StudioEvent) => void): () => void {
  let stopped = false;
  const marks = new Map<string, string>();
  const pending = new Set<string>();
  let draining = false;
  // Announces the runs named since the last drain, one read each, in the order they were named.
  const drain = async () => {
    if (draining) return;
    draining = true;
    try {
      while (pending.size && !stopped && store.isOpen) {
        const [id] = pending;
        pending.delete(id);
        const run = await store.read.getRunSummary(id).catch(() => undefined);
        if (!run) continue;
        const mark = `${run.status}:${run.lastSeq}:${run.updatedAt}`;
        if (marks.get(id) === mark) continue;
        marks.set(id, mark);
        emit({ type: 'run-updated', run });
      }
    } finally {
      draining = false;
    }
  };
  const stopListening = store.listenRuns((runId) => {
    pending.add(runId);
    void drain();
  });
  return () => {
    stopped = true;
    void stopListening();
  };
}
