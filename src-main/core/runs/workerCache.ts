// Step workers for runs, with one spare: the worker that parsed a run's configuration is kept for that
// run's steps, which start right after, so a run costs one worker start (a thread, the module's evaluation)
// fewer. One is kept at most, for a few seconds.
import { StudioError } from '../../shared/errors';
import type { Json } from '../../shared/snapshot';
import { StepWorker, type WorkerLimits } from '../engine/stepWorker';
import type { Runnable } from '../versions/registry';

const SPARE_MS = 5000;

/** The memory limit of a workflow's step workers (its memoryLimitMb, or the default). */
const limitsOf = (workflow: Runnable): WorkerLimits => ({ workflowId: workflow.summary.id, memoryLimitMb: workflow.summary.memoryLimitMb });

export class WorkerCache {
  /** The worker that parsed the last run's configuration, until that run's steps take it. */
  private spare: { bundle: string; file: string; worker: StepWorker } | null = null;

  /** Parses a configuration in a worker of the workflow; with `forRun`, that worker is kept for the run's steps. */
  async parseConfig(workflow: Runnable, config: Json | undefined, forRun = true): Promise<Json> {
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

  private keepSpare(workflow: Runnable, worker: StepWorker): void {
    const old = this.spare;
    const spare = { bundle: workflow.bundle, file: workflow.file, worker };
    this.spare = spare;
    if (old) void old.worker.close();
    setTimeout(() => {
      if (this.spare !== spare) return;
      this.spare = null;
      void worker.close();
    }, SPARE_MS).unref();
  }

  /** A fresh worker for a run of this workflow: the spare one if it holds this very module. */
  async start(workflow: Runnable): Promise<StepWorker> {
    const spare = this.spare;
    if (spare && spare.bundle === workflow.bundle && spare.file === workflow.file) {
      this.spare = null;
      return spare.worker;
    }
    return (await StepWorker.load(workflow.bundle, workflow.file, limitsOf(workflow))).worker;
  }

  async close(): Promise<void> {
    const spare = this.spare;
    this.spare = null;
    await spare?.worker.close();
  }
}
