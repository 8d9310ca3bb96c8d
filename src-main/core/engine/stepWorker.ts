// The main-thread side of a step worker: loads a bundled workflow module into a worker thread and
// turns its messages into promises. One worker serves one run at a time; a run that ends with it idle may
// hand it on to the next run of the same module, which evaluates the module afresh in it first (reload).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { WorkflowStep } from '../../shared/api';
import type { Json, StepError } from '../../shared/snapshot';
import { bundleScriptName, createStackMapper, type StackMapper } from '../workspace/stackTrace';
import { WORKER_SOURCE } from './workerSource';

const resolve = createRequire(import.meta.url).resolve;
const zodPath = resolve('zod');
const immerPath = resolve('immer');

/** What the worker reports of each step: the contract's WorkflowStep. */
export type StepMeta = WorkflowStep;

export interface WorkflowMeta {
  id: string;
  name: string;
  description?: string;
  steps: StepMeta[];
  configSchema?: Json;
  stepLimit?: number;
  memoryLimitMb?: number;
  defaultStepTimeoutMs?: number;
}

/** The heap a step worker may use when its workflow sets no memoryLimitMb: 1 GB. */
export const DEFAULT_MEMORY_LIMIT_MB = 1024;

/** The memory limit of a workflow's step workers, and the workflow, so the error can say where the limit comes from. */
export interface WorkerLimits {
  workflowId: string;
  /** The workflow's own memoryLimitMb; DEFAULT_MEMORY_LIMIT_MB without. */
  memoryLimitMb?: number;
}

export interface StepCall {
  runId: string;
  stepId: string;
  input: Json;
  config: Json;
  results: Record<string, Json>;
  /** The run's state when the step starts; sent to the worker only when its copy is out of date. */
  state: Record<string, Json>;
  /** The driver's id of `state`. */
  stateId: number;
  /** The id the state will have after this step's changes, if nothing else changes it meanwhile. */
  nextStateId: number;
  attempt: number;
  iteration?: number;
  signals?: Record<string, Json>;
  sleepsDone?: number;
}

/** A change to the state, as Immer records it: a path of keys and indexes from the state's root. */
export interface StatePatch {
  op: 'add' | 'replace' | 'remove';
  path: (string | number)[];
  value?: Json;
}

/** A wait for a signal carries the JSON Schema of its payload when the step gave `waitFor` a zod schema. */
export type Suspension = { kind: 'signal'; signal: string; schema?: Json } | { kind: 'sleep'; ms: number };

export type StepOutcome =
  | { ok: true; output: Json; patches: StatePatch[]; again: boolean }
  | { ok: 'suspended'; suspend: Suspension }
  | { ok: false; error: StepError };

type Pending = { stepId: string; resolve: (msg: any) => void; onLog?: (message: string, data?: Json) => void };

export class StepWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private waitingFor: { type: string; resolve: (msg: any) => void } | null = null;
  private nextCall = 1;
  private exitError: StepError | null = null;
  /** The state id whose copy the worker holds (-1: none). */
  private heldStateId = -1;
  /** Maps the stacks of the module's errors to the user's files (set once the module is known). */
  private mapStack: StackMapper = (e) => e;

  /** The module this worker evaluates, for a reload (set by load). */
  private module: { bundle: string; file: string; scriptName: string } | null = null;

  /** Set when the worker ran out of its heap: each pending step fails with a MemoryLimitError naming it. */
  private memoryError: ((what: string) => StepError) | null = null;
  private closing: Promise<void> | null = null;

  private constructor(limits?: WorkerLimits) {
    const mb = limits?.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { zodPath, immerPath }, resourceLimits: { maxOldGenerationSizeMb: mb } });
    this.worker.on('message', (msg: any) => this.onMessage(msg));
    this.worker.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        const source = limits?.memoryLimitMb !== undefined
          ? `memoryLimitMb of workflow "${limits.workflowId}"`
          : `the default limit; set memoryLimitMb in workflow "${limits?.workflowId ?? '?'}" to change it`;
        this.memoryError = (what) => ({ name: 'MemoryLimitError', message: `${what} used more than ${mb} MB (${source})` });
        this.fail(this.memoryError('the step worker'));
      } else this.fail(this.mapStack({ name: err.name, message: err.message, stack: err.stack }));
    });
    this.worker.on('exit', (code) => this.fail({ name: 'WorkerExit', message: `the step worker exited (code ${code})` }));
  }

  /** False once the worker's thread has ended (out of memory, crashed): it must not be given another step. */
  get alive(): boolean {
    return this.exitError === null;
  }

  /**
   * Starts a worker, with the workflow's memory limit when known, and evaluates the bundled module in it;
   * rejects with the module's own error.
   */
  static async load(bundle: string, file: string, limits?: WorkerLimits, timeoutMs = 10_000): Promise<{ worker: StepWorker; meta: WorkflowMeta }> {
    const worker = new StepWorker(limits);
    const scriptName = bundleScriptName(file);
    worker.mapStack = createStackMapper(bundle, scriptName);
    const timer = setTimeout(() => {
      worker.fail({ name: 'TimeoutError', message: `evaluating the module took longer than ${timeoutMs} ms` });
      void worker.close();
    }, timeoutMs);
    try {
      const msg = await worker.request({ type: 'load', bundle, file, scriptName }, 'loaded');
      if (msg.type === 'load-error') {
        await worker.close();
        throw Object.assign(new Error(msg.error.message), { stepError: msg.error as StepError });
      }
      worker.module = { bundle, file, scriptName };
      return { worker, meta: msg.meta as WorkflowMeta };
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Makes an idle worker that served a run ready for another run of the same module: the module is evaluated
   * again (its top-level variables start over, as in a new thread) and the state copy is dropped. Refused (false)
   * when the last run left work behind in the thread (a timer, a socket, a file being read: anything but
   * message ports), when the module now throws, or when the thread does not answer within `timeoutMs`
   * (a leftover callback that never returns): such a worker is ended by the caller, never reused.
   */
  async reload(timeoutMs = 2000): Promise<boolean> {
    if (!this.module || this.exitError || this.closing) return false;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<{ type: 'late' }>((done) => (timer = setTimeout(() => done({ type: 'late' }), timeoutMs)));
    const msg = await Promise.race([this.request({ type: 'reload', ...this.module }, 'loaded'), late]);
    clearTimeout(timer);
    if (msg.type !== 'loaded') return false;
    this.heldStateId = -1;
    return true;
  }

  async parseConfig(config: Json | undefined): Promise<{ ok: true; config: Json } | { ok: false; message: string }> {
    const msg = await this.request({ type: 'parse-config', config }, 'config');
    if (msg.type !== 'config') return { ok: false, message: msg.error?.message ?? 'the worker failed' };
    return msg.result;
  }

  /** Evaluates a step's `when`; an error in it fails the step like an error in `run`. */
  async evalWhen(call: StepCall): Promise<{ ok: true; run: boolean } | { ok: false; error: StepError }> {
    const outcome = await this.runStep(call, undefined, 'eval-when');
    if (outcome.ok === true) return { ok: true, run: outcome.output === true };
    if (outcome.ok === 'suspended') return { ok: false, error: { name: 'Error', message: 'when() cannot wait or sleep' } };
    return outcome;
  }

  runStep(call: StepCall, onLog?: (message: string, data?: Json) => void, type = 'run-step'): Promise<StepOutcome> {
    if (this.exitError) return Promise.resolve({ ok: false, error: this.exitError });
    const callId = this.nextCall++;
    const { state, ...rest } = call;
    const message: Record<string, unknown> = { type, callId, ...rest };
    if (this.heldStateId !== call.stateId) message.state = state;
    this.heldStateId = call.stateId;
    return new Promise((resolve) => {
      this.pending.set(callId, {
        stepId: call.stepId,
        onLog,
        resolve: (msg) => {
          if (msg.type === 'step-done' && msg.suspend) resolve({ ok: 'suspended', suspend: msg.suspend });
          else if (msg.type === 'step-done') {
            if (msg.patches.length > 0) this.heldStateId = call.nextStateId;
            resolve({ ok: true, output: msg.output, patches: msg.patches, again: msg.again === true });
          } else resolve({ ok: false, error: msg.error });
        },
      });
      this.worker.postMessage(message);
    });
  }

  /** Ends the thread; once (a second call's removeAllListeners would drop the first terminate's 'exit' wait). */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.worker.removeAllListeners('exit');
      // A step still running here (a cancel ended it) gets its answer, so nothing waits for it (nor its timer).
      this.fail({ name: 'WorkerClosed', message: 'the step worker was ended' });
      await this.worker.terminate();
    })();
    return this.closing;
  }

  private request(message: object, replyType: string): Promise<any> {
    if (this.exitError) return Promise.resolve({ type: 'load-error', error: this.exitError });
    return new Promise((resolve) => {
      this.waitingFor = { type: replyType, resolve };
      this.worker.postMessage(message);
    });
  }

  private onMessage(msg: any): void {
    if (msg.error) msg.error = this.mapStack(msg.error);
    if (msg.type === 'log') {
      this.pending.get(msg.callId)?.onLog?.(msg.message, msg.data);
    } else if (msg.type === 'step-done' || msg.type === 'step-error') {
      const p = this.pending.get(msg.callId);
      this.pending.delete(msg.callId);
      p?.resolve(msg);
    } else if (this.waitingFor) {
      const w = this.waitingFor;
      this.waitingFor = null;
      w.resolve(msg);
    }
  }

  private fail(error: StepError): void {
    if (this.exitError) return;
    this.exitError = error;
    const w = this.waitingFor;
    this.waitingFor = null;
    w?.resolve({ type: 'load-error', error });
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.resolve({ type: 'step-error', error: this.memoryError?.(`step "${p.stepId}"`) ?? error });
    }
  }
}
