// A store opened read-only (`--read-only`): its writer refuses every write with E_READ_ONLY naming the database,
// before anything reaches it (the database would refuse too: a read-only handle on SQLite, read-only transactions
// on PostgreSQL).
import { StudioError } from '../../shared/errors';
import type { StoreWriter } from './contract';

export function readOnlyError(location: string, what: string): StudioError {
  return new StudioError('E_READ_ONLY', `${what} would write to ${location}, which is open read-only (--read-only): open it without --read-only to do that`);
}

/** A writer with the same methods as `writer`, each refusing; forgetting chains (nothing stored) stays allowed. */
export function refusingWriter(writer: StoreWriter, location: string): StoreWriter {
  const refusing: Record<string, unknown> = {};
  for (const name of Object.keys(writer)) {
    refusing[name] = async () => {
      throw readOnlyError(location, `the store's ${name}`);
    };
  }
  return { ...(refusing as unknown as StoreWriter), releaseChains: () => undefined };
}

/** The refusal of a database that needs a migration this read-only opening may not run. */
export function needsMigrationError(location: string, version: number, latest: number): StudioError {
  return new StudioError(
    'E_READ_ONLY',
    `${location} has database version ${version} and this build needs ${latest}: a read-only opening cannot migrate it. It was left untouched: open it once without --read-only (which migrates it), then read-only.`,
  );
}
