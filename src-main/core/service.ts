// StudioService: the StudioApi over the store, the workspace and the engine. Every shell (Electron IPC,
// HTTP, CLI) calls this one object; it knows nothing of any of them.
import { EventEmitter } from 'node:events';
import { watch } from 'node:fs';
import { join } from 'node:path';
import type {
  ImportedCodeConsent,
  CreateNamedSnapshotOptions,
  NamedSnapshot,
  RunPage,
  RunPageQuery,
  PruneReport,
  RetentionPolicy,
  RetentionSetting,
  ExportOptions,
  ExportResult,
  ForkOptions,
  ImportOptions,
  ImportSummary,
  ReplayOptions,
  ReplayReport,
  ReplayResult,
  LogLine,
  Page,
  ResumeOptions,
  RetryOptions,
  RunDetail,
  RunOrigin,
  RunSummary,
  SnapshotDiff,
  SnapshotRef,
  SnapshotSummary,
  StartRunOptions,
  StudioApi,
  StudioEvent,
  WorkflowList,
  WorkflowSummary,
  WorkflowVersionDetail,
  WorkflowVersionSummary,
} from '../shared/api';
import { StudioError } from '../shared/errors';
import { pageWorkOrders } from '../shared/workOrders';
import type { Json, SnapshotDocument, StepRecord } from '../shared/snapshot';
import { outlineOf } from '../shared/snapshotOutline';
import { diffWithNotes, summarizeDelta } from './diff/differ';
import { importFiles, type ImportOutcome } from './exchange/importer';
import { removeStaleStaging } from './exchange/staging';
import { exportRuns } from './exchange/native/exporter';
import { DEFAULT_DRIVE_OPTIONS, RunDriver, type DriveOptions } from './engine/runner';
import { next, startSnapshot, type EngineEvent, type StepGraph } from './engine/scheduler';
import { StepWorker, type WorkerLimits } from './engine/stepWorker';
import { WorkerPool } from './engine/workerPool';
import { newRunId } from './ids';
import { findStepSnapshot, firstChange } from './inspect/locate';
import { compareRuns, startOrder } from './replay/compare';
import { replayPlan } from './replay/plan';
import { stateChangesOf } from './replay/stateChanges';
import { ImportedCodeConsents, importedCodeWarning } from './versions/importedCodeConsent';
import { Store } from './store/queries';
import { examplesDir } from './workspace/examples';
import { loadWorkspace, type LoadedWorkspace } from './workspace/workspace';

export interface StudioServiceOptions {
  dbPath: string;
  /** Folder of workflow files; defaults to the bundled examples. */
  workspaceDir?: string;
  /** The folder holding package.json and resources/. */
  appRoot: string;
  /** better_sqlite3.node built for the running runtime (Electron). */
  nativeBinding?: string;
  engine?: Partial<DriveOptions>;
  /** 'lazy': open without loading (bundling) the workspace, for callers that only read runs and snapshots. */
  workspace?: 'load' | 'lazy';
}

/** One workflow version, ready to run: its description, its module, and where it lives. */
interface Runnable {
  summary: WorkflowSummary;
  bundle: string;
  source: string;
  /** Path the module's own requires resolve from. */
  file: string;
}

const DEFAULT_PAGE = 500;
const now = () => new Date().toISOString();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The memory limit of a workflow's step workers (its memoryLimitMb, or the default). */
const limitsOf = (workflow: Runnable): WorkerLimits => ({ workflowId: workflow.summary.id, memoryLimitMb: workflow.summary.memoryLimitMb });

/** Steps that depend, directly or not, on `stepId`, and the step itself. */
function downstreamOf(graph: StepGraph, stepId: string): Set<string> {
  const out = new Set([stepId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [id, needs] of Object.entries(graph)) {
      if (!out.has(id) && needs.some((n) => out.has(n))) {
        out.add(id);
        grew = true;
      }
    }
  }
  return out;
}

/** "Older than N days" becomes a date, now. */
export function resolveRetention(setting: RetentionSetting): RetentionPolicy {
  if (setting.keep !== 'days') return setting;
  return { keep: 'newer', before: new Date(Date.now() - setting.days * 86_400_000).toISOString() };
}

export class StudioService implements StudioApi {
  private readonly events = new EventEmitter();
  private readonly consents = new ImportedCodeConsents();
  private readonly drivers = new Map<string, { driver: RunDriver; done: Promise<SnapshotDocument> }>();
  /** The worker that parsed the last run's configuration, until that run's steps take it (see keepSpare). */
  private spare: { bundle: string; file: string; worker: StepWorker } | null = null;
  private readonly engine: DriveOptions;
  private workspace!: LoadedWorkspace;
  private unwatch: (() => void) | null = null;
  /** The better-sqlite3 binary the store was opened with, for the other databases core opens (import staging). */
  private nativeBinding: string | undefined;

  private constructor(
    readonly store: Store,
    readonly workspaceDir: string,
    engine: Partial<DriveOptions> = {},
  ) {
    this.events.setMaxListeners(0);
    this.engine = { ...DEFAULT_DRIVE_OPTIONS, ...engine };
  }

  static async open(options: StudioServiceOptions): Promise<StudioService> {
    const store = Store.open(options.dbPath, { nativeBinding: options.nativeBinding });
    // What an import killed mid-way left beside the database (see staging.ts).
    removeStaleStaging(store.db.name);
    const service = new StudioService(store, options.workspaceDir ?? examplesDir(options.appRoot), options.engine);
    service.nativeBinding = options.nativeBinding;
    try {
      if (options.workspace === 'lazy') service.workspace = { dir: service.workspaceDir, workflows: new Map(), problems: [] };
      else await service.reloadWorkspace();
    } catch (err) {
      store.close();
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

  async reloadWorkspace(): Promise<void> {
    this.workspace = await loadWorkspace(this.workspaceDir);
    if (this.store.db.open) for (const workflow of this.workspace.workflows.values()) this.remember(workflow, 'saved');
    this.emit({ type: 'workflows-changed' });
  }

  async listWorkflows(): Promise<WorkflowList> {
    return {
      workspace: this.workspace.dir,
      workflows: [...this.workspace.workflows.values()].map((w) => w.summary),
      problems: this.workspace.problems,
    };
  }

  // --- runnable versions ---

  private latest(workflowId: string): Runnable {
    const workflow = this.workspace.workflows.get(workflowId);
    if (!workflow) {
      const known = [...this.workspace.workflows.keys()].join(', ') || 'none';
      throw new StudioError('E_UNKNOWN_WORKFLOW', `no workflow with id "${workflowId}" in ${this.workspace.dir} (known: ${known})`);
    }
    return workflow;
  }

  /**
   * A stored version, runnable even after its file changed or was deleted. Imported code runs only with a consent
   * (`consentToImportedCode`), spent here, or when `allowImported` says the run was started with one.
   */
  private stored(hash: string, allowImported: boolean | { consent: string | undefined } = false): Runnable {
    const row = this.store.getWorkflowVersion(hash);
    if (!row) throw new StudioError('E_NO_VERSION', `workflow version ${hash} is not in the database`);
    // Code that came with an import is data: shown and diffed, never run here without the person's say-so.
    if (row.why === 'imported' && row.bundle === '') {
      throw new StudioError('E_IMPORTED_CODE', `workflow version ${hash} came with a foreign import: it is a step graph with no code to run; run the workspace's workflow "${row.workflowId}" with the latest version instead`, { hints: [{ use: 'version', value: 'latest' }] });
    }
    if (row.why === 'imported' && allowImported !== true) {
      this.consents.spend(allowImported === false ? undefined : allowImported.consent, hash);
    }
    const summary = JSON.parse(row.meta) as WorkflowSummary;
    return { summary, bundle: row.bundle, source: row.source, file: join(this.workspace.dir, summary.file) };
  }

  /** Stores a workflow version (once: versions are immutable). Workspace loads mark it the latest. */
  private remember(workflow: Runnable, why: 'saved' | 'ran'): void {
    const { summary } = workflow;
    this.store.saveWorkflowVersion(
      { hash: summary.version, workflowId: summary.id, source: workflow.source, bundle: workflow.bundle, meta: JSON.stringify(summary), why, createdAt: now() },
      why === 'saved' ? { name: summary.name, file: summary.file } : undefined,
    );
  }

  async listVersions(workflowId: string): Promise<WorkflowVersionSummary[]> {
    const rows = this.store.listWorkflowVersions(workflowId);
    if (rows.length === 0 && !this.workspace.workflows.has(workflowId)) {
      throw new StudioError('E_UNKNOWN_WORKFLOW', `no workflow with id "${workflowId}" in the workspace or the database`);
    }
    const latest = this.workspace.workflows.get(workflowId)?.summary.version;
    return rows.map((r) => {
      const meta = JSON.parse(r.meta) as WorkflowSummary;
      return { version: r.hash, workflowId, why: r.why as WorkflowVersionSummary['why'], createdAt: r.createdAt, file: meta.file, latest: r.hash === latest };
    });
  }

  async getVersion(version: string): Promise<WorkflowVersionDetail> {
    const row = this.store.getWorkflowVersion(version);
    if (!row) throw new StudioError('E_NO_VERSION', `workflow version ${version} is not in the database`);
    const meta = JSON.parse(row.meta) as WorkflowSummary;
    const latest = this.workspace.workflows.get(row.workflowId)?.summary.version === version;
    const detail: WorkflowVersionDetail = { version, workflowId: row.workflowId, why: row.why, createdAt: row.createdAt, file: meta.file, latest, source: row.source, steps: meta.steps };
    if (meta.configSchema !== undefined) detail.configSchema = meta.configSchema;
    return detail;
  }

  /**
   * Watches the workspace: saving a workflow file reloads it, which stores a new version when its content
   * changed, and tells every shell (workflows-changed). Used by the desktop app and serve.
   */
  watchWorkspace(debounceMs = 150): () => void {
    let timer: NodeJS.Timeout | undefined;
    const watcher = watch(this.workspaceDir, { recursive: true }, (_event, name) => {
      if (name && !/\.workflow\.(ts|js|mts|mjs|cts|cjs)$/.test(String(name)) && !/\.(ts|js|mts|mjs|json)$/.test(String(name))) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.reloadWorkspace().catch((err: Error) => process.stderr.write(`workspace reload failed: ${err.message}\n`));
      }, debounceMs);
    });
    this.unwatch = () => {
      clearTimeout(timer);
      watcher.close();
    };
    return this.unwatch;
  }

  /** A run of imported code (allowed after its warning) says so in its metadata, so it can be continued later. */
  private consentOf(workflow: Runnable): Record<string, Json> {
    return this.store.getWorkflowVersion(workflow.summary.version)?.why === 'imported' ? { importedCodeAllowed: true } : {};
  }

  /** Parses a configuration in a worker of the workflow; with `forRun`, that worker is kept for the run's steps. */
  private async parseConfig(workflow: Runnable, config: Json | undefined, forRun = true): Promise<Json> {
    const { worker } = await StepWorker.load(workflow.bundle, workflow.file, limitsOf(workflow));
    let parsed: Awaited<ReturnType<StepWorker['parseConfig']>>;
    try {
      parsed = await worker.parseConfig(config);
    } catch (err) {
      await worker.close();
      throw err;
    }
    if (!parsed.ok) {
      await worker.close();
      throw new StudioError('E_BAD_CONFIG', `workflow "${workflow.summary.id}": ${parsed.message}`);
    }
    if (forRun) this.keepSpare(workflow, worker);
    else await worker.close();
    return parsed.config;
  }

  /**
   * Keeps the worker that parsed a run's configuration for that run's steps, which start right after: one
   * worker start (a thread, the module's evaluation) fewer per run. One is kept at most, for a few seconds.
   */
  private keepSpare(workflow: Runnable, worker: StepWorker): void {
    const old = this.spare;
    const spare = { bundle: workflow.bundle, file: workflow.file, worker };
    this.spare = spare;
    if (old) void old.worker.close();
    setTimeout(() => {
      if (this.spare !== spare) return;
      this.spare = null;
      void worker.close();
    }, 5000).unref();
  }

  /** A fresh worker for a run of this workflow: the spare one if it holds this very module. */
  private async startWorker(workflow: Runnable): Promise<StepWorker> {
    const spare = this.spare;
    if (spare && spare.bundle === workflow.bundle && spare.file === workflow.file) {
      this.spare = null;
      return spare.worker;
    }
    return (await StepWorker.load(workflow.bundle, workflow.file, limitsOf(workflow))).worker;
  }

  // --- running ---

  /** Creates the run row and its first snapshot(s), then drives it in the background. */
  private async begin(
    workflow: Runnable,
    init: { input: Json; config: Json; origin: RunOrigin; retryOf?: string; forkedFrom?: string; replayOf?: string; steps?: Record<string, StepRecord>; state?: Record<string, Json>; metadata?: Record<string, Json> },
    edit?: Extract<EngineEvent, { type: 'edited' }>,
  ): Promise<RunSummary> {
    this.remember(workflow, 'ran');
    const { summary } = workflow;
    const runId = newRunId();
    const at = now();
    this.store.createRun({ id: runId, workflowId: summary.id, workflowVersion: summary.version, origin: init.origin, input: init.input, config: init.config, at, retryOf: init.retryOf, forkedFrom: init.forkedFrom, replayOf: init.replayOf });
    const graph = this.graphOf(summary);
    let doc = startSnapshot(graph, { runId, workflowId: summary.id, workflowVersion: summary.version, input: init.input, config: init.config, at, steps: init.steps, state: init.state, metadata: init.metadata });
    this.writeSnapshot(doc);
    if (edit) {
      doc = next(graph, doc, edit);
      this.writeSnapshot(doc);
    }
    this.drive(workflow, doc);
    return this.store.getRunSummary(runId);
  }

  private graphOf(summary: WorkflowSummary): StepGraph {
    return Object.fromEntries(summary.steps.map((s) => [s.id, s.needs]));
  }

  private drive(workflow: Runnable, from: SnapshotDocument): void {
    const runId = from.runId;
    const pool = new WorkerPool(() => this.startWorker(workflow));
    const { stepLimit, defaultStepTimeoutMs } = workflow.summary;
    const options: DriveOptions = {
      ...this.engine,
      ...(stepLimit ? { stepLimit } : {}),
      ...(defaultStepTimeoutMs !== undefined ? { defaultStepTimeoutMs, defaultStepTimeoutSource: `defaultStepTimeoutMs of workflow "${workflow.summary.id}"` } : {}),
    };
    // A replay (after a crash too) takes its effects and signals from its recording, named in its metadata.
    const replay = from.metadata.replay as { of?: Json; liveEffects?: Json } | undefined;
    if (replay && typeof replay.of === 'string') {
      const recorded = this.store.latestSnapshot(replay.of);
      if (recorded) options.replay = replayPlan(recorded, workflow.summary.steps, replay.liveEffects === true, stateChangesOf(this.store, replay.of));
    }
    const driver = new RunDriver(workflow.summary.steps, from, pool, {
      write: (docs) => this.writeSnapshots(docs),
      log: (line) => this.store.appendLog({ ...line, level: 'info', data: line.data as Json | undefined }),
      // A pause or cancel from another process (the CLI beside serve) is seen here within a poll.
      newerThan: (id, seq) => (this.store.getRunSummary(id).lastSeq > seq ? this.store.latestSnapshot(id) : undefined),
    }, options);
    this.store.setRunner(runId, process.pid);
    const done = driver.run().finally(() => {
      this.drivers.delete(runId);
      if (this.store.db.open) this.store.setRunner(runId, null);
    });
    // A finished run is pruned by the stored retention policy (keep all, the default, prunes nothing).
    done.then(() => this.applyRetention(runId)).catch(() => undefined);
    // A store failure mid-run leaves the run at its last written snapshot; say so where a person can see it.
    done.catch((err: Error) => {
      if (!err.message.startsWith('abandoned')) process.stderr.write(`run ${runId} stopped: ${err.message}\n`);
    });
    this.drivers.set(runId, { driver, done });
  }

  // --- named snapshots ---

  async createNamedSnapshot(name: string, options: CreateNamedSnapshotOptions): Promise<NamedSnapshot> {
    let workflow: Runnable;
    if (options.version === undefined || options.version === 'latest') workflow = this.latest(options.workflowId);
    else {
      workflow = this.stored(options.version);
      if (workflow.summary.id !== options.workflowId) {
        throw new StudioError('E_BAD_ARGUMENT', `version ${options.version} belongs to workflow "${workflow.summary.id}", not "${options.workflowId}"`);
      }
    }
    const config = await this.parseConfig(workflow, options.config, false);
    this.remember(workflow, 'ran');
    const named: NamedSnapshot = { name, workflowId: workflow.summary.id, workflowVersion: workflow.summary.version, config, input: options.input ?? null, createdAt: now() };
    this.store.saveNamedSnapshot(named);
    return named;
  }

  async listNamedSnapshots(workflowId?: string): Promise<NamedSnapshot[]> {
    return this.store.listNamedSnapshots(workflowId);
  }

  async runNamedSnapshot(ref: { name: string } | { workflowId: string }): Promise<RunSummary> {
    let named: NamedSnapshot;
    if ('name' in ref) named = this.store.getNamedSnapshot(ref.name);
    else {
      const newest = this.store.listNamedSnapshots(ref.workflowId)[0];
      if (!newest) throw new StudioError('E_NO_NAMED_SNAPSHOT', `workflow "${ref.workflowId}" has no named snapshots (snapshot create makes one)`);
      named = newest;
    }
    // The frozen version runs from its stored source, whatever the workspace holds now.
    return this.begin(this.stored(named.workflowVersion), { input: named.input, config: named.config, origin: 'local', metadata: { namedSnapshot: named.name } });
  }

  async deleteNamedSnapshot(name: string): Promise<NamedSnapshot> {
    return this.store.deleteNamedSnapshot(name);
  }

  // --- retention ---

  async getRetention(): Promise<RetentionSetting> {
    return (this.store.getSetting('retention') as RetentionSetting | undefined) ?? { keep: 'all' };
  }

  async setRetention(setting: RetentionSetting): Promise<RetentionSetting> {
    this.store.setSetting('retention', setting as unknown as Json);
    return setting;
  }

  async prune(policy?: RetentionSetting): Promise<PruneReport> {
    return this.store.prune(resolveRetention(policy ?? (await this.getRetention())));
  }

  private async applyRetention(runId: string): Promise<void> {
    if (!this.store.db.open) return;
    const setting = await this.getRetention();
    if (setting.keep !== 'all') this.store.prune(resolveRetention(setting), [runId]);
  }

  async startRun(workflowId: string, options: StartRunOptions): Promise<RunSummary> {
    const workflow = this.latest(workflowId);
    const config = await this.parseConfig(workflow, options.config);
    return this.begin(workflow, { input: options.input ?? null, config, origin: 'local' });
  }

  async consentToImportedCode(runId: string): Promise<ImportedCodeConsent> {
    const run = this.store.getRun(runId);
    const row = this.store.getWorkflowVersion(run.workflowVersion);
    if (row?.why !== 'imported') {
      throw new StudioError('E_BAD_ARGUMENT', `consentToImportedCode: run ${runId} ran with workflow version ${run.workflowVersion.slice(0, 12)}, which did not come with an import: nothing to consent to`);
    }
    if (row.bundle === '') this.stored(row.hash); // a step graph with no code: says so
    const file = (JSON.parse(row.meta) as { file?: string }).file || '(no file)';
    return {
      runId,
      workflowId: row.workflowId,
      version: row.hash,
      file,
      warning: importedCodeWarning(row.workflowId, row.hash, file),
      consent: this.consents.issue(row.hash),
    };
  }

  async retry(runId: string, options: RetryOptions): Promise<RunSummary> {
    const original = this.store.getRun(runId);
    const workflow = options.version === 'original' ? this.stored(original.workflowVersion, { consent: options.importedCodeConsent }) : this.latest(original.workflowId);
    const config = await this.parseConfig(workflow, options.config ?? original.config);
    if (!options.fromStep) return this.begin(workflow, { input: original.input, config, origin: 'local', retryOf: runId, metadata: this.consentOf(workflow) });
    const graph = this.graphOf(workflow.summary);
    if (!graph[options.fromStep]) {
      throw new StudioError('E_BAD_ARGUMENT', `retry: options.fromStep: workflow "${original.workflowId}" has no step "${options.fromStep}" (steps: ${Object.keys(graph).join(', ')})`);
    }
    const last = this.store.latestSnapshot(runId);
    if (!last) throw new StudioError('E_NO_SNAPSHOT', `run ${runId} has no snapshots to retry from`);
    const rerun = downstreamOf(graph, options.fromStep);
    const steps: Record<string, StepRecord> = {};
    for (const id of Object.keys(graph)) {
      const recorded = last.steps[id];
      if (!rerun.has(id) && recorded && (recorded.status === 'completed' || recorded.status === 'skipped')) steps[id] = recorded;
    }
    // The state the step saw when it first started; the final state when it never started.
    const seq = this.store.findSnapshotSeq(runId, 'step-started', options.fromStep);
    const state = seq ? this.store.getSnapshot(runId, seq).state : last.state;
    return this.begin(workflow, { input: original.input, config, origin: 'local', retryOf: runId, steps, state, metadata: { retryFromStep: options.fromStep, ...this.consentOf(workflow) } });
  }

  async fork(runId: string, seq: number, options: ForkOptions): Promise<RunSummary> {
    const source = this.store.getSnapshot(runId, seq);
    const workflow = options.version === 'latest' ? this.latest(source.workflowId) : this.stored(source.workflowVersion, { consent: options.importedCodeConsent });
    const graph = this.graphOf(workflow.summary);
    const steps: Record<string, StepRecord> = {};
    for (const id of Object.keys(graph)) {
      const s = source.steps[id];
      if (s && (s.status === 'completed' || s.status === 'skipped')) steps[id] = s;
    }
    const config = options.config !== undefined ? await this.parseConfig(workflow, options.config) : source.config;
    const edit: Extract<EngineEvent, { type: 'edited' }> | undefined =
      options.state !== undefined || options.config !== undefined
        ? { type: 'edited', at: now(), ...(options.state !== undefined ? { state: options.state } : {}), ...(options.config !== undefined ? { config } : {}), note: 'edited before fork' }
        : undefined;
    return this.begin(
      workflow,
      { input: source.input, config: source.config, origin: 'local', forkedFrom: runId, steps, state: source.state, metadata: { forkedFrom: { runId, seq }, ...this.consentOf(workflow) } },
      edit,
    );
  }

  async pause(runId: string): Promise<RunSummary> {
    return this.stop(runId, 'pause');
  }

  async cancel(runId: string): Promise<RunSummary> {
    return this.stop(runId, 'cancel');
  }

  /** An imported run is a record to read and compare, never one to continue: that would run imported code. */
  private refuseImported(runId: string, what: string): void {
    if (this.store.getRunSummary(runId).origin === 'imported') {
      throw new StudioError('E_IMPORTED_RUN', `run ${runId} was imported: it is a record and cannot be ${what}; retry or fork it with the latest version to run it with the workspace's code`, { hints: [{ use: 'version', value: 'latest' }] });
    }
  }

  /**
   * Pauses or cancels a run. Driven here, the driver stops itself; driven by another process (the CLI
   * beside `serve`), the paused or cancelled snapshot is written directly, and that process's next write
   * is refused by the seq check, which stops its driver: the store is the one arbiter.
   */
  private async stop(runId: string, how: 'pause' | 'cancel'): Promise<RunSummary> {
    this.refuseImported(runId, how === 'pause' ? 'paused' : 'cancelled');
    const active = this.drivers.get(runId);
    if (active) {
      active.driver.request(how);
      await active.done.catch(() => undefined);
      return this.store.getRunSummary(runId);
    }
    const last = this.store.latestSnapshot(runId);
    const stoppable = how === 'pause' ? ['pending', 'running', 'error'] : ['pending', 'running', 'error', 'paused', 'waiting'];
    if (!last || !stoppable.includes(last.status)) {
      throw new StudioError('E_NOT_RUNNING', `run ${runId} cannot be ${how === 'pause' ? 'paused' : 'cancelled'}: it is ${last?.status ?? 'without snapshots'}`);
    }
    // Only the step graph is read here: nothing runs, so imported code may be named.
    const version = this.stored(last.workflowVersion, true);
    this.writeSnapshot(next(this.graphOf(version.summary), last, how === 'pause' ? { type: 'paused', at: now() } : { type: 'cancelled', at: now() }));
    return this.store.getRunSummary(runId);
  }

  async resume(runId: string, options: ResumeOptions = {}): Promise<RunSummary> {
    this.refuseImported(runId, 'resumed');
    const run = this.store.getRunSummary(runId);
    const last = this.store.latestSnapshot(runId);
    if (!last || !['paused', 'running', 'error', 'pending', 'waiting'].includes(run.status)) {
      throw new StudioError('E_NOT_RESUMABLE', `run ${runId} is ${run.status}: only paused or waiting runs, or runs left unfinished by a process that died, can be resumed`);
    }
    const active = this.drivers.get(runId);
    if (options.signal === undefined) {
      if (active) throw new StudioError('E_ALREADY_RUNNING', `run ${runId} is already running`);
      if (run.status === 'waiting' && last.cursor.timers.length === 0) {
        const awaited = last.cursor.waiting.map((w) => `"${w.signal}" (step ${w.stepId})`).join(', ');
        throw new StudioError('E_NEEDS_SIGNAL', `run ${runId} waits for a signal: ${awaited}; resume it with one`);
      }
    }
    const owner = this.store.runnerOf(runId);
    if (!active && owner && owner !== process.pid && isAlive(owner)) {
      throw new StudioError('E_ALREADY_RUNNING', `run ${runId} is being run by another process (pid ${owner})`);
    }
    // A run someone started with imported code after its warning goes on with it (after a pause or a crash).
    const workflow = this.stored(last.workflowVersion, last.metadata.importedCodeAllowed === true);
    const graph = this.graphOf(workflow.summary);
    let doc = last;
    if (options.signal !== undefined) {
      const waiting = last.cursor.waiting.filter((w) => w.signal === options.signal);
      if (waiting.length === 0) {
        const awaited = last.cursor.waiting.map((w) => `"${w.signal}"`).join(', ') || 'none';
        throw new StudioError('E_NOT_WAITING', `run ${runId} is not waiting for signal "${options.signal}" (it waits for: ${awaited})`);
      }
      if (active) await active.done.catch(() => undefined);
      for (const w of waiting) {
        doc = next(graph, this.store.latestSnapshot(runId)!, { type: 'signal-received', at: now(), stepId: w.stepId, signal: w.signal, payload: options.payload ?? null });
        this.writeSnapshot(doc);
      }
      if (this.drivers.has(runId)) return this.store.getRunSummary(runId);
    }
    if (run.status !== 'waiting' || options.signal === undefined) {
      doc = next(graph, doc, { type: 'resumed', at: now(), reason: run.status === 'paused' ? 'resume' : 'recovery' });
      this.writeSnapshot(doc);
    }
    this.drive(workflow, doc);
    return this.store.getRunSummary(runId);
  }

  /** Continues every run left unfinished by a process that died (at start of the app and of serve). */
  async recoverRuns(): Promise<string[]> {
    const recovered: string[] = [];
    for (const { id, runnerPid } of this.store.unfinishedRuns()) {
      if (this.drivers.has(id) || (runnerPid && runnerPid !== process.pid && isAlive(runnerPid))) continue;
      // An imported run that was unfinished where it was recorded stays as recorded.
      if (this.store.getRunSummary(id).origin === 'imported') continue;
      const last = this.store.latestSnapshot(id);
      // A run waiting only for a signal needs nobody to drive it; one waiting on a timer does.
      if (last?.status === 'waiting' && last.cursor.timers.length === 0) continue;
      try {
        await this.resume(id);
        recovered.push(id);
      } catch (err) {
        process.stderr.write(`could not recover run ${id}: ${(err as Error).message}\n`);
      }
    }
    return recovered;
  }

  /** Resolves with the run's summary once it stops (ends, pauses or is cancelled) in this process. */
  async waitForRun(runId: string): Promise<RunSummary> {
    await this.drivers.get(runId)?.done.catch(() => undefined);
    return this.store.getRunSummary(runId);
  }

  // --- reading ---

  async listRuns(): Promise<RunSummary[]> {
    return this.store.listRuns();
  }

  async listRunPage(query: RunPageQuery): Promise<RunPage> {
    // Grouping needs every run's links, so the page is cut from all run summaries (a narrow read: 10,000
    // runs in a few milliseconds); the window then holds and lays out only the pages it asked for.
    return pageWorkOrders(this.store.listRuns(), query);
  }

  async getRun(runId: string): Promise<RunDetail> {
    return this.store.getRun(runId);
  }

  async listSnapshots(runId: string, page: { offset?: number; limit?: number }): Promise<Page<SnapshotSummary>> {
    const offset = page.offset ?? 0;
    const limit = page.limit ?? DEFAULT_PAGE;
    const total = this.store.countSnapshots(runId);
    return { items: this.store.listSnapshots(runId, offset, limit), total, offset, limit };
  }

  async getSnapshot(runId: string, seq: number): Promise<SnapshotDocument> {
    return this.store.getSnapshot(runId, seq);
  }

  async getSnapshotOutline(runId: string, seq: number): Promise<SnapshotDocument> {
    return outlineOf(this.store.getSnapshot(runId, seq));
  }

  async diffSnapshots(a: SnapshotRef, b: SnapshotRef): Promise<SnapshotDiff> {
    const left = this.store.getSnapshot(a.runId, a.seq);
    const right = this.store.getSnapshot(b.runId, b.seq);
    const { delta, notes } = diffWithNotes(left, right);
    const result: SnapshotDiff = { a, b, left, summary: summarizeDelta(delta, notes) };
    if (delta !== undefined) result.delta = delta as Json;
    return result;
  }

  // --- exchange ---

  async exportRuns(options: ExportOptions): Promise<ExportResult> {
    return exportRuns(this.store, options);
  }

  async importFiles(options: ImportOptions): Promise<ImportSummary> {
    const { runIds: _added, seenRunIds: _seen, ...summary } = await this.importAndAnnounce(options);
    return summary;
  }

  /** Imports files with progress events, and tells every shell about each run added. */
  private async importAndAnnounce(options: ImportOptions): Promise<ImportOutcome> {
    const outcome = await importFiles(this.store, options.files, {
      format: options.format,
      openOptions: { nativeBinding: this.nativeBinding },
      onProgress: (p) => this.emit({ type: 'import-progress', ...p }),
    });
    for (const id of outcome.runIds) this.emit({ type: 'run-updated', run: this.store.getRunSummary(id) });
    return outcome;
  }

  // --- replay ---

  async replay(options: ReplayOptions): Promise<ReplayResult> {
    let runIds = options.runIds ?? [];
    let imported: ImportSummary | undefined;
    if (options.files) {
      const { runIds: _added, seenRunIds, ...summary } = await this.importAndAnnounce({ files: options.files, format: options.format });
      imported = summary;
      runIds = seenRunIds;
    }
    // Every run named must exist before any replay starts.
    for (const id of runIds) this.store.getRunSummary(id);
    const runs: ReplayReport[] = [];
    for (const id of runIds) runs.push(await this.replayOne(id, options.liveEffects === true));
    return { runs, diverged: runs.filter((r) => r.outcome !== 'identical').length, ...(imported ? { imported } : {}) };
  }

  private async replayOne(runId: string, liveEffects: boolean): Promise<ReplayReport> {
    const original = this.store.getRun(runId);
    const recorded = this.store.latestSnapshot(runId);
    const report: ReplayReport = { runId, workflowId: original.workflowId, outcome: 'not-replayed', missingSteps: [], addedSteps: [], compared: 0, recordedEffects: [], message: '' };
    if (!recorded) return { ...report, message: `run ${runId} has no snapshots to replay` };
    const workflow = this.workspace.workflows.get(original.workflowId);
    if (!workflow) {
      const steps = startOrder(recorded).slice(0, 8);
      return {
        ...report,
        message:
          `no local workflow with id "${original.workflowId}" in ${this.workspace.dir}: add a file such as ${original.workflowId}.workflow.ts there that ` +
          `default-exports defineWorkflow({ id: '${original.workflowId}', steps: { ${steps.map((s) => `${/^[A-Za-z_$][\w$]*$/.test(s) ? s : JSON.stringify(s)}: { run: ... }`).join(', ')} } }), then replay again`,
      };
    }
    let config: Json;
    try {
      config = await this.parseConfig(workflow, original.config);
    } catch (err) {
      if (!(err instanceof StudioError)) throw err;
      return { ...report, workflowVersion: workflow.summary.version, message: `the recorded config does not fit the local workflow: ${err.message}` };
    }
    const plan = replayPlan(recorded, workflow.summary.steps, liveEffects);
    const recordedEffects = [...plan.effects.keys()];
    const started = await this.begin(workflow, {
      input: original.input,
      config,
      origin: 'replay',
      replayOf: runId,
      metadata: { replay: { of: runId, liveEffects }, recordedEffects },
    });
    await this.waitForRun(started.id);
    const replayed = this.store.latestSnapshot(started.id)!;
    const comparison = compareRuns(recorded, replayed, { recorded: stateChangesOf(this.store, runId), replayed: stateChangesOf(this.store, started.id) });
    let note = '';
    if (replayed.status === 'waiting') {
      // It waits for a signal the recording never received: nothing would ever continue it.
      const awaited = replayed.cursor.waiting.map((w) => `"${w.signal}" (step ${w.stepId})`).join(', ');
      note = `; the replay waited for ${awaited}, which the recording never received, and was cancelled`;
      await this.cancel(started.id);
    } else if (replayed.status === 'paused' || replayed.status === 'cancelled') {
      note = `; the replay was ${replayed.status} before it ended${replayed.status === 'paused' ? ': resume it, then compare the two runs' : ''}`;
    }
    const d = comparison.firstDivergence;
    const shown = (v: Json | undefined) => (v === undefined ? '(absent)' : JSON.stringify(v).slice(0, 200));
    const message = d
      ? `diverged at step ${d.stepId}, ${d.field === d.path ? d.field : `${d.field} ${d.path || '(whole)'}`}: recorded ${shown(d.recorded)}, replayed ${shown(d.replayed)}` +
        (comparison.missingSteps.length ? `; missing steps: ${comparison.missingSteps.join(', ')}` : '') +
        (comparison.addedSteps.length ? `; added steps: ${comparison.addedSteps.join(', ')}` : '')
      : `identical: ${comparison.compared} step(s) compared (status, output, state)${recordedEffects.length ? `, ${recordedEffects.length} effect(s) from the recording (${recordedEffects.join(', ')})` : ''}`;
    return {
      ...report,
      ...comparison,
      outcome: d ? 'diverged' : 'identical',
      replayRunId: started.id,
      workflowVersion: workflow.summary.version,
      status: { recorded: recorded.status, replayed: replayed.status },
      recordedEffects,
      message: message + note,
    };
  }

  async listLogs(runId: string, options: { stepId?: string }): Promise<LogLine[]> {
    this.store.getRunSummary(runId);
    const lines = this.store.listLogs(runId);
    return options.stepId === undefined ? lines : lines.filter((l) => l.stepId === options.stepId);
  }

  async findStepSnapshot(runId: string, stepId: string, which: 'first' | 'last'): Promise<number | null> {
    return findStepSnapshot(this.store, runId, stepId, which);
  }

  async firstChange(runId: string, path: string, range: { from?: number; to?: number }): Promise<number | null> {
    return firstChange(this.store, runId, path, range);
  }

  /**
   * Closes the database. Runs still in flight are abandoned, not ended: they stay as their last snapshot
   * left them and continue at the next start of the app or of serve (or with `resume`).
   */
  async close(): Promise<void> {
    this.unwatch?.();
    const spare = this.spare;
    this.spare = null;
    await spare?.worker.close();
    const active = [...this.drivers.values()];
    for (const { driver } of active) driver.abandon();
    await Promise.allSettled(active.map((d) => d.done));
    this.store.close();
  }

  private writeSnapshot(doc: SnapshotDocument): void {
    this.writeSnapshots([doc]);
  }

  private writeSnapshots(docs: SnapshotDocument[]): void {
    const written = this.store.writeSnapshots(docs);
    for (const { snapshot, run } of written) this.emit({ type: 'snapshot-added', runId: run.id, snapshot });
    this.emit({ type: 'run-updated', run: written[written.length - 1].run });
  }
}
