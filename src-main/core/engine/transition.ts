// The engine as a pure transition: next(graph, snapshot, event) → the next snapshot. Everything the
// engine knows about a run is in its latest snapshot; side effects (workers, timers, the store) live in
// the driver. Each call returns a new document and leaves the one it was given untouched.
import {
  SNAPSHOT_SCHEMA_VERSION,
  type Json,
  type RunStatus,
  type SnapshotDocument,
  type StepError,
  type StepRecord,
} from '../../shared/snapshot';
import { finalSteps, type StepGraph } from './stepGraph';

export type EngineEvent =
  | { type: 'step-started'; stepId: string; at: string }
  /** With `again`, a looping step completed an iteration and runs once more. */
  | { type: 'step-completed'; stepId: string; at: string; output: Json; state: Record<string, Json>; again?: boolean }
  /** With retryAt the step waits for another attempt (a retry-scheduled snapshot); without, it has failed. */
  | { type: 'step-failed'; stepId: string; at: string; error: StepError; retryAt?: string }
  | { type: 'step-skipped'; stepId: string; at: string }
  /** The step called waitFor(signal) or sleep(ms): it waits, and runs again when the signal or the timer comes. */
  | { type: 'step-suspended'; stepId: string; at: string; signal?: string; wakeAt?: string; schema?: Json }
  | { type: 'signal-received'; stepId: string; at: string; signal: string; payload: Json }
  | { type: 'paused'; at: string }
  /** Continues a paused run, or one found mid-run after a crash: steps that were running run again. */
  | { type: 'resumed'; at: string; reason: 'resume' | 'recovery' }
  | { type: 'cancelled'; at: string }
  | { type: 'edited'; at: string; state?: Record<string, Json>; config?: Json; note?: string }
  | { type: 'run-ended'; at: string; error?: StepError };

export interface RunStart {
  runId: string;
  workflowId: string;
  workflowVersion: string;
  input: Json;
  config: Json;
  at: string;
  metadata?: Record<string, Json>;
  /** Steps already done, reused as recorded (retry from a step, fork). */
  steps?: Record<string, StepRecord>;
  state?: Record<string, Json>;
}

const FINISHED = new Set(['completed', 'skipped']);

/** The end of a step's attempt: when, and how long since it started (when it started at all). */
function ended(prev: StepRecord, at: string): { endedAt: string; durationMs?: number } {
  if (!prev.startedAt) return { endedAt: at };
  return { endedAt: at, durationMs: Math.max(0, Date.parse(at) - Date.parse(prev.startedAt)) };
}

/** Marks pending steps whose needs were all skipped as skipped too, until nothing changes. */
function cascadeSkips(graph: StepGraph, steps: Record<string, StepRecord>, at: string): Record<string, StepRecord> {
  let out = steps;
  for (let changed = true; changed; ) {
    changed = false;
    for (const [id, needs] of Object.entries(graph)) {
      if (out[id].status === 'pending' && needs.length > 0 && needs.every((n) => out[n].status === 'skipped')) {
        out = { ...out, [id]: { ...out[id], status: 'skipped', endedAt: at } };
        changed = true;
      }
    }
  }
  return out;
}

/** Steps that can start now: pending, not waiting for a retry timer, every need completed or skipped. */
export function readySteps(graph: StepGraph, steps: Record<string, StepRecord>, timers: { stepId: string }[] = []): string[] {
  if (Object.values(steps).some((s) => s.status === 'failed')) return [];
  const timed = new Set(timers.map((t) => t.stepId));
  return Object.keys(graph).filter(
    (id) => steps[id].status === 'pending' && !timed.has(id) && graph[id].every((need) => FINISHED.has(steps[need]?.status)),
  );
}

/** running while a step runs or can start; error while a retry waits; waiting while a signal or a sleep does. */
function liveStatus(doc: Pick<SnapshotDocument, 'cursor' | 'steps'>): RunStatus {
  const { cursor, steps } = doc;
  if (cursor.running.length > 0 || cursor.ready.length > 0) return 'running';
  if (cursor.timers.some((t) => steps[t.stepId]?.status === 'pending')) return 'error';
  if (cursor.waiting.length > 0 || cursor.timers.length > 0) return 'waiting';
  return 'running';
}

/** The first snapshot of a run (seq 1, kind run-started). */
export function startSnapshot(graph: StepGraph, start: RunStart): SnapshotDocument {
  const initial: Record<string, StepRecord> = {};
  for (const id of Object.keys(graph)) initial[id] = start.steps?.[id] ?? { status: 'pending', attempts: 0 };
  const steps = cascadeSkips(graph, initial, start.at);
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    runId: start.runId,
    workflowId: start.workflowId,
    workflowVersion: start.workflowVersion,
    seq: 1,
    kind: 'run-started',
    stepId: null,
    status: 'running',
    at: start.at,
    input: start.input,
    config: start.config,
    state: start.state ?? {},
    steps,
    cursor: { ready: readySteps(graph, steps), running: [], waiting: [], timers: [] },
    metadata: start.metadata ?? {},
  };
}

/** The outputs of the steps a step needs, which is what it receives as `results`. */
export function resultsFor(graph: StepGraph, doc: SnapshotDocument, stepId: string): Record<string, Json> {
  const results: Record<string, Json> = {};
  for (const need of graph[stepId]) results[need] = doc.steps[need].output ?? null;
  return results;
}

/** Executions so far: every attempt of every step, every iteration of a loop included. */
export function executions(doc: SnapshotDocument): number {
  let n = 0;
  for (const id in doc.steps) n += doc.steps[id].attempts + (doc.steps[id].pastExecutions ?? 0);
  return n;
}

export function next(graph: StepGraph, doc: SnapshotDocument, event: EngineEvent): SnapshotDocument {
  const base = { ...doc, seq: doc.seq + 1, at: event.at };
  switch (event.type) {
    case 'step-started': {
      const prev = doc.steps[event.stepId];
      const sleeping = prev?.status === 'waiting' && doc.cursor.timers.some((t) => t.stepId === event.stepId);
      if (!prev || (prev.status !== 'pending' && !sleeping)) throw new Error(`step "${event.stepId}" cannot start from status ${prev?.status}`);
      const { error: _lastError, suspended, endedAt: _ended, durationMs: _duration, ...rest } = prev;
      const started: StepRecord = {
        ...rest,
        status: 'running',
        attempts: suspended ? prev.attempts : prev.attempts + 1,
        input: resultsFor(graph, doc, event.stepId),
        startedAt: event.at,
      };
      if (sleeping) started.sleepsDone = (prev.sleepsDone ?? 0) + 1;
      const steps = { ...doc.steps, [event.stepId]: started };
      const cursor = {
        ...doc.cursor,
        ready: doc.cursor.ready.filter((s) => s !== event.stepId),
        running: [...doc.cursor.running, event.stepId],
        timers: doc.cursor.timers.filter((t) => t.stepId !== event.stepId),
      };
      const out: SnapshotDocument = { ...base, kind: 'step-started', stepId: event.stepId, status: 'running', steps, cursor };
      if (doc.retry?.stepId === event.stepId) delete out.retry;
      return out;
    }
    case 'step-suspended': {
      const prev = doc.steps[event.stepId];
      const steps = { ...doc.steps, [event.stepId]: { ...prev, status: 'waiting' as const, suspended: true as const } };
      const running = doc.cursor.running.filter((s) => s !== event.stepId);
      const cursor = {
        ...doc.cursor,
        running,
        waiting: event.signal
          ? [...doc.cursor.waiting, { stepId: event.stepId, signal: event.signal, since: event.at, ...(event.schema === undefined ? {} : { schema: event.schema }) }]
          : doc.cursor.waiting,
        timers: event.wakeAt ? [...doc.cursor.timers, { stepId: event.stepId, wakeAt: event.wakeAt }] : doc.cursor.timers,
      };
      return { ...base, kind: 'waiting', stepId: event.stepId, steps, cursor, status: liveStatus({ cursor, steps }) };
    }
    case 'signal-received': {
      const prev = doc.steps[event.stepId];
      const steps = { ...doc.steps, [event.stepId]: { ...prev, status: 'pending' as const, signals: { ...prev.signals, [event.signal]: event.payload } } };
      const waiting = doc.cursor.waiting.filter((w) => !(w.stepId === event.stepId && w.signal === event.signal));
      const ready = readySteps(graph, steps, doc.cursor.timers).filter((s) => !doc.cursor.running.includes(s));
      const cursor = { ...doc.cursor, waiting, ready };
      return { ...base, kind: 'resumed', stepId: event.stepId, steps, cursor, status: liveStatus({ cursor, steps }), metadata: { ...doc.metadata, resumedBy: 'signal' } };
    }
    case 'step-completed': {
      const prev = doc.steps[event.stepId];
      if (event.again) {
        // The loop goes round once more: a new iteration starts with a fresh attempt count.
        const { suspended: _s, signals: _sig, sleepsDone: _sl, ...rest } = prev;
        const looped: StepRecord = {
          ...rest,
          status: 'pending',
          output: event.output,
          ...ended(prev, event.at),
          attempts: 0,
          iteration: (prev.iteration ?? 1) + 1,
          pastExecutions: (prev.pastExecutions ?? 0) + prev.attempts,
        };
        const steps = { ...doc.steps, [event.stepId]: looped };
        const running = doc.cursor.running.filter((s) => s !== event.stepId);
        const ready = readySteps(graph, steps, doc.cursor.timers).filter((s) => !running.includes(s));
        const cursor = { ...doc.cursor, ready, running };
        return { ...base, kind: 'step-completed', stepId: event.stepId, state: event.state, steps, cursor, status: liveStatus({ cursor, steps }) };
      }
      const steps = cascadeSkips(graph, { ...doc.steps, [event.stepId]: { ...prev, status: 'completed' as const, output: event.output, ...ended(prev, event.at) } }, event.at);
      const running = doc.cursor.running.filter((s) => s !== event.stepId);
      const ready = readySteps(graph, steps, doc.cursor.timers).filter((s) => !running.includes(s));
      const cursor = { ...doc.cursor, ready, running };
      return { ...base, kind: 'step-completed', stepId: event.stepId, state: event.state, steps, cursor, status: liveStatus({ cursor, steps }) };
    }
    case 'step-skipped': {
      const prev = doc.steps[event.stepId];
      const steps = cascadeSkips(graph, { ...doc.steps, [event.stepId]: { ...prev, status: 'skipped' as const, endedAt: event.at } }, event.at);
      const ready = readySteps(graph, steps, doc.cursor.timers).filter((s) => !doc.cursor.running.includes(s));
      const cursor = { ...doc.cursor, ready };
      return { ...base, kind: 'step-skipped', stepId: event.stepId, steps, cursor, status: liveStatus({ cursor, steps }) };
    }
    case 'step-failed': {
      const prev = doc.steps[event.stepId];
      const running = doc.cursor.running.filter((s) => s !== event.stepId);
      if (event.retryAt) {
        const steps = { ...doc.steps, [event.stepId]: { ...prev, status: 'pending' as const, error: event.error, ...ended(prev, event.at) } };
        const timers = [...doc.cursor.timers.filter((t) => t.stepId !== event.stepId), { stepId: event.stepId, wakeAt: event.retryAt }];
        const cursor = { ...doc.cursor, running, timers };
        return {
          ...base,
          kind: 'retry-scheduled',
          stepId: event.stepId,
          steps,
          cursor,
          status: liveStatus({ cursor, steps }),
          retry: { stepId: event.stepId, attempts: prev.attempts, nextRetryAt: event.retryAt },
        };
      }
      const steps = { ...doc.steps, [event.stepId]: { ...prev, status: 'failed' as const, error: event.error, ...ended(prev, event.at) } };
      // A failed step stops the run: nothing new is scheduled, steps already running may finish.
      return { ...base, kind: 'step-failed', stepId: event.stepId, steps, status: 'running', cursor: { ...doc.cursor, ready: [], running } };
    }
    case 'paused':
      return { ...base, kind: 'paused', stepId: null, status: 'paused' };
    case 'resumed': {
      // At-least-once: a step that was running when the process died runs again from its start.
      let steps = doc.steps;
      for (const id of doc.cursor.running) steps = { ...steps, [id]: { ...steps[id], status: 'pending' } };
      const timers = doc.cursor.timers;
      const cursor = { ...doc.cursor, running: [], timers, ready: readySteps(graph, steps, timers) };
      return { ...base, kind: 'resumed', stepId: null, steps, cursor, status: liveStatus({ cursor, steps }), metadata: { ...doc.metadata, resumedBy: event.reason } };
    }
    case 'edited': {
      const out: SnapshotDocument = { ...base, kind: 'edited', stepId: null };
      if (event.state !== undefined) out.state = event.state;
      if (event.config !== undefined) out.config = event.config;
      if (event.note) out.metadata = { ...doc.metadata, edit: event.note };
      return out;
    }
    case 'cancelled': {
      let steps = doc.steps;
      for (const id of doc.cursor.running) {
        steps = { ...steps, [id]: { ...steps[id], status: 'failed', ...ended(steps[id], event.at), error: { name: 'CancelledError', message: 'the run was cancelled while this step ran' } } };
      }
      for (const w of doc.cursor.waiting) {
        steps = { ...steps, [w.stepId]: { ...steps[w.stepId], status: 'failed', ...ended(steps[w.stepId], event.at), error: { name: 'CancelledError', message: `the run was cancelled while this step waited for "${w.signal}"` } } };
      }
      const out: SnapshotDocument = { ...base, kind: 'run-cancelled', stepId: null, status: 'cancelled', steps, cursor: { ready: [], running: [], waiting: [], timers: [] } };
      delete out.retry;
      return out;
    }
    case 'run-ended': {
      const cursor = { ...doc.cursor, ready: [], timers: [] };
      const failed = Object.entries(doc.steps).find(([, s]) => s.status === 'failed');
      if (event.error || failed) {
        const error = event.error ?? { ...failed![1].error!, message: `step "${failed![0]}" failed: ${failed![1].error!.message}` };
        const out: SnapshotDocument = { ...base, kind: 'run-failed', stepId: null, status: 'failed', error, cursor };
        delete out.retry;
        return out;
      }
      const result: Record<string, Json> = {};
      for (const id of finalSteps(graph)) if (doc.steps[id].status === 'completed') result[id] = doc.steps[id].output ?? null;
      return { ...base, kind: 'run-completed', stepId: null, status: 'completed', result, cursor };
    }
  }
}

/** True when nothing runs, nothing can start, and no retry, sleep or signal waits. */
export function isSettled(doc: SnapshotDocument): boolean {
  const c = doc.cursor;
  return c.running.length === 0 && c.ready.length === 0 && c.timers.length === 0 && c.waiting.length === 0;
}
