// Step workers for runs, kept warm between them. A thread and its first evaluation of the module cost a
// run ~0.1 s of CPU; a thread that served one run of a module serves the next run of the same module after
// evaluating it afresh (StepWorker.reload: its top-level variables start over, the state copy is dropped),
// unless the last run left work running in it. The worker that parsed a run's configuration is handed to
// that run's steps as it is. A few are kept, for a few seconds each.
import { StudioError } from '../../shared/errors';
import type { Json } from '../../shared/snapshot';
import { StepWorker, type WorkerLimits } from '../engine/stepWorker';
import type { Runnable } from '../versions/registry';

/** How long an idle worker is kept for the next run of its module. */
const IDLE_MS = 10_000;
/** How many idle workers are kept, of any modules (the oldest is ended first). */
const MAX_IDLE = 4;

/** The memory limit of a workflow's step workers (its memoryLimitMb, or the default). */
const limitsOf = (workflow: Runnable): WorkerLimits => ({ workflowId: workflow.summary.id, memoryLimitMb: workflow.summary.memoryLimitMb });

interface IdleWorker {
  bundle: string;
  file: string;
  worker: StepWorker;
  /** No step has run in it since the module was evaluated (it only parsed a configuration): no reload needed. */
  fresh: boolean;
  timer: NodeJS.Timeout;
}

export class WorkerCache {
  private readonly idle: IdleWorker[] = [];
  private closed = false;

  /** Parses a configuration in a worker of the workflow, which is kept for the run's steps that follow. */
  async parseConfig(workflow: Runnable, config: Json | undefined): Promise<Json> {
    const worker = await this.start(workflow);
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
    this.keep(workflow, worker, true);
    return parsed.config;
  }

  /** Takes back a worker a run left idle, for the next run of the same module. */
  recycle(workflow: Runnable, worker: StepWorker): void {
    this.keep(workflow, worker, false);
  }

  private keep(workflow: Runnable, worker: StepWorker, fresh: boolean): void {
    if (this.closed || !worker.alive) {
      void worker.close();
      return;
    }
    const entry: IdleWorker = {
      bundle: workflow.bundle,
      file: workflow.file,
      worker,
      fresh,
      timer: setTimeout(() => this.drop(entry), IDLE_MS).unref(),
    };
    this.idle.push(entry);
    while (this.idle.length > MAX_IDLE) this.drop(this.idle[0]);
  }

  /** Removes a kept worker from the cache; false when it is no longer there (taken or dropped meanwhile). */
  private take(entry: IdleWorker): boolean {
    const at = this.idle.indexOf(entry);
    if (at === -1) return false;
    this.idle.splice(at, 1);
    clearTimeout(entry.timer);
    return true;
  }

  private drop(entry: IdleWorker): void {
    if (this.take(entry)) void entry.worker.close();
  }

  /** A worker for a run of this workflow, holding the module freshly evaluated: a kept one when it can be. */
  async start(workflow: Runnable): Promise<StepWorker> {
    // One at a time, taken before the reload's wait, so two runs starting together never get the same one.
    for (let entry = this.keptFor(workflow); entry; entry = this.keptFor(workflow)) {
      this.take(entry);
      if (entry.fresh || (await entry.worker.reload())) return entry.worker;
      void entry.worker.close();
    }
    return (await StepWorker.load(workflow.bundle, workflow.file, limitsOf(workflow))).worker;
  }

  /** The kept worker of this module to take first: a fresh one (no reload needed), else the newest. */
  private keptFor(workflow: Runnable): IdleWorker | undefined {
    const matching = this.idle.filter((e) => e.bundle === workflow.bundle && e.file === workflow.file);
    return matching.findLast((e) => e.fresh) ?? matching.at(-1);
  }

  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle.splice(0);
    for (const e of idle) clearTimeout(e.timer);
    await Promise.all(idle.map((e) => e.worker.close()));
  }
}
