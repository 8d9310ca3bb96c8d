// What an import's options say about which part of a source to read: threads and a start time for a
// LangGraph source, the schema of a Postgres one. A time that is not one is refused naming what was given.
import type { ImportOptions } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import type { ThreadFilter } from '../adapters/langgraph/sqliteFile';

export function sourceOptions(options: Pick<ImportOptions, 'threads' | 'since' | 'schema'>): { filter: ThreadFilter; schema?: string } {
  const filter: ThreadFilter = {};
  if (options.threads) filter.threads = options.threads;
  if (options.since !== undefined) {
    const at = Date.parse(options.since);
    if (Number.isNaN(at)) throw new StudioError('E_BAD_ARGUMENT', `since must be a date or time (e.g. 2026-11-30 or 2026-11-30T08:00:00Z), got ${JSON.stringify(options.since)}`);
    filter.since = at;
  }
  return { filter, ...(options.schema ? { schema: options.schema } : {}) };
}
