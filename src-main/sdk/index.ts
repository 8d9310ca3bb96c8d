// The public SDK that workflow files import as `snapshot-studio/sdk`. At bundle time the workspace
// bundler swaps in a tiny runtime (see core/workspace/bundle.ts); these are the types authors code against.
import type { ZodType } from 'zod';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface StepContext<Config = any, Input = any> {
  /** The run's input, as given when it started. */
  input: Input;
  /** The run's configuration, parsed with the workflow's config schema (defaults applied). */
  config: Config;
  /**
   * Outputs of every step upstream of this one, by step id: the steps it needs, the steps those need, and so
   * on (a step that was skipped reads as null). Reading a step of the workflow that is not upstream throws at
   * once, e.g. `results.audit: step "payout" does not depend on "audit"; add it to needs`.
   */
  results: Record<string, any>;
  /** Shared by the run's steps; changes are kept when the step completes and discarded when it fails. */
  state: Record<string, any>;
  /** A log line kept with the run, shown in the inspector. */
  log(message: string, data?: JsonValue): void;
  /**
   * Waits for a signal: the run goes `waiting` until `resume(runId, { signal, payload })`; then this step
   * runs again from its start and waitFor returns the payload. Code before it must be safe to run twice.
   * With a zod schema, the window shows the payload's expected shape and checks it as it is typed, and the
   * payload is parsed with it (defaults applied) before it is returned.
   */
  waitFor<T = JsonValue>(signal: string): Promise<T>;
  waitFor<S extends ZodType>(signal: string, schema: S): Promise<S['_output']>;
  /** A durable timer: the run waits (surviving a restart), then this step runs again past the sleep. */
  sleep(ms: number): Promise<void>;
  /** 1 on the first try. */
  attempt: number;
  /** A looping step's iteration: 1 on the first run through. */
  iteration: number;
  runId: string;
  stepId: string;
}

export interface RetryPolicy {
  /** Attempts in all, the first one included (1 means no retry). */
  maxAttempts: number;
  /** 'fixed' waits intervalMs between attempts; 'exponential' doubles it each time. */
  backoff?: 'fixed' | 'exponential';
  intervalMs?: number;
  /** Upper bound of one wait, for exponential backoff. */
  maxIntervalMs?: number;
}

export interface StepDefinition<Config = any, Input = any> {
  /**
   * Step ids this step needs; it starts when all of them completed (or were skipped), and its `results` hold
   * their outputs and those of every step upstream of them.
   */
  needs?: string[];
  /** When false the step is skipped, and so are the steps that need only skipped steps. */
  when?: (ctx: Omit<StepContext<Config, Input>, 'log' | 'attempt'>) => boolean;
  retry?: RetryPolicy;
  /**
   * The step's worker thread is ended and the step fails (TimeoutError, retryable) past this many
   * milliseconds. Without it the workflow's `defaultStepTimeoutMs` applies (5 minutes unless set); `0` or
   * `Infinity`: no timeout for this step.
   */
  timeoutMs?: number;
  /** Marks a step that touches the outside world (replay uses its recorded output). */
  effect?: boolean;
  /**
   * Makes the step a loop (do-while): after each successful iteration the condition is checked with the
   * step's output and the state as the iteration left it; with `while` the step runs again while it is
   * true, with `until` until it is true. Steps that need a looping step start after its last iteration
   * and see that iteration's output. Every iteration counts towards the run's step limit and gets its
   * own step-started and step-completed snapshots.
   */
  loop?: { while: (ctx: LoopContext<Config, Input>) => boolean } | { until: (ctx: LoopContext<Config, Input>) => boolean };
  run(ctx: StepContext<Config, Input>): unknown;
}

export interface LoopContext<Config = any, Input = any> {
  output: any;
  state: Record<string, any>;
  input: Input;
  config: Config;
  results: Record<string, any>;
  /** The iteration that just ended, from 1. */
  iteration: number;
}

export interface WorkflowDefinition<Config = any, Input = any> {
  id: string;
  name?: string;
  description?: string;
  /** Step executions (attempts and loop iterations of all steps) allowed in one run; default 1,000. */
  stepLimit?: number;
  /**
   * Heap each step worker may use, in MB (a whole number from 16; default 1,024). A step that needs more
   * fails with `MemoryLimitError` ("step "x" used more than 256 MB (memoryLimitMb of workflow "y")"),
   * retryable by its retry policy; the app itself is not touched.
   */
  memoryLimitMb?: number;
  /**
   * Timeout of every step that sets no `timeoutMs`, in milliseconds (default 300,000: 5 minutes). `0` or
   * `Infinity`: steps without a timeout of their own may run for ever.
   */
  defaultStepTimeoutMs?: number;
  config?: ZodType<Config>;
  steps: Record<string, StepDefinition<Config, Input>>;
}

export function defineWorkflow<Config = any, Input = any>(
  definition: WorkflowDefinition<Config, Input>,
): WorkflowDefinition<Config, Input> {
  return definition;
}

/** Throw this from a step to fail it at once, whatever its retry policy. */
export class NonRetryableError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'NonRetryableError';
  }
}
