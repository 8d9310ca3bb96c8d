// StudioApi: the one contract between core and its shells (Electron IPC, HTTP, CLI).
// Every method takes and returns plain JSON; the renderer imports these types only.
import type { Json, RunStatus, SnapshotDocument, SnapshotKind, StepError } from './snapshot';
import type { ExportOptions, ExportResult, ImportOptions, ImportSummary, ReplayOptions, ReplayResult } from './exchangeTypes';
import type { RunFailure, StepOutcome } from './stepOutcome';

export interface WorkflowStep {
  id: string;
  needs: string[];
  effect: boolean;
  /** The step has a `when` condition. */
  hasWhen: boolean;
  /** The step's own timeout; 0: none (the workflow's default step timeout does not apply either). */
  timeoutMs?: number;
  retry?: { maxAttempts: number; backoff: 'fixed' | 'exponential'; intervalMs: number; maxIntervalMs?: number };
  /** The step loops: it runs again while its `loop.while` holds (or until its `loop.until` does). */
  loop?: 'while' | 'until';
}

export interface WorkflowProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

export interface WorkflowSummary {
  id: string;
  name: string;
  description?: string;
  /** Path of the workflow file, relative to the workspace. */
  file: string;
  /** Content hash of the bundled module: the workflow version. */
  version: string;
  steps: WorkflowStep[];
  /** JSON Schema of the workflow's config, when it declares one. */
  configSchema?: Json;
  /** Step executions allowed in one run, when the workflow sets its own (default 1,000). */
  stepLimit?: number;
  /** Heap each step worker may use, when the workflow sets its own (default 1,024 MB). */
  memoryLimitMb?: number;
  /** Timeout of steps without their own, when the workflow sets it (default 5 minutes; 0: none). */
  defaultStepTimeoutMs?: number;
}

export interface WorkflowList {
  workspace: string;
  workflows: WorkflowSummary[];
  /** Files that could not be loaded; the other workflows keep working. */
  problems: WorkflowProblem[];
}

export interface WorkflowVersionSummary {
  /** The content hash of the bundled module. */
  version: string;
  workflowId: string;
  /** saved: seen in the workspace; ran: first recorded by a run; imported: came with an import. */
  why: 'saved' | 'ran' | 'imported';
  createdAt: string;
  file: string;
  /** The workspace's current version of this workflow. */
  latest: boolean;
}

export interface WorkflowVersionDetail extends WorkflowVersionSummary {
  source: string;
  steps: WorkflowStep[];
  /** JSON Schema of this version's config, when it declares one. */
  configSchema?: Json;
}

export type RunOrigin = 'local' | 'imported' | 'replay';

export interface RunSummary {
  id: string;
  workflowId: string;
  workflowVersion: string;
  status: RunStatus;
  origin: RunOrigin;
  createdAt: string;
  updatedAt: string;
  snapshotCount: number;
  /** The seq of the run's newest snapshot (0 before its first): with retention, snapshots run up to it from lastSeq − snapshotCount + 1. */
  lastSeq: number;
  /** The run this one retries. */
  retryOf?: string;
  /** The run this one was forked from. */
  forkedFrom?: string;
  /** The imported run this one replays. */
  replayOf?: string;
}

/** The links a run was recorded with. */
export interface RunLinks {
  retryOf?: string;
  forkedFrom?: string;
  replayOf?: string;
}

/** What a run carries besides its columns. */
export interface RunMetadata {
  /** Links an imported run's export recorded to runs neither that import nor this database had. */
  unresolvedLinks?: RunLinks;
}

export interface RunDetail extends RunSummary {
  input: Json;
  config: Json;
  result?: Json;
  error?: StepError;
  metadata?: RunMetadata;
  /** A failed run's failed step: where the run header links to. */
  failure?: RunFailure;
}

export interface SnapshotSummary {
  seq: number;
  kind: SnapshotKind;
  stepId: string | null;
  /** The run's status at this snapshot. */
  status: RunStatus;
  /** The outcome of the snapshot's own step (failed, completed, started, waiting, …); null on a run's snapshot. */
  stepStatus: StepOutcome | null;
  at: string;
  /** Bytes of the full document as JSON. */
  size: number;
}

/** Which page of the history to read: whole work orders, newest activity first. */
export interface RunPageQuery {
  /** Work orders with at least one run matching every field given (query: part of a run id, any case). */
  filter?: { workflowId?: string; status?: string; origin?: string; query?: string };
  /** The `next` of the page before; absent: the first page. */
  after?: string;
  /** Work orders on the page (default 200). */
  limit?: number;
  /** Instead of a page: the whole work order this run belongs to. */
  workOrderOf?: string;
}

/** A page of the history: every run of its work orders (matching the filter or not, for context). */
export interface RunPage {
  runs: RunSummary[];
  /** The cursor of the next page; null on the last. */
  next: string | null;
  /** Runs in the database. */
  total: number;
  /** Runs matching the filter. */
  matching: number;
  /** Work orders with a run matching the filter. */
  workOrders: number;
  /** Every workflow with runs, for the filter's choices. */
  workflowIds: string[];
}

export interface Page<T> {
  items: T[];
  total: number;
  offset: number;
  limit: number;
}

export interface SnapshotRef {
  runId: string;
  seq: number;
}

export interface DiffSummary {
  added: number;
  removed: number;
  changed: number;
  /** JSON-pointer-like paths ("/steps/fetch/output") of every change, in document order. */
  paths: { path: string; op: 'added' | 'removed' | 'changed' | 'moved' }[];
  /** How the comparison was made where a person should know, e.g. a large array matched by position. */
  notes?: string[];
}

export interface SnapshotDiff {
  a: SnapshotRef;
  b: SnapshotRef;
  /** The left document, which jsondiffpatch's visual formatter needs beside the delta. */
  left: SnapshotDocument;
  /** jsondiffpatch delta from a to b; undefined (absent) when they are equal. */
  delta?: Json;
  summary: DiffSummary;
}

export interface LogLine {
  stepId: string | null;
  at: string;
  level: string;
  message: string;
  data?: Json;
}

export interface StartRunOptions {
  input?: Json;
  config?: Json;
  /** Leave the run to a worker (`snapshot-studio worker` on the same database) instead of driving it here. */
  detach?: boolean;
}

export interface ResumeOptions {
  signal?: string;
  payload?: Json;
  /** Leave the resumed run to a worker instead of driving it here. */
  detach?: boolean;
}

export interface RetryOptions {
  /** 'latest': the workspace's current version of the workflow; 'original': the version the run ran with. */
  version: 'latest' | 'original';
  /** Replaces the run's configuration. */
  config?: Json;
  /** Start from this step: the steps it does not depend on are reused as recorded. */
  fromStep?: string;
  /**
   * With version 'original' of an imported run: the one-time consent `consentToImportedCode` gave after the person
   * saw its warning; the code that came with the import runs only with it.
   */
  importedCodeConsent?: string;
}

export interface ForkOptions {
  /** Replaces the snapshot's state before the new run continues (stored as an `edited` snapshot). */
  state?: { [key: string]: Json };
  config?: Json;
  version?: 'latest' | 'original';
  /** With version 'original' of an imported run: the one-time consent from `consentToImportedCode` (see RetryOptions). */
  importedCodeConsent?: string;
}

/** What running a run's imported code means, and the one-time consent to do it (one retry or fork, within 5 minutes). */
export interface ImportedCodeConsent {
  runId: string;
  workflowId: string;
  version: string;
  /** The workflow file the code came from, as the export named it. */
  file: string;
  /** The warning a shell shows before it spends the consent. */
  warning: string;
  consent: string;
}

/** A workflow version frozen with a configuration (and an input) under a name, to run again and again. */
export interface NamedSnapshot {
  name: string;
  workflowId: string;
  workflowVersion: string;
  config: Json;
  input: Json;
  createdAt: string;
}

export interface CreateNamedSnapshotOptions {
  workflowId: string;
  /** 'latest' (default): the workspace's current version; or a version hash of this workflow. */
  version?: string;
  config?: Json;
  input?: Json;
}

/** Which snapshots of finished runs to keep; running and paused runs are never pruned. */
export type RetentionPolicy =
  | { keep: 'all' }
  /** The newest `count` snapshots of each run. */
  | { keep: 'last'; count: number }
  /** Snapshots taken before `before` (ISO date) are removed; each run keeps at least its last one. */
  | { keep: 'newer'; before: string };

/** A stored policy may say "older than N days" instead of a fixed date. */
export type RetentionSetting = RetentionPolicy | { keep: 'days'; days: number };

export interface PruneReport {
  policy: RetentionPolicy;
  runs: number;
  snapshots: number;
  /** Stored bytes removed (after the first kept snapshot of a run became a keyframe). */
  bytes: number;
}

export * from './exchangeTypes';

export type StudioEvent =
  | { type: 'run-updated'; run: RunSummary }
  | { type: 'snapshot-added'; runId: string; snapshot: SnapshotSummary }
  | { type: 'workflows-changed' }
  /**
   * While an import reads a file (`reading`: bytes of that file, snapshots read so far over every file), then
   * while it copies what it read into the database in its one transaction (`copying`: `file` lists the files,
   * bytes are all read, `snapshots` copied so far of `totalSnapshots`).
   */
  | { type: 'import-progress'; phase: 'reading' | 'copying'; file: string; bytesRead: number; totalBytes: number; snapshots: number; totalSnapshots?: number };

export interface StudioApi {
  listWorkflows(): Promise<WorkflowList>;
  startRun(workflowId: string, options: StartRunOptions): Promise<RunSummary>;
  listRuns(): Promise<RunSummary[]>;
  /** The history a page at a time, grouped as work orders (a first run with its retries, forks and replays). */
  listRunPage(query: RunPageQuery): Promise<RunPage>;
  getRun(runId: string): Promise<RunDetail>;
  listSnapshots(runId: string, page: { offset?: number; limit?: number }): Promise<Page<SnapshotSummary>>;
  getSnapshot(runId: string, seq: number): Promise<SnapshotDocument>;
  /**
   * One snapshot in outline (shared/snapshotOutline.ts outlineOf): status, cursor and each step's status,
   * attempts and times; no state, input, config, result or metadata, and no step input, output or signals.
   * What the waterfall, graph and run header need, cut down in core so a 5 MB state never reaches the window.
   */
  getSnapshotOutline(runId: string, seq: number): Promise<SnapshotDocument>;
  diffSnapshots(a: SnapshotRef, b: SnapshotRef): Promise<SnapshotDiff>;
  /** A run's log lines in the order they were written, optionally of one step only. */
  listLogs(runId: string, options: { stepId?: string }): Promise<LogLine[]>;
  /** The seq of the first or the last snapshot a step made (its stepId), or null when it made none. */
  findStepSnapshot(runId: string, stepId: string, which: 'first' | 'last'): Promise<number | null>;
  /**
   * The first snapshot in (from, to] whose value at `path` (a JSON pointer) differs from the snapshot before
   * it: the snapshot that changed it. from defaults to 1, to to the run's last snapshot; null when none did.
   */
  firstChange(runId: string, path: string, range: { from?: number; to?: number }): Promise<number | null>;
  /** Versions of a workflow, newest first. */
  listVersions(workflowId: string): Promise<WorkflowVersionSummary[]>;
  /** One version with its source, read-only. */
  getVersion(version: string): Promise<WorkflowVersionDetail>;
  /** Stops a run after the steps now running finish; `resume` continues it. */
  pause(runId: string): Promise<RunSummary>;
  cancel(runId: string): Promise<RunSummary>;
  /**
   * Continues a paused run, one left unfinished by a process that died, or — given a signal it waits
   * for — a waiting run (the waiting step runs again and its waitFor returns the payload).
   */
  resume(runId: string, options?: ResumeOptions): Promise<RunSummary>;
  /**
   * The warning for running the code that came with an imported run's version, and a one-time consent that a
   * following retry or fork (version 'original') spends. Shells show the warning first: the CLI on stderr, the
   * desktop app in a dialog of its own, browser mode in the window.
   */
  consentToImportedCode(runId: string): Promise<ImportedCodeConsent>;
  /** A new run linked to this one (retryOf), from the start or from a step. */
  retry(runId: string, options: RetryOptions): Promise<RunSummary>;
  /** A new run that continues from one snapshot of this one, optionally with edited state or config. */
  fork(runId: string, seq: number, options: ForkOptions): Promise<RunSummary>;
  /** Freezes a workflow version with a configuration (validated now) and an input under a name. */
  createNamedSnapshot(name: string, options: CreateNamedSnapshotOptions): Promise<NamedSnapshot>;
  /** Named snapshots, newest first; of one workflow when given. */
  listNamedSnapshots(workflowId?: string): Promise<NamedSnapshot[]>;
  /** Runs a named snapshot by name, or the newest named snapshot of a workflow. */
  runNamedSnapshot(ref: { name: string } | { workflowId: string }): Promise<RunSummary>;
  deleteNamedSnapshot(name: string): Promise<NamedSnapshot>;
  getRetention(): Promise<RetentionSetting>;
  /** Stores the retention policy; finished runs are pruned by it as they end and by `prune`. */
  setRetention(setting: RetentionSetting): Promise<RetentionSetting>;
  /** Applies a policy (the stored one when none is given) to every finished run, and reports what went. */
  prune(policy?: RetentionSetting): Promise<PruneReport>;
  /** Writes runs, their snapshots, logs and workflow versions to a native export file, redacting secrets by default. */
  exportRuns(options: ExportOptions): Promise<ExportResult>;
  /** Imports export files (native or foreign), all or nothing; runs already in the database are skipped. */
  importFiles(options: ImportOptions): Promise<ImportSummary>;
  /**
   * Runs each recorded run's input and config through the local workflow of the same id (its latest version),
   * effect steps returning their recorded output unless liveEffects, and compares the outputs step by step.
   * Each replay is stored as a run linked to its recording (replayOf).
   */
  replay(options: ReplayOptions): Promise<ReplayResult>;
}

/** The method names of the contract, for shells that dispatch by name. */
export type StudioMethod = keyof StudioApi;

/** What a shell hands the renderer: the contract plus the one event subscription. */
export interface StudioClient extends StudioApi {
  subscribe(listener: (event: StudioEvent) => void): () => void;
}

/** Errors crossing a shell keep a code a program can branch on and a message a person can act on. */
export interface ApiErrorBody {
  code: string;
  message: string;
}
