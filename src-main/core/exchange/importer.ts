// The import pipeline: detect each file's format from its content (or take the one given), read native
// files line by line and foreign ones through their adapter into a staging database, then copy what is new
// into the main database in one transaction. Any error names the file and line or row and changes nothing.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExchangeFormat, ImportSummary } from '../../shared/api';
import { foreignAdapters } from './adapters';
import { describeSqliteFile, isSqliteHead, type SqliteLimits } from './adapters/mastraDatabase';
import type { ThreadFilter } from './adapters/langgraph/sqliteFile';
import { breather } from './breather';
import { contentKind, notAFile } from './fileKind';
import { stageForeignRun } from './stageForeignRun';
import { readHeadBytes } from './lineStream';
import { NATIVE_FORMAT } from './native/format';
import { readNativeFile } from './native/reader';
import { isPostgresUrl, readPostgresSource, shownUrl } from './sources/postgres';
import { ImportSession } from './staging';
import type { OpenOptions } from '../store/connection';
import type { SnapshotStore } from '../store/contract';
import { importTargetOf } from '../store/postgres/importCopy';
import type { PostgresStore } from '../store/postgres/postgresStore';
import { Store } from '../store/store';
import { ImportError, type ForeignAdapter, type ForeignFormat, type ImportFormat } from './types';

export interface ImportProgress {
  /** Reading the files into staging, then copying them into the database (one transaction). */
  phase: 'reading' | 'copying';
  /** The file being read; while copying, every file of the import. */
  file: string;
  bytesRead: number;
  totalBytes: number;
  /** Snapshots read so far over every file of this import; while copying, snapshots copied so far. */
  snapshots: number;
  /** While copying: how many snapshots the copy adds in all. */
  totalSnapshots?: number;
}

export interface ImportPipelineOptions {
  format?: ExchangeFormat | 'auto';
  adapters?: readonly ForeignAdapter[];
  maxLineBytes?: number;
  maxDepth?: number;
  /** How to open the staging database and foreign SQLite files (the native binding under Electron). */
  openOptions?: OpenOptions;
  /** What one foreign SQLite file may hold (see DEFAULT_SQLITE_LIMITS); used when `adapters` is not given. */
  sqliteLimits?: Partial<SqliteLimits>;
  /** Which threads of a LangGraph source to read (by id, and those with checkpoints since a time). */
  filter?: ThreadFilter;
  /** The schema of a Postgres source's tables (default public). */
  schema?: string;
  /** Called at most every progressEveryMs while a file is read. */
  onProgress?(progress: ImportProgress): void;
  progressEveryMs?: number;
  /** While copying into the database, progress is reported after every this many snapshots (default 5,000). */
  copyChunk?: number;
}

export interface ImportOutcome extends ImportSummary {
  /** The runs added, oldest first. */
  runIds: string[];
  /** Every run the files hold, added or skipped as already present. */
  seenRunIds: string[];
  /** Runs the database had that gained snapshots. */
  extendedRunIds: string[];
}

const NATIVE_FIRST_LINE = new RegExp(`^[^\\n]*"format"\\s*:\\s*"${NATIVE_FORMAT}"`);

/** Whether a file's first bytes are those of `format` (a format given rather than detected may not be). */
function looksLike(format: ImportFormat, file: string, head: string, adapters: readonly ForeignAdapter[]): boolean {
  if (format === 'native') return NATIVE_FIRST_LINE.test(head);
  try {
    return adapters.find((a) => a.format === format)?.detect({ file, head }) === true;
  } catch {
    return false;
  }
}

/**
 * The format of a file, from its first bytes. A file of none is refused naming the formats expected and
 * the kind of file it is (never its bytes: see fileKind).
 */
export function detectFormat(file: string, adapters: readonly ForeignAdapter[], openOptions: OpenOptions = {}): ImportFormat {
  const { bytes, gzip } = readHeadBytes(file);
  const head = bytes.toString('utf8');
  if (NATIVE_FIRST_LINE.test(head)) return 'native';
  for (const adapter of adapters) {
    try {
      if (adapter.detect({ file, head })) return adapter.format;
    } catch {
      // detect must not throw; one that does simply does not claim the file.
    }
  }
  const known = ['a native export (.ssx.ndjson)', ...adapters.map((a) => a.format)].join(', ');
  if (!gzip && isSqliteHead(head)) {
    const sqlite = describeSqliteFile(file, openOptions);
    throw new ImportError({ file, expected: known, got: sqlite.kind }, sqlite.reason);
  }
  throw new ImportError({ file, expected: known, got: contentKind(bytes, gzip) }, 'unknown format: say which format it is', [{ use: 'format' }]);
}

function adapterFor(format: ForeignFormat, adapters: readonly ForeignAdapter[], file: string): ForeignAdapter {
  const adapter = adapters.find((a) => a.format === format);
  if (!adapter) throw new ImportError({ file, expected: `one of native${adapters.map((a) => `, ${a.format}`).join('')}`, got: format }, `this build has no reader for the ${format} format`);
  return adapter;
}

/** An import session into either provider: SQLite's file directly, PostgreSQL through what it knows of the database. */
export async function importSessionFor(store: SnapshotStore, openOptions?: OpenOptions, copyChunk?: number): Promise<ImportSession> {
  return new ImportSession(store instanceof Store ? store : await importTargetOf(store as PostgresStore), openOptions, copyChunk);
}

/** The same error without what it found, for a file that does not look like the format it was read as. */
function withoutContent(err: ImportError): ImportError {
  const { got: _got, ...where } = err.where;
  return new ImportError(where, `${err.reason} (the file does not look like this format, so what it holds is not shown)`);
}

export async function importFiles(store: SnapshotStore, files: string[], options: ImportPipelineOptions = {}): Promise<ImportOutcome> {
  const openOptions = options.openOptions ?? {};
  const adapters = options.adapters ?? foreignAdapters({ nativeBinding: openOptions.nativeBinding, limits: options.sqliteLimits, filter: options.filter });
  const urls = files.filter(isPostgresUrl);
  const paths = files.filter((f) => !isPostgresUrl(f)).map((f) => resolve(f));
  for (const file of paths) {
    let what: string | undefined;
    try {
      what = notAFile(statSync(file));
    } catch (err) {
      throw new ImportError({ file }, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (what) throw new ImportError({ file, expected: 'a file', got: what }, what === 'a folder' ? 'cannot import a folder' : 'can only import files');
  }
  const detect = !options.format || options.format === 'auto';
  const formats = paths.map((file) => ({ file, format: detect ? detectFormat(file, adapters, openOptions) : (options.format as ImportFormat) }));
  // A format given rather than detected: a file that does not look like it is read, but its errors do not quote it.
  const unlike = new Set(detect ? [] : formats.filter(({ file, format }) => !looksLike(format, file, readHeadBytes(file).bytes.toString('utf8'), adapters)).map((f) => f.file));
  const session = await importSessionFor(store, openOptions, options.copyChunk);
  try {
    // Small files finish before the first report is due: only long imports report progress.
    let lastReport = Date.now();
    let reported = false;
    const due = (anyway = false) => {
      const now = Date.now();
      if (!options.onProgress || (!anyway && now - lastReport < (options.progressEveryMs ?? 500))) return false;
      lastReport = now;
      reported = true;
      return true;
    };
    for (const { file, format } of formats) {
      if (format !== 'native') continue;
      const totalBytes = statSync(file).size;
      let bytesRead = 0;
      try {
        await readNativeFile(file, session, {
          maxLineBytes: options.maxLineBytes,
          maxDepth: options.maxDepth,
          onBytes: (n) => (bytesRead = n),
          onLine: () => {
            if (due()) options.onProgress?.({ phase: 'reading', file, bytesRead, totalBytes, snapshots: session.staged });
          },
        });
      } catch (err) {
        throw err instanceof ImportError && unlike.has(file) ? withoutContent(err) : err;
      }
    }
    let unreadable = 0;
    const sourceFormats: { file: string; format: ExchangeFormat }[] = [];
    for (const url of urls) {
      const forced = options.format === 'langgraph' || options.format === 'mastra' ? options.format : undefined;
      if (options.format && options.format !== 'auto' && !forced) {
        throw new ImportError({ file: shownUrl(url), expected: 'langgraph or mastra', got: options.format }, 'a PostgreSQL source is read as LangGraph or Mastra only');
      }
      const read = await readPostgresSource(url, { format: forced, schema: options.schema, filter: options.filter, limits: options.sqliteLimits });
      sourceFormats.push({ file: shownUrl(url), format: read.format });
      unreadable += read.unreadable;
      const breathe = breather();
      for (const run of read.runs) {
        await stageForeignRun(session, run, shownUrl(url));
        await breathe();
      }
    }
    const byFormat = new Map<ForeignFormat, string[]>();
    for (const { file, format } of formats) if (format !== 'native') byFormat.set(format, [...(byFormat.get(format) ?? []), file]);
    for (const [format, group] of byFormat) {
      const adapter = adapterFor(format, adapters, group[0]);
      let runs;
      try {
        runs = await adapter.read(group);
      } catch (err) {
        if (err instanceof ImportError) throw unlike.has(err.where.file) ? withoutContent(err) : err;
        const why = err instanceof RangeError ? 'the records are nested too deeply to read' : `the ${format} reader failed`;
        throw new ImportError({ file: group.join(', ') }, `${why} (${(err as Error).message})`);
      }
      const breathe = breather();
      for (const run of runs) {
        unreadable += run.unreadableValues ?? 0;
        try {
          await stageForeignRun(session, run, group[0]);
        } catch (err) {
          throw err instanceof ImportError && group.some((f) => unlike.has(f)) ? withoutContent(err) : err;
        }
        await breathe();
      }
    }
    const allBytes = paths.reduce((n, file) => n + statSync(file).size, 0);
    const committed = await session.commitInto((copied, total) => {
      // An import long enough to have reported also reports the copy's start and end, however quick.
      if (due(reported && (copied === 0 || copied === total))) {
        options.onProgress?.({ phase: 'copying', file: paths.join(', '), bytesRead: allBytes, totalBytes: allBytes, snapshots: copied, totalSnapshots: total });
      }
    });
    return {
      runs: committed.runIds.length,
      snapshots: committed.snapshots,
      skipped: session.skipped,
      formats: [...formats, ...sourceFormats],
      ...(committed.extendedRunIds.length > 0 ? { extended: committed.extendedRunIds.length } : {}),
      ...(unreadable > 0 ? { unreadableValues: unreadable } : {}),
      ...(committed.unresolvedLinks.length > 0 ? { unresolvedLinks: committed.unresolvedLinks } : {}),
      runIds: committed.runIds,
      seenRunIds: session.seenRunIds,
      extendedRunIds: committed.extendedRunIds,
    };
  } finally {
    session.discard();
  }
}
