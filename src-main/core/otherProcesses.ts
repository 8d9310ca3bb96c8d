// Writes made by other processes (a CLI run, an `import --follow`, another window) reach this one's shells: a
// commit on another connection bumps SQLite's data_version, seen by a cheap poll; then each run whose status, last
// snapshot or update time moved is announced as run-updated, so an open window shows it without a reload.
// Our own writes do not bump our connection's data_version, and are announced where they are made.
import type { StudioEvent } from '../shared/api';
import type { Store } from './store/store';

export function watchOtherProcesses(store: Store, emit: (event: StudioEvent) => void, intervalMs = 500): () => void {
  const dataVersion = () => store.db.pragma('data_version', { simple: true }) as number;
  let version = dataVersion();
  let marks = new Map(store.read.runMarks().map((r) => [r.id, r.mark]));
  const timer = setInterval(() => {
    if (!store.db.open) return;
    const now = dataVersion();
    if (now === version) return;
    version = now;
    const next = new Map(store.read.runMarks().map((r) => [r.id, r.mark]));
    for (const [id, mark] of next) {
      if (marks.get(id) !== mark) emit({ type: 'run-updated', run: store.read.getRunSummary(id) });
    }
    marks = next;
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
