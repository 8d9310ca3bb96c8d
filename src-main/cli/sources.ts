// The `import` command's reading of sources: files and postgres:// URLs (kept as given, never resolved as
// paths), the options that narrow a source (--thread, --since, --schema), and the summary lines.
import { resolve } from 'node:path';
import { EXCHANGE_FORMATS, type ImportOptions, type ImportSummary } from '../shared/api';
import { isPostgresUrl } from '../shared/databaseUrls';

export const IMPORT_SOURCE_OPTIONS = {
  format: { type: 'string' },
  thread: { type: 'string', multiple: true },
  since: { type: 'string' },
  schema: { type: 'string' },
  follow: { type: 'boolean' },
  interval: { type: 'string' },
} as const;

export const IMPORT_SOURCE_HELP = `  --format NAME        auto (default: detected from each file's content or a database's tables), ${EXCHANGE_FORMATS.slice(0, -1).join(', ')} or ${EXCHANGE_FORMATS.at(-1)}
  --thread ID          of a LangGraph source: only this thread (repeat for more)
  --since DATE         of a LangGraph source: only threads with a checkpoint at or after DATE
  --schema NAME        of a PostgreSQL source: the schema of its tables (default public)
  --follow             keep importing what is new until stopped (Ctrl-C), every --interval (default 2s)`;

/** The importFiles options of the command line: files resolved from the current folder, URLs as given. */
export function importOptionsFrom(positionals: string[], values: Record<string, unknown>): ImportOptions {
  const options: ImportOptions = { files: positionals.map((f) => (isPostgresUrl(f) ? f : resolve(f))) };
  // As given: the contract's schema refuses what is not a format, a thread id or a time.
  if (typeof values.format === 'string') options.format = values.format as ImportOptions['format'];
  if (Array.isArray(values.thread)) options.threads = values.thread as string[];
  if (typeof values.since === 'string') options.since = values.since;
  if (typeof values.schema === 'string') options.schema = values.schema;
  return options;
}

export function importSummaryLines(summary: ImportSummary): string[] {
  const lines = summary.formats.map((f) => `${f.file}: ${f.format}`);
  const extended = summary.extended ? `; ${summary.extended} run(s) gained new snapshots` : '';
  lines.push(`imported ${summary.runs} run(s), ${summary.snapshots} snapshot(s)${extended}; ${summary.skipped} run(s) skipped as already present`);
  if (summary.unreadableValues) lines.push(`${summary.unreadableValues} value(s) in a serialisation this build cannot read (e.g. Python's msgpack): shown as their type and size`);
  for (const l of summary.unresolvedLinks ?? []) lines.push(`run ${l.runId}: ${l.link} ${l.target} is in neither the files nor the database; kept in the run's metadata`);
  return lines;
}
