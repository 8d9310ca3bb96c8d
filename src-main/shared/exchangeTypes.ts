// The contract's types for moving runs in and out: export, import (files and production sources) and replay.
import type { RunLinks } from './api';
import type { Json, RunStatus } from './snapshot';
/** Which runs to export: the runs named, or the runs of a workflow and/or created since a date. */
export interface ExportOptions {
  runIds?: string[];
  workflowId?: string;
  /** ISO date or date-time: runs created at or after it. */
  since?: string;
  /** The file to write: NDJSON, gzip when the name ends in .gz (e.g. runs.ssx.ndjson.gz). */
  out: string;
  /** Replace the values of secret-looking keys (default true). */
  redact?: boolean;
  /** More keys to redact, besides the default ones (password, secret, token, apiKey, authorization, cookie, ...). */
  redactKeys?: string[];
  /**
   * Every snapshot as its whole document (format version 1, which older builds read too), not as a delta from
   * the one before: a larger file that line tools such as jq read snapshot by snapshot.
   */
  wholeDocuments?: boolean;
}

export interface ExportResult {
  file: string;
  runs: number;
  snapshots: number;
  /** How many values were redacted. */
  redacted: number;
}

/** The formats import reads (and replay reads files in), native first. */
export const EXCHANGE_FORMATS = ['native', 'mastra', 'kaiban', 'refluxo', 'temporal', 'langgraph'] as const;
export type ExchangeFormat = (typeof EXCHANGE_FORMATS)[number];

export interface ImportOptions {
  /** Files, or a LangGraph / Mastra PostgreSQL database as a postgres:// URL (read in place, read-only). */
  files: string[];
  /** 'auto' (the default) detects each file's format from its content. */
  format?: ExchangeFormat | 'auto';
  /** Of a LangGraph source: only these threads. */
  threads?: string[];
  /** Of a LangGraph source: only threads with a checkpoint at or after this time (ISO 8601). */
  since?: string;
  /** Of a PostgreSQL source: the schema of its tables (default public). */
  schema?: string;
}

export interface ImportSummary {
  /** Runs added. */
  runs: number;
  /** Snapshots added. */
  snapshots: number;
  /** Runs left out because the database already has them (and, for a source that grows, nothing new). */
  skipped: number;
  /** Runs already in the database that gained new snapshots (a LangGraph thread that went on). Absent when none. */
  extended?: number;
  /** Values in a serialisation this build cannot read (Python's msgpack), shown as their type and size. Absent when none. */
  unreadableValues?: number;
  /** The format each file was read as. */
  formats: { file: string; format: ExchangeFormat }[];
  /**
   * Links (retryOf, forkedFrom, replayOf) of added runs to runs neither the files nor the database have: kept
   * in the run's metadata (`unresolvedLinks`), not as links. Absent when there are none.
   */
  unresolvedLinks?: UnresolvedLink[];
}

export interface UnresolvedLink {
  runId: string;
  link: keyof RunLinks;
  target: string;
}

/** What to replay: runs already in the database, or export files (imported first; runs already present are reused). */
export interface ReplayOptions {
  runIds?: string[];
  files?: string[];
  /** The format of the files ('auto', the default, detects it from each file's content). */
  format?: ExchangeFormat | 'auto';
  /** Run steps marked `effect` for real; by default they return their recorded output. */
  liveEffects?: boolean;
}

/** Where a replay first parted from the recording: a step, what of it differed, and where. */
export interface ReplayDivergence {
  stepId: string;
  /** What differed: the step's status, loop iteration, error message, output, or the run's state after it. */
  field: 'status' | 'iteration' | 'error' | 'output' | 'state';
  /**
   * output: a JSON pointer (RFC 6901) into the step's output ('' for the whole); state: a pointer into the
   * snapshot (`/state/...`); otherwise the field's name.
   */
  path: string;
  /** The values at that path; absent when the path does not exist on that side. */
  recorded?: Json;
  replayed?: Json;
}

export interface ReplayReport {
  /** The run replayed (the recording). */
  runId: string;
  workflowId: string;
  /**
   * identical: every step the recording ran, the replay ran with equal status, output and state after it;
   * diverged: see firstDivergence, missingSteps and addedSteps;
   * not-replayed: the replay could not start (no local workflow of that id, or its config no longer fits): see message.
   */
  outcome: 'identical' | 'diverged' | 'not-replayed';
  /** The new run (origin 'replay', replayOf runId) when the replay started. */
  replayRunId?: string;
  /** The local workflow version the replay ran. */
  workflowVersion?: string;
  status?: { recorded: RunStatus; replayed: RunStatus };
  firstDivergence?: ReplayDivergence;
  /** Steps the recording ran that the replay did not. */
  missingSteps: string[];
  /** Steps the replay ran that the recording did not. */
  addedSteps: string[];
  /** Steps both ran, compared. */
  compared: number;
  /** Effect steps that returned their recorded output instead of running. */
  recordedEffects: string[];
  /** One line a person can act on. */
  message: string;
}

export interface ReplayResult {
  runs: ReplayReport[];
  /** Runs that diverged or could not be replayed. */
  diverged: number;
  /** When files were given: what importing them added. */
  imported?: ImportSummary;
}
