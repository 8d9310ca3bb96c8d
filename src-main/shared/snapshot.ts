// The snapshot document (schema version 2): everything the engine knows
// about a run at one moment. Plain JSON only, so every shell can carry it unchanged.

/** 2 added StepRecord.durationMs; older documents are migrated on read (core/store/snapshotMigrations.ts). */
export const SNAPSHOT_SCHEMA_VERSION = 2 as const;

export type RunStatus =
  | 'pending'
  | 'running'
  | 'waiting'
  | 'paused'
  | 'error'
  | 'completed'
  | 'failed'
  | 'cancelled';

export const TERMINAL_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

export type StepStatus = 'pending' | 'running' | 'waiting' | 'completed' | 'failed' | 'skipped';

export type SnapshotKind =
  | 'run-started'
  | 'step-started'
  | 'step-completed'
  | 'step-failed'
  | 'step-skipped'
  | 'retry-scheduled'
  | 'waiting'
  | 'resumed'
  | 'paused'
  | 'edited'
  | 'imported'
  | 'run-completed'
  | 'run-failed'
  | 'run-cancelled';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface StepError {
  name: string;
  message: string;
  stack?: string;
  /** false when the error said it must not be retried (NonRetryableError). */
  retryable?: false;
}

export interface StepRecord {
  status: StepStatus;
  attempts: number;
  input?: Json;
  output?: Json;
  error?: StepError;
  startedAt?: string;
  endedAt?: string;
  /** From startedAt to endedAt of the last attempt, once the step has ended (schema version 2). */
  durationMs?: number;
  /** Payloads of the signals this step received, by signal name: `waitFor(name)` returns them on re-run. */
  signals?: { [signal: string]: Json };
  /** How many of this step's durable `sleep` calls have finished, in call order. */
  sleepsDone?: number;
  /** The step stopped to wait (a signal or a sleep); its next start is a continuation, not a new attempt. */
  suspended?: true;
  /** A looping step's current iteration, from 2 (absent on the first). */
  iteration?: number;
  /** Executions of earlier iterations of a looping step (attempts count the current one). */
  pastExecutions?: number;
}

export interface SnapshotCursor {
  ready: string[];
  running: string[];
  /** `schema`: the JSON Schema of the payload, when the step's `waitFor(signal, schema)` gave one. */
  waiting: { stepId: string; signal: string; since: string; schema?: Json }[];
  timers: { stepId: string; wakeAt: string }[];
}

export interface SnapshotDocument {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  runId: string;
  workflowId: string;
  workflowVersion: string;
  seq: number;
  kind: SnapshotKind;
  /** The step whose event made this snapshot, when one did. */
  stepId: string | null;
  status: RunStatus;
  at: string;
  input: Json;
  config: Json;
  state: { [key: string]: Json };
  steps: { [stepId: string]: StepRecord };
  cursor: SnapshotCursor;
  retry?: { stepId: string; attempts: number; nextRetryAt: string };
  result?: Json;
  error?: StepError;
  metadata: { [key: string]: Json };
}
