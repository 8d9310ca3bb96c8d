// The version registry: the workspace's workflows (the latest version of each) and every version the
// store keeps, runnable by hash even after its file changed. Imported code runs only with a consent.
import { join } from 'node:path';
import type { ImportedCodeConsent, WorkflowList, WorkflowSummary, WorkflowVersionDetail, WorkflowVersionSummary } from '../../shared/api';
import { StudioError } from '../../shared/errors';
import type { Json } from '../../shared/snapshot';
import type { SnapshotStore } from '../store/contract';
import { loadWorkspace, type LoadedWorkspace } from '../workspace/workspace';
import { ImportedCodeConsents, importedCodeWarning } from './importedCodeConsent';

/** One workflow version, ready to run: its description, its module, and where it lives. */
export interface Runnable {
  summary: WorkflowSummary;
  bundle: string;
  source: string;
  /** Path the module's own requires resolve from. */
  file: string;
}

const now = () => new Date().toISOString();

export class VersionRegistry {
  private readonly consents = new ImportedCodeConsents();
  private workspace!: LoadedWorkspace;

  constructor(
    private readonly store: SnapshotStore,
    readonly workspaceDir: string,
  ) {}

  /** Starts with no workflows loaded, for callers that only read runs and snapshots (the CLI's read commands). */
  skipLoading(): void {
    this.workspace = { dir: this.workspaceDir, workflows: new Map(), problems: [] };
  }

  /** Loads the workspace again; each workflow's version is stored (once) and marked the latest. */
  async reload(): Promise<void> {
    this.workspace = await loadWorkspace(this.workspaceDir, (version) => this.described(version));
    if (this.store.isOpen) for (const workflow of this.workspace.workflows.values()) await this.remember(workflow, 'saved');
  }

  /** A version's description as a load or a run here stored it; an imported one's came from elsewhere, so it is not taken. */
  private async described(version: string): Promise<WorkflowSummary | undefined> {
    const row = this.store.isOpen ? await this.store.read.getWorkflowVersion(version) : undefined;
    return row && row.why !== 'imported' ? (JSON.parse(row.meta) as WorkflowSummary) : undefined;
  }

  list(): WorkflowList {
    return {
      workspace: this.workspace.dir,
      workflows: [...this.workspace.workflows.values()].map((w) => w.summary),
      problems: this.workspace.problems,
    };
  }

  /** The folder the workspace was loaded from. */
  get dir(): string {
    return this.workspace.dir;
  }

  /** The workspace's workflow of this id, if it has one. */
  local(workflowId: string): Runnable | undefined {
    return this.workspace.workflows.get(workflowId);
  }

  latest(workflowId: string): Runnable {
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
  async stored(hash: string, allowImported: boolean | { consent: string | undefined } = false): Promise<Runnable> {
    const row = await this.store.read.getWorkflowVersion(hash);
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
  async remember(workflow: Runnable, why: 'saved' | 'ran'): Promise<void> {
    const { summary } = workflow;
    await this.store.write.saveWorkflowVersion(
      { hash: summary.version, workflowId: summary.id, source: workflow.source, bundle: workflow.bundle, meta: JSON.stringify(summary), why, createdAt: now() },
      why === 'saved' ? { name: summary.name, file: summary.file } : undefined,
    );
  }

  /** A run of imported code (allowed after its warning) says so in its metadata, so it can be continued later. */
  async consentOf(workflow: Runnable): Promise<Record<string, Json>> {
    return (await this.store.read.getWorkflowVersion(workflow.summary.version))?.why === 'imported' ? { importedCodeAllowed: true } : {};
  }

  async listVersions(workflowId: string): Promise<WorkflowVersionSummary[]> {
    const rows = await this.store.read.listWorkflowVersions(workflowId);
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
    const row = await this.store.read.getWorkflowVersion(version);
    if (!row) throw new StudioError('E_NO_VERSION', `workflow version ${version} is not in the database`);
    const meta = JSON.parse(row.meta) as WorkflowSummary;
    const latest = this.workspace.workflows.get(row.workflowId)?.summary.version === version;
    const detail: WorkflowVersionDetail = { version, workflowId: row.workflowId, why: row.why, createdAt: row.createdAt, file: meta.file, latest, source: row.source, steps: meta.steps };
    if (meta.configSchema !== undefined) detail.configSchema = meta.configSchema;
    return detail;
  }

  /** The warning to show, and a one-time consent, before a run of imported code. */
  async consentToImportedCode(runId: string): Promise<ImportedCodeConsent> {
    const run = await this.store.read.getRun(runId);
    const row = await this.store.read.getWorkflowVersion(run.workflowVersion);
    if (row?.why !== 'imported') {
      throw new StudioError('E_BAD_ARGUMENT', `consentToImportedCode: run ${runId} ran with workflow version ${run.workflowVersion.slice(0, 12)}, which did not come with an import: nothing to consent to`);
    }
    if (row.bundle === '') await this.stored(row.hash); // a step graph with no code: says so
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
}
