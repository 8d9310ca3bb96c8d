// Up to N step workers for one run, each holding the run's workflow module. A worker whose step timed out
// or was cancelled is ended (terminated), never reused: the step cannot keep running behind our back. When
// the run is over, the workers left idle go to `recycle` (the next run of the module may take them) when one
// is given; the others are ended.
import type { StepWorker } from './stepWorker';

export class WorkerPool {
  private readonly idle: StepWorker[] = [];
  private readonly all = new Set<StepWorker>();

  constructor(
    private readonly create: () => Promise<StepWorker>,
    private readonly recycle?: (worker: StepWorker) => void,
  ) {}

  async acquire(): Promise<StepWorker> {
    const w = this.idle.pop();
    if (w) return w;
    const created = await this.create();
    this.all.add(created);
    return created;
  }

  release(worker: StepWorker): void {
    if (this.all.has(worker)) this.idle.push(worker);
  }

  async discard(worker: StepWorker): Promise<void> {
    this.all.delete(worker);
    await worker.close();
  }

  /** Ends the workers still running a step; hands the idle ones to `recycle`, or ends them too without one. */
  async close(): Promise<void> {
    const idle = new Set(this.idle);
    const workers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    const ending: Promise<void>[] = [];
    for (const w of workers) {
      if (this.recycle && idle.has(w) && w.alive) this.recycle(w);
      else ending.push(w.close());
    }
    await Promise.all(ending);
  }
}
