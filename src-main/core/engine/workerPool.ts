// Up to N step workers for one run, each holding the run's workflow module. A worker whose step timed out
// or was cancelled is ended (terminated), never reused: the step cannot keep running behind our back.
import type { StepWorker } from './stepWorker';

export class WorkerPool {
  private readonly idle: StepWorker[] = [];
  private readonly all = new Set<StepWorker>();

  constructor(private readonly create: () => Promise<StepWorker>) {}

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

  async close(): Promise<void> {
    const workers = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(workers.map((w) => w.close()));
  }
}
