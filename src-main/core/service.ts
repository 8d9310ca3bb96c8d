// StudioService: the StudioApi over the store, the workspace and the engine. Every shell (Electron IPC,
// HTTP, CLI) calls this one object; it knows nothing of any of them.
import { EventEmitter } from 'node:events';
import type {
  Page,
  RunDetail,
  RunSummary,
  SnapshotDiff,
  SnapshotRef,
  SnapshotSummary,
  StartRunOptions,
  StudioApi,
  StudioEvent,
  WorkflowList,
} from '../shared/api';
import { StudioError } from '../shared/errors';
import type { Json, SnapshotDocument } from '../shared/snapshot';
import { diffValues, summarizeDelta } from './diff/differ';
import { driveRun } from './engine/runner';
import { startSnapshot, type StepGraph } from './engine/scheduler';
import { StepWorker } from './engine/stepWorker';
import { newRunId } from './ids';
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
}

const DEFAULT_PAGE = 500;

export class StudioService implements StudioApi {
  private readonly events = new EventEmitter();
  private readonly active = new Map<string, Promise<SnapshotDocument>>();
  private workspace!: LoadedWorkspace;

  private constructor(
    readonly store: Store,
    readonly workspaceDir: string,
  ) {
    this.events.setMaxListeners(0);
  }

  static async open(options: StudioServiceOptions): Promise<StudioService> {
    const store = Store.open(options.dbPath, { nativeBinding: options.nativeBinding });
    const service = new StudioService(store, options.workspaceDir ?? examplesDir(options.appRoot));
    try {
      await service.reloadWorkspace();
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
    this.emit({ type: 'workflows-changed' });
  }

  async listWorkflows(): Promise<WorkflowList> {
    return {
      workspace: this.workspace.dir,
      workflows: [...this.workspace.workflows.values()].map((w) => w.summary),
      problems: this.workspace.problems,
    };
  }

  async startRun(workflowId: string, options: StartRunOptions): Promise<RunSummary> {
    const workflow = this.workspace.workflows.get(workflowId);
    if (!workflow) {
      const known = [...this.workspace.workflows.keys()].join(', ') || 'none';
      throw new StudioError('E_UNKNOWN_WORKFLOW', `no workflow with id "${workflowId}" in ${this.workspace.dir} (known: ${known})`);
    }
    const { summary } = workflow;
    const { worker } = await StepWorker.load(workflow.bundle, workflow.file);
    const parsed = await worker.parseConfig(options.config);
    if (!parsed.ok) {
      await worker.close();
      throw new StudioError('E_BAD_CONFIG', `workflow "${workflowId}": ${parsed.message}`);
    }
    const at = new Date().toISOString();
    this.store.saveWorkflowVersion(
      {
        hash: summary.version,
        workflowId,
        source: workflow.source,
        bundle: workflow.bundle,
        meta: JSON.stringify(summary),
        why: 'ran',
        createdAt: at,
      },
      summary.name,
      summary.file,
    );
    const runId = newRunId();
    const input: Json = options.input ?? null;
    this.store.createRun({ id: runId, workflowId, workflowVersion: summary.version, origin: 'local', input, config: parsed.config, at });
    const graph: StepGraph = Object.fromEntries(summary.steps.map((s) => [s.id, s.needs]));
    const first = startSnapshot(graph, { runId, workflowId, workflowVersion: summary.version, input, config: parsed.config, at });
    this.writeSnapshot(first);
    const done = driveRun(graph, first, worker, {
      write: (doc) => this.writeSnapshot(doc),
      log: (line) => this.store.appendLog({ ...line, level: 'info', data: line.data as Json | undefined }),
    }).finally(() => {
      this.active.delete(runId);
      void worker.close();
    });
    this.active.set(runId, done);
    // A store failure mid-run leaves the run at its last written snapshot; say so where a person can see it.
    done.catch((err: Error) => process.stderr.write(`run ${runId} stopped: ${err.message}\n`));
    return this.store.getRunSummary(runId);
  }

  /** Resolves with the run's final snapshot when it settles (for the CLI and tests). */
  async waitForRun(runId: string): Promise<RunSummary> {
    await this.active.get(runId)?.catch(() => undefined);
    return this.store.getRunSummary(runId);
  }

  async listRuns(): Promise<RunSummary[]> {
    return this.store.listRuns();
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

  async diffSnapshots(a: SnapshotRef, b: SnapshotRef): Promise<SnapshotDiff> {
    const left = this.store.getSnapshot(a.runId, a.seq);
    const right = this.store.getSnapshot(b.runId, b.seq);
    const delta = diffValues(left, right);
    const result: SnapshotDiff = { a, b, left, summary: summarizeDelta(delta) };
    if (delta !== undefined) result.delta = delta as Json;
    return result;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.active.values()]);
    this.store.close();
  }

  private writeSnapshot(doc: SnapshotDocument): void {
    const snapshot = this.store.appendSnapshot(doc);
    this.emit({ type: 'snapshot-added', runId: doc.runId, snapshot });
    this.emit({ type: 'run-updated', run: this.store.getRunSummary(doc.runId) });
  }
}
