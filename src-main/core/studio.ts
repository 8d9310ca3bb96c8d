// StudioService: the StudioApi over the parts of core (versions, runs, named snapshots, retention, reads,
// exchange, replay). Every shell (Electron IPC, HTTP, CLI) calls this one object; it knows nothing of any of
// them, and holds no logic of its own: each method delegates to the part that owns it.
import { StudioError } from '../shared/errors';
import { writingMethods } from '../shared/methodAccess';
import { EventEmitter } from 'node:events';
import type {
  ImportedCodeConsent,
  CreateNamedSnapshotOptions,
  NamedSnapshot,
  RunPage,
  RunPageQuery,
  PruneReport,
  RetentionSetting,
  ExportOptions,
  ExportResult,
  ForkOptions,
  ImportOptions,
  ImportSummary,
  ReplayOptions,
  ReplayResult,
  LogLine,
  Page,
  ResumeOptions,
  RetryOptions,
  RunDetail,
  RunSummary,
  SnapshotDiff,
  SnapshotRef,
  SnapshotSummary,
  StartRunOptions,
  StudioApi,
  StudioEvent,
  StudioInfo,
  WorkflowList,
  WorkflowVersionDetail,
  WorkflowVersionSummary,
} from '../shared/api';
import type { SnapshotDocument } from '../shared/snapshot';
import type { DriveOptions } from './engine/runDriver';
import type { ImportOutcome } from './exchange/importer';
import { removeStaleStaging } from './exchange/staging';
import { findStepSnapshot, firstChange } from './inspect/locate';
import { createNamedSnapshot, runNamedSnapshot } from './named';
import * as reads from './reads';
import * as retention from './retention';
import { RunLifecycle, type WorkerSkip } from './runs/lifecycle';
import { fork, retry, startRun, type RunParts } from './runs/starts';
import { WorkerCache } from './runs/workerCache';
import type { SnapshotStore } from './store/contract';
import { openStore } from './store/open';
import { readOnlyError } from './store/readOnly';
import { Store } from './store/store';
import { VersionRegistry } from './versions/registry';
import { examplesDir } from './workspace/examples';
import { watchOtherProcesses } from './otherProcesses';
import { watchWorkspace } from './workspace/watch';

export interface StudioServiceOptions {
  /** The database: an SQLite file path, or a postgres:// or postgresql:// URL. */
  db?: string;
  /** The SQLite file (the name before `db` took URLs too); `db` wins when both are given. */
  dbPath?: string;
  /** Folder of workflow files; defaults to the bundled examples. */
  workspaceDir?: string;
  /** The folder holding package.json and resources/. */
  appRoot: string;
  /** better_sqlite3.node built for the running runtime (Electron). */
  nativeBinding?: string;
  engine?: Partial<DriveOptions>;
  /** 'lazy': open without loading (bundling) the workspace, for callers that only read runs and snapshots. */
  workspace?: 'load' | 'lazy';
  /**
   * Opened read-only (--read-only): nothing is written — no migration, no workspace version saved, no staging left
   * by an import removed — and every method that would write is refused with E_READ_ONLY.
   */
  readOnly?: boolean;
}

export class StudioService implements StudioApi {
  private readonly events = new EventEmitter();
  private readonly versions: VersionRegistry;
  private readonly workers = new WorkerCache();
  private readonly runs: RunLifecycle;
  /** What starting a run needs: named snapshots, retries, forks and replays start runs. */
  private readonly parts: RunParts;
  private unwatch: (() => void) | null = null;
  private unwatchOthers: (() => void) | null = null;

  private constructor(
    readonly store: SnapshotStore,
    readonly workspaceDir: string,
    engine: Partial<DriveOptions> = {},
    /** The better-sqlite3 binary the store was opened with, for the other databases core opens (import staging). */
    private readonly nativeBinding: string | undefined,
  ) {
    this.events.setMaxListeners(0);
    const emit = (event: StudioEvent) => this.emit(event);
    this.versions = new VersionRegistry(store, workspaceDir);
    this.runs = new RunLifecycle(store, emit, this.versions, this.workers, engine);
    this.parts = { store, versions: this.versions, workers: this.workers, runs: this.runs };
    if (store.readOnly) this.refuseWrites();
  }

  /** Replaces each method that would write with a refusal naming the database, so it fails before touching anything. */
  private refuseWrites(): void {
    const refuse = (what: string) => async () => {
      throw readOnlyError(this.store.location, what);
    };
    for (const method of writingMethods) Object.defineProperty(this, method, { value: refuse(method) });
    Object.defineProperty(this, 'recoverRuns', { value: refuse('recovering unfinished runs') });
  }

  static async open(options: StudioServiceOptions): Promise<StudioService> {
    const db = options.db ?? options.dbPath;
    if (!db) throw new StudioError('E_BAD_ARGUMENT', 'no database: give a file path or a postgres:// URL');
    const store = await openStore(db, { nativeBinding: options.nativeBinding, readOnly: options.readOnly });
    // What an import killed mid-way left beside an SQLite database (see staging.ts).
    if (store instanceof Store && !store.readOnly) removeStaleStaging(store.db.name);
    const service = new StudioService(store, options.workspaceDir ?? examplesDir(options.appRoot), options.engine, options.nativeBinding);
    try {
      if (options.workspace === 'lazy') service.versions.skipLoading();
      else await service.reloadWorkspace();
    } catch (err) {
      await store.close();
      throw err;
    }
    return service;
  }

  subscribe(listener: (event: StudioEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  private emit(event: StudioEvent): void {
    this.events.emit('event', event);
  }

  async getStudioInfo(): Promise<StudioInfo> {
    return { readOnly: this.store.readOnly, provider: this.store.provider, database: this.store.location };
  }

  // --- workspace and versions ---

  async reloadWorkspace(): Promise<void> {
    await this.versions.reload();
    this.emit({ type: 'workflows-changed' });
  }

  /**
   * Watches the workspace: saving a workflow file reloads it, which stores a new version when its content
   * changed, and tells every shell (workflows-changed). Used by the desktop app and serve (see openStudio).
   */
  watchWorkspace(debounceMs = 150): () => void {
    this.unwatch = watchWorkspace(this.workspaceDir, () => this.reloadWorkspace(), debounceMs);
    return this.unwatch;
  }

  /**
   * Announces runs that other processes write to this database (run-updated), within half a second: a window or
   * serve shows a CLI's run or an `import --follow` as it happens. Used by the long-lived shells (see openStudio).
   */
  watchOtherProcesses(intervalMs = 500): () => void {
    const stop = watchOtherProcesses(this.store, (event) => this.emit(event), intervalMs);
    this.unwatchOthers = stop;
    return stop;
  }

  async listWorkflows(): Promise<WorkflowList> {
    return this.versions.list();
  }

  async listVersions(workflowId: string): Promise<WorkflowVersionSummary[]> {
    return this.versions.listVersions(workflowId);
  }

  async getVersion(version: string): Promise<WorkflowVersionDetail> {
    return this.versions.getVersion(version);
  }

  async consentToImportedCode(runId: string): Promise<ImportedCodeConsent> {
    return this.versions.consentToImportedCode(runId);
  }

  // --- runs ---

  async startRun(workflowId: string, options: StartRunOptions): Promise<RunSummary> {
    return startRun(this.parts, workflowId, options);
  }

  async retry(runId: string, options: RetryOptions): Promise<RunSummary> {
    return retry(this.parts, runId, options);
  }

  async fork(runId: string, seq: number, options: ForkOptions): Promise<RunSummary> {
    return fork(this.parts, runId, seq, options);
  }

  async pause(runId: string): Promise<RunSummary> {
    return this.runs.stop(runId, 'pause');
  }

  async cancel(runId: string): Promise<RunSummary> {
    return this.runs.stop(runId, 'cancel');
  }

  async resume(runId: string, options: ResumeOptions = {}): Promise<RunSummary> {
    const { detach, ...rest } = options;
    return this.runs.resume(runId, rest, detach === true);
  }

  /** Continues every run left unfinished by a process that died (at start of the app and of serve). */
  async recoverRuns(): Promise<string[]> {
    return this.runs.recoverRuns();
  }

  /**
   * A worker's turn (`snapshot-studio worker`): drives up to `limit` more runs that need a driver and have none,
   * claimed by lease so that workers on several hosts never drive one run twice. See RunLifecycle.driveNext.
   */
  async driveNext(limit: number, dueWithinMs: number, skip: Map<string, WorkerSkip>): Promise<string[]> {
    if (this.store.readOnly) throw readOnlyError(this.store.location, 'a worker');
    return this.runs.driveNext(limit, dueWithinMs, skip);
  }

  /** How many runs this process drives now. */
  drivingCount(): number {
    return this.runs.driving;
  }

  /** Settles when any run this process drives stops (at once when it drives none). */
  anyStopped(): Promise<void> {
    return this.runs.anyStopped();
  }

  /** Resolves with the run's summary once it stops (ends, pauses or is cancelled) in this process. */
  async waitForRun(runId: string): Promise<RunSummary> {
    return this.runs.waitForRun(runId);
  }

  // --- named snapshots ---

  async createNamedSnapshot(name: string, options: CreateNamedSnapshotOptions): Promise<NamedSnapshot> {
    return createNamedSnapshot(this.parts, name, options);
  }

  async listNamedSnapshots(workflowId?: string): Promise<NamedSnapshot[]> {
    return await this.store.read.listNamedSnapshots(workflowId);
  }

  async runNamedSnapshot(ref: { name: string } | { workflowId: string }): Promise<RunSummary> {
    return runNamedSnapshot(this.parts, ref);
  }

  async deleteNamedSnapshot(name: string): Promise<NamedSnapshot> {
    return await this.store.write.deleteNamedSnapshot(name);
  }

  // --- retention ---

  async getRetention(): Promise<RetentionSetting> {
    return retention.getRetention(this.store);
  }

  async setRetention(setting: RetentionSetting): Promise<RetentionSetting> {
    return retention.setRetention(this.store, setting);
  }

  async prune(policy?: RetentionSetting): Promise<PruneReport> {
    return retention.prune(this.store, policy);
  }

  // --- reading ---

  async listRuns(): Promise<RunSummary[]> {
    return await this.store.read.listRuns();
  }

  async listRunPage(query: RunPageQuery): Promise<RunPage> {
    return reads.listRunPage(this.store, query);
  }

  async getRun(runId: string): Promise<RunDetail> {
    return await this.store.read.getRun(runId);
  }

  async listSnapshots(runId: string, page: { offset?: number; limit?: number }): Promise<Page<SnapshotSummary>> {
    return reads.listSnapshots(this.store, runId, page);
  }

  async getSnapshot(runId: string, seq: number): Promise<SnapshotDocument> {
    return await this.store.read.getSnapshot(runId, seq);
  }

  async getSnapshotOutline(runId: string, seq: number): Promise<SnapshotDocument> {
    return reads.getSnapshotOutline(this.store, runId, seq);
  }

  async diffSnapshots(a: SnapshotRef, b: SnapshotRef): Promise<SnapshotDiff> {
    return reads.diffSnapshots(this.store, a, b);
  }

  async listLogs(runId: string, options: { stepId?: string }): Promise<LogLine[]> {
    return reads.listLogs(this.store, runId, options);
  }

  async findStepSnapshot(runId: string, stepId: string, which: 'first' | 'last'): Promise<number | null> {
    return findStepSnapshot(this.store.read, runId, stepId, which);
  }

  async firstChange(runId: string, path: string, range: { from?: number; to?: number }): Promise<number | null> {
    return firstChange(this.store.read, runId, path, range);
  }

  // --- exchange and replay ---

  // Exchange and replay are loaded when first called, not with the service: a shell that only reads runs (most CLI
  // commands) does not pay for the importers' and exporters' code and schemas at start.

  async exportRuns(options: ExportOptions): Promise<ExportResult> {
    const { exportRuns } = await import('./exchange/native/exporter');
    return exportRuns(this.store.read, options);
  }

  async importFiles(options: ImportOptions): Promise<ImportSummary> {
    const { runIds: _added, seenRunIds: _seen, extendedRunIds: _extended, ...summary } = await this.importAndAnnounce(options);
    return summary;
  }

  private async importAndAnnounce(options: ImportOptions): Promise<ImportOutcome> {
    const { importAndAnnounce } = await import('./exchange/importAndAnnounce');
    return importAndAnnounce(this.store, (event) => this.emit(event), options, this.nativeBinding);
  }

  async replay(options: ReplayOptions): Promise<ReplayResult> {
    const { replay } = await import('./replay/replayRun');
    return replay({ ...this.parts, importFiles: (o) => this.importAndAnnounce(o) }, options);
  }

  /**
   * Closes the database. Runs still in flight are abandoned, not ended: they stay as their last snapshot
   * left them and continue at the next start of the app or of serve (or with `resume`).
   */
  async close(): Promise<void> {
    this.unwatch?.();
    this.unwatchOthers?.();
    await this.workers.close();
    await this.runs.abandonAll();
    await this.store.close();
  }
}
