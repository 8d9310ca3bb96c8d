// The shapes every importer produces: the native reader and each foreign adapter turn files into
// ImportedRun values, and one writer stores them (all or nothing per import). Keep this file small:
// it is the seam between the adapters (src-main/core/exchange/adapters) and the import pipeline.
import { StudioError, type ErrorHint } from '../../shared/errors';
import type { Json, RunStatus, SnapshotDocument, StepError } from '../../shared/snapshot';
import type { StepNeeds } from '../engine/stepGraph';
import type { ExchangeFormat, RunLinks } from '../../shared/api';

export type ForeignFormat = Exclude<ExchangeFormat, 'native'>;
export type ImportFormat = 'native' | ForeignFormat;

/** Where a record came from, for error messages and for the verbatim copy kept beside the snapshot. */
export interface ImportSource {
  file: string;
  /** 1-based line of a JSON Lines / NDJSON file, when the record has one. */
  line?: number;
  /** 1-based row of a database table, or index in a JSON array. */
  row?: number;
}

/** The step graph of a workflow known only from its records (no code). */
export interface ImportedWorkflow {
  id: string;
  name?: string;
  steps: StepNeeds[];
}

export interface ImportedRun {
  format: ImportFormat;
  /**
   * Our run id: stable for the same foreign run (derived from the foreign id, e.g. `mastra-<runId>`),
   * so importing the same file twice adds nothing.
   */
  runId: string;
  /** The foreign system's own run id, verbatim. */
  foreignRunId: string;
  workflow: ImportedWorkflow;
  status: RunStatus;
  input: Json;
  config: Json;
  createdAt: string;
  result?: Json;
  error?: StepError;
  /**
   * Snapshots of our schema (schemaVersion 1), seq 1..n in order, kind 'imported' unless a closer kind
   * applies. Each carries `metadata.original` (the foreign record, verbatim) and `metadata.source`
   * (ImportSource as JSON) so the original is kept beside what it became.
   */
  snapshots: SnapshotDocument[];
  /** Links to runs of the same import or already in the database (a time-travel branch: forkedFrom). */
  links?: RunLinks;
  /**
   * A run read from a source that grows: when the database has it already, the snapshots after the one it
   * has last (matched by metadata.sourceKey) are appended to it. 'timeline': the source keeps every point
   * (a LangGraph thread), so the last stored one must still be there; 'latest': the source keeps only the
   * run's latest state (a Mastra row updated in place), which is appended when it differs from the last.
   */
  incremental?: 'timeline' | 'latest';
  /** Values in a serialisation this build cannot read, shown as their type and size. */
  unreadableValues?: number;
  /** 'imported' unless said: a LangGraph thread replayed against local code is stored as a 'replay'. */
  origin?: 'imported' | 'replay';
}

/** An import error names the file, the line or row, the field, what was expected and what was found. */
export class ImportError extends StudioError {
  constructor(
    readonly where: ImportSource & { field?: string; expected?: string; got?: string },
    /** What is wrong, without where (the message says both). */
    readonly reason: string,
    hints: readonly ErrorHint[] = [],
  ) {
    const at = where.line !== undefined ? `:${where.line}` : where.row !== undefined ? ` row ${where.row}` : '';
    const field = where.field ? ` field "${where.field}"` : '';
    const eg = where.expected !== undefined ? ` (expected ${where.expected}${where.got !== undefined ? `, got ${where.got}` : ''})` : '';
    super('E_IMPORT', `${where.file}${at}${field}: ${reason}${eg}`, { hints });
    this.name = 'ImportError';
  }
}

export interface ForeignAdapter {
  format: ForeignFormat;
  /**
   * Whether a file looks like this format, from its name and its first bytes (up to 64 KB as text,
   * or the SQLite header for database files). Must not throw.
   */
  detect(sample: { file: string; head: string }): boolean;
  /**
   * Reads every file given (all detected or forced as this format) into runs. Several files of the
   * same foreign run become several points of one run's timeline. Throws ImportError on bad input.
   */
  read(files: string[]): Promise<ImportedRun[]>;
}
