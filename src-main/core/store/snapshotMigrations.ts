// Snapshot documents from older schema versions are brought up to this build's version by pure functions,
// one per version step, applied in order on read (stored rows are never rewritten). A document from a
// newer schema than this build knows is refused with a message naming both versions.
import { StudioError } from '../../shared/errors';
import { SNAPSHOT_SCHEMA_VERSION, type SnapshotDocument, type StepRecord } from '../../shared/snapshot';

type AnyDoc = Record<string, unknown> & { schemaVersion: number };

/**
 * Version 1 → 2: version 2 records each finished step's `durationMs` (its last attempt, from startedAt to
 * endedAt). Version 1 documents get it computed from the two timestamps where both are there.
 */
export function migrate1to2(doc: AnyDoc): AnyDoc {
  const steps = (doc.steps ?? {}) as Record<string, StepRecord>;
  // fromEntries defines each member, so a step with the id "__proto__" stays a step (an assignment would drop it).
  const out: Record<string, StepRecord> = Object.fromEntries(
    Object.entries(steps).map(([id, step]) => {
      const started = step.startedAt ? Date.parse(step.startedAt) : NaN;
      const ended = step.endedAt ? Date.parse(step.endedAt) : NaN;
      return [id, Number.isFinite(started) && Number.isFinite(ended) && ended >= started && step.durationMs === undefined ? { ...step, durationMs: ended - started } : step];
    }),
  );
  return { ...doc, schemaVersion: 2, steps: out };
}

/** MIGRATIONS[v] turns a version v document into a version v + 1 one. */
export const MIGRATIONS: Record<number, (doc: AnyDoc) => AnyDoc> = { 1: migrate1to2 };

/** Checks a document's schemaVersion and migrates an older one; `where` names it in errors. */
export function migrateSnapshot(doc: unknown, where: string): SnapshotDocument {
  const v = (doc as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new StudioError('E_SCHEMA_VERSION', `${where}: schemaVersion must be a whole number from 1, got ${JSON.stringify(v)}`);
  }
  if (v > SNAPSHOT_SCHEMA_VERSION) {
    throw new StudioError(
      'E_SCHEMA_TOO_NEW',
      `${where}: snapshot schema version ${v} is newer than this build knows (${SNAPSHOT_SCHEMA_VERSION}); open it with a newer Snapshot Studio`,
    );
  }
  let out = doc as AnyDoc;
  for (let from = v; from < SNAPSHOT_SCHEMA_VERSION; from++) out = MIGRATIONS[from](out);
  return out as unknown as SnapshotDocument;
}
