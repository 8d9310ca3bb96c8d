// Drives one run from any snapshot: applies the pure transition next(), persists every snapshot through the
// sink, runs ready steps in parallel on the run's worker pool (bounded), ends steps past their timeout,
// waits out retry timers, and stops cleanly on pause or cancel, its own or one another process wrote.
import type { Json, SnapshotDocument, StepError } from '../../shared/snapshot';
import type { ReplayPlan } from '../replay/plan';
import { nextRetryAt } from './retryPolicy';
import { graphOf, upstreamOf, type StepGraph } from './stepGraph';
import { executions, next, type EngineEvent } from './transition';
import { applyStatePatches } from './stateMerge';
import type { StatePatch, StepCall, StepMeta } from './stepWorker';
import type { WorkerPool } from './workerPool';

export interface RunSink {
  /** Persists snapshots in one transaction; throws when a seq is not the run's next one. */
  write(docs: SnapshotDocument[]): Promise<void>;
  /** Stores a line a step logged; a failure is reported, not thrown into the step. */
  log(line: { runId: string; stepId: string; at: string; message: string; data?: unknown }): Promise<void>;
  /**
   * The run's latest snapshot when another process wrote past `seq` (a pause or cancel from the CLI beside
   * this process), else undefined. Asked every FOREIGN_POLL_MS while steps run or timers wait.
   */
  newerThan?(runId: string, seq: number): Promise<SnapshotDocument | undefined>;
}

export interface DriveOptions {
  concurrency: number;
  /** Executions (attempts of any step) allowed in one run. */
  stepLimit: number;
  /** Set when the run replays a recording: effect steps return recorded outcomes, waits get recorded signals, sleeps end at once. */
  replay?: ReplayPlan;
  /** Timeout of steps that set no timeoutMs, in ms; 0: none. */
  defaultStepTimeoutMs: number;
  /** Where that default comes from, said in the TimeoutError (the engine's own default when absent). */
  defaultStepTimeoutSource?: string;
}

/**
 * Five minutes: far above what a step of a workflow debugged on a laptop takes (an API call with its retries,
 * a batch of files), and short enough that a step stuck in a loop gives its thread and its core back, and
 * its run an error, in the time a person waits for it.
 */
export const DEFAULT_STEP_TIMEOUT_MS = 5 * 60_000;

export const DEFAULT_DRIVE_OPTIONS: DriveOptions = { concurrency: 4, stepLimit: 1000, defaultStepTimeoutMs: DEFAULT_STEP_TIMEOUT_MS };

/** How often a driver looks for a pause or cancel another process wrote: it acts on one within a second. */
const FOREIGN_POLL_MS = 300;

/** Another process wrote a snapshot of the run this driver drives: the driver stops, writing nothing more. */
class ForeignWrite extends Error {
  constructor(readonly doc: SnapshotDocument) {
    super(`run ${doc.runId}: snapshot #${doc.seq} (${doc.kind}) was written by another process; this one stopped driving the run`);
  }
}

const iso = () => new Date().toISOString();

export class RunDriver {
  private doc: SnapshotDocument;
  private readonly graph: StepGraph;
  private readonly steps: Map<string, StepMeta>;
  private readonly inFlight = new Map<string, Promise<void>>();
  private stopRequest: 'pause' | 'cancel' | null = null;
  private wake: (() => void) | null = null;
  /** A wake-up that came while the driver was not waiting (writing, say): its next wait returns at once. */
  private wakePending = false;
  private limitError: StepError | null = null;
  /** A write the store refused (another process took the run over, say): the driver stops at once. */
  private fatal: Error | null = null;
  /** Ids for state objects, so a worker that holds the current state is not sent it again. */
  private readonly stateIds = new WeakMap<object, number>();
  private lastStateId = 0;
  /** Snapshots made but not yet written: committed together before anything waits or a step starts. */
  private unwritten: SnapshotDocument[] = [];
  /** The seq of the last snapshot in the store that this driver knows of (its own, or the one it started from). */
  private writtenSeq: number;
  /**
   * The seq of the last snapshot this driver sent to the store, written or still being written: a snapshot up
   * to it that a poll finds is this driver's own (one of another process at such a seq makes the write fail).
   */
  private sentSeq: number;
  private readonly upstream = new Map<string, string[]>();

  constructor(
    steps: StepMeta[],
    first: SnapshotDocument,
    private readonly pool: WorkerPool,
    private readonly sink: RunSink,
    private readonly options: DriveOptions = DEFAULT_DRIVE_OPTIONS,
  ) {
    this.doc = first;
    this.writtenSeq = first.seq;
    this.sentSeq = first.seq;
    this.steps = new Map(steps.map((s) => [s.id, s]));
    this.graph = graphOf(steps);
  }

  get snapshot(): SnapshotDocument {
    return this.doc;
  }

  /** Asks the run to stop after the steps now running finish (pause) or at once (cancel). */
  request(stop: 'pause' | 'cancel'): void {
    if (this.stopRequest !== 'cancel') this.stopRequest = stop;
    this.wakeUp();
  }

  /**
   * Stops driving without writing anything: the run stays as its last snapshot left it, and crash
   * recovery continues it at the next start (steps running now run again: at-least-once).
   */
  abandon(): void {
    this.fatal ??= new Error('abandoned: the process is shutting down');
    void this.pool.close();
    this.wakeUp();
  }

  private apply(event: EngineEvent): void {
    this.doc = next(this.graph, this.doc, event);
    this.unwritten.push(this.doc);
  }

  /**
   * Writes the snapshots made since the last flush in one transaction. Called before a step is handed to
   * a worker and before the driver waits, so a step's start is durable before it runs and a step's end
   * before anything that needs it starts, with one commit per step (its end and the next one's start).
   */
  private async flush(): Promise<void> {
    if (this.unwritten.length === 0 || this.fatal) return;
    const docs = this.unwritten;
    this.unwritten = [];
    this.sentSeq = docs[docs.length - 1].seq;
    try {
      await this.sink.write(docs);
    } catch (err) {
      // Refused by the seq check: say so plainly when it is another process's pause or cancel.
      const theirs = await this.foreignSnapshot();
      throw theirs ? (this.fatal ??= new ForeignWrite(theirs)) : err;
    }
    this.writtenSeq = docs[docs.length - 1].seq;
  }

  /** The run's snapshot another process wrote past ours, if any. */
  private async foreignSnapshot(): Promise<SnapshotDocument | undefined> {
    try {
      return await this.sink.newerThan?.(this.doc.runId, this.writtenSeq);
    } catch {
      // A read that failed (the database busy past its timeout) is asked again at the next poll; a store
      // that stays broken is reported by the next write.
      return undefined;
    }
  }

  /** Stops the run here when another process wrote to it (its steps' workers are then ended by run()). */
  private async checkForeignWrite(): Promise<void> {
    if (this.fatal) return;
    const theirs = await this.foreignSnapshot();
    // A poll that began before one of this driver's writes may read it back once it has landed.
    if (!theirs || this.fatal || theirs.seq <= this.sentSeq) return;
    this.fatal = new ForeignWrite(theirs);
    this.wakeUp();
  }

  async run(): Promise<SnapshotDocument> {
    try {
      for (;;) {
        if (this.fatal) throw this.fatal;
        if (this.stopRequest === 'cancel') {
          await this.pool.close();
          this.apply({ type: 'cancelled', at: iso() });
          await this.flush();
          return this.doc;
        }
        if (this.stopRequest === 'pause' && this.inFlight.size === 0) {
          await this.pool.close();
          this.apply({ type: 'paused', at: iso() });
          await this.flush();
          return this.doc;
        }
        if (!this.stopRequest && !this.limitError) await this.launchReady();
        if (this.inFlight.size === 0) {
          const due = this.nextTimer();
          if (this.limitError || this.hasFailedStep()) break;
          if (due === null) {
            // Waiting for a signal: the run rests in status waiting until resume() brings one.
            if (this.doc.cursor.waiting.length > 0) {
              await this.pool.close();
              await this.flush();
              return this.doc;
            }
            break;
          }
          if (this.stopRequest) continue;
          await this.flush();
          await this.sleepUntil(due);
          continue;
        }
        // Taken before the write: a step that ends while it is awaited is not missed.
        const stepEnded = Promise.race(this.inFlight.values());
        await this.flush();
        await this.waitForChange(stepEnded);
      }
      // The workers are handed on before the last write: a run started the moment this one is seen to end
      // finds them kept (see WorkerPool.close).
      await this.pool.close();
      this.apply({ type: 'run-ended', at: iso(), ...(this.limitError ? { error: this.limitError } : {}) });
      await this.flush();
      return this.doc;
    } catch (err) {
      // Paused or cancelled by another process: that is where the run stops, not an error of this one.
      if (err instanceof ForeignWrite && (err.doc.status === 'paused' || err.doc.status === 'cancelled')) return err.doc;
      throw err;
    } finally {
      await this.pool.close();
    }
  }

  private startable(): string[] {
    const now = Date.now();
    const due = this.doc.cursor.timers.filter((t) => Date.parse(t.wakeAt) <= now).map((t) => t.stepId);
    if (this.hasFailedStep()) return [];
    return [...this.doc.cursor.ready, ...due].filter((id) => !this.inFlight.has(id));
  }

  private async launchReady(): Promise<void> {
    for (const stepId of this.startable()) {
      if (this.inFlight.size >= this.options.concurrency) return;
      if (executions(this.doc) >= this.options.stepLimit) {
        this.limitError = { name: 'StepLimitError', message: `step limit exceeded: ${this.options.stepLimit} step executions in one run` };
        return;
      }
      const meta = this.steps.get(stepId)!;
      if (meta.hasWhen && !this.doc.steps[stepId].suspended) {
        await this.flush();
        const worker = await this.pool.acquire();
        const verdict = await worker.evalWhen(this.callFor(stepId, 0));
        this.pool.release(worker);
        if (!verdict.ok) {
          this.apply({ type: 'step-started', stepId, at: iso() });
          this.apply({ type: 'step-failed', stepId, at: iso(), error: { ...verdict.error, message: `when(): ${verdict.error.message}` } });
          continue;
        }
        if (!verdict.run) {
          this.apply({ type: 'step-skipped', stepId, at: iso() });
          continue;
        }
      }
      this.apply({ type: 'step-started', stepId, at: iso() });
      const recorded = this.options.replay?.effects.get(stepId);
      if (recorded) {
        // A replay does not touch the outside world again: the effect returns what it returned when recorded,
        // and changes the state as it did then, so the steps after it see what they saw in the recording.
        const nowMs = Date.now();
        const at = new Date(nowMs).toISOString();
        if ('output' in recorded) this.completeWith(stepId, at, recorded.output, recorded.state);
        else {
          const retryAt = nextRetryAt(meta, this.doc.steps[stepId].attempts, recorded.error, nowMs);
          this.apply({ type: 'step-failed', stepId, at, error: recorded.error, ...(retryAt ? { retryAt } : {}) });
        }
        continue;
      }
      const task = this.execute(stepId)
        .catch((err: Error) => {
          this.fatal ??= err;
        })
        .finally(() => this.inFlight.delete(stepId));
      this.inFlight.set(stepId, task);
    }
  }

  private stateId(state: object): number {
    let id = this.stateIds.get(state);
    if (id === undefined) {
      id = ++this.lastStateId;
      this.stateIds.set(state, id);
    }
    return id;
  }

  private callFor(stepId: string, attempt: number): StepCall {
    const record = this.doc.steps[stepId];
    return {
      runId: this.doc.runId,
      stepId,
      input: this.doc.input,
      config: this.doc.config,
      results: this.upstreamResults(stepId),
      state: this.doc.state,
      stateId: this.stateId(this.doc.state),
      nextStateId: ++this.lastStateId,
      attempt,
      iteration: record.iteration ?? 1,
      signals: record.signals,
      sleepsDone: record.sleepsDone,
    };
  }

  /** What a step reads as `results`: the outputs of every step upstream of it, not only of its direct needs. */
  private upstreamResults(stepId: string): Record<string, Json> {
    let ids = this.upstream.get(stepId);
    if (!ids) this.upstream.set(stepId, (ids = upstreamOf(this.graph, stepId)));
    const results: Record<string, Json> = {};
    for (const id of ids) results[id] = this.doc.steps[id].output ?? null;
    return results;
  }

  /** The step's own timeout, else the default one (0: none), and the end of the TimeoutError's message. */
  private timeoutOf(meta: StepMeta): { ms: number; why: string } {
    if (meta.timeoutMs !== undefined) return { ms: meta.timeoutMs, why: '' };
    const why = this.options.defaultStepTimeoutSource ?? 'the default step timeout; set defaultStepTimeoutMs or timeoutMs to change it';
    return { ms: this.options.defaultStepTimeoutMs, why: ` (${why})` };
  }

  private async execute(stepId: string): Promise<void> {
    const meta = this.steps.get(stepId)!;
    const attempt = this.doc.steps[stepId].attempts;
    const call = this.callFor(stepId, attempt);
    await this.flush();
    const worker = await this.pool.acquire();
    let timer: NodeJS.Timeout | undefined;
    const limit = this.timeoutOf(meta);
    const timeout = new Promise<{ ok: false; error: StepError; timedOut: true }>((resolve) => {
      if (limit.ms > 0) {
        timer = setTimeout(
          () => resolve({ ok: false, timedOut: true, error: { name: 'TimeoutError', message: `step "${stepId}" timed out after ${limit.ms} ms${limit.why}` } }),
          limit.ms,
        );
      }
    });
    const outcome = await Promise.race([
      worker.runStep(call, (message, data) => void this.sink.log({ runId: this.doc.runId, stepId, at: iso(), message, data })),
      timeout,
    ]);
    clearTimeout(timer);
    // A worker whose thread ended (out of memory) is not given another step.
    if ('timedOut' in outcome || !worker.alive) await this.pool.discard(worker);
    else this.pool.release(worker);
    if (this.stopRequest === 'cancel' || this.fatal) return;
    // One clock reading for the snapshot time and any wake-up time derived from it.
    const nowMs = Date.now();
    const at = new Date(nowMs).toISOString();
    if (outcome.ok === 'suspended') {
      const s = outcome.suspend;
      const replay = this.options.replay;
      this.apply(
        s.kind === 'signal'
          ? { type: 'step-suspended', stepId, at, signal: s.signal, ...(s.schema === undefined ? {} : { schema: s.schema }) }
          : { type: 'step-suspended', stepId, at, wakeAt: new Date(replay ? nowMs : nowMs + s.ms).toISOString() },
      );
      const signals = s.kind === 'signal' ? replay?.signals.get(stepId) : undefined;
      if (s.kind === 'signal' && signals && Object.hasOwn(signals, s.signal)) {
        this.apply({ type: 'signal-received', stepId, at, signal: s.signal, payload: signals[s.signal] });
      }
    } else if (outcome.ok) {
      const before = this.doc.state;
      const state = this.completeWith(stepId, at, outcome.output, outcome.patches, outcome.again);
      // The worker's copy is this new state when nothing else changed the state while the step ran.
      if (state && state !== before && this.stateId(before) === call.stateId) this.stateIds.set(state, call.nextStateId);
    } else {
      const retryAt = nextRetryAt(meta, attempt, outcome.error, nowMs);
      this.apply({ type: 'step-failed', stepId, at, error: outcome.error, ...(retryAt ? { retryAt } : {}) });
    }
  }

  /** Completes a step with its changes merged into the state; a change that no longer applies fails the step. */
  private completeWith(stepId: string, at: string, output: Json, patches: StatePatch[], again = false): Record<string, Json> | null {
    let state: Record<string, Json>;
    try {
      state = applyStatePatches(this.doc.state, patches);
    } catch (err) {
      this.apply({ type: 'step-failed', stepId, at, error: { name: (err as Error).name, message: (err as Error).message, retryable: false } });
      return null;
    }
    this.apply({ type: 'step-completed', stepId, at, output, state, ...(again ? { again: true } : {}) });
    return state;
  }

  private hasFailedStep(): boolean {
    return Object.values(this.doc.steps).some((s) => s.status === 'failed');
  }

  private nextTimer(): number | null {
    const times = this.doc.cursor.timers.map((t) => Date.parse(t.wakeAt));
    return times.length ? Math.min(...times) : null;
  }

  private wakeUp(): void {
    if (this.wake) this.wake();
    else this.wakePending = true;
  }

  private sleepUntil(when: number): Promise<void> {
    return this.waitForChange(new Promise((resolve) => setTimeout(resolve, Math.max(0, when - Date.now()))));
  }

  /** Waits for a step to finish, a timer, or a pause/cancel request (of this process or another), whichever comes first. */
  private async waitForChange(p: Promise<unknown>): Promise<void> {
    if (this.wakePending) {
      this.wakePending = false;
      return;
    }
    const poll = setInterval(() => void this.checkForeignWrite(), FOREIGN_POLL_MS);
    try {
      await Promise.race([p, new Promise<void>((resolve) => (this.wake = resolve))]);
    } finally {
      clearInterval(poll);
      this.wake = null;
    }
  }
}
