// The scheduler as a pure transition: next(graph, snapshot, event) → the next snapshot. Everything the
// engine knows about a run is in its latest snapshot; side effects (workers, the store) live elsewhere.
import {
  SNAPSHOT_SCHEMA_VERSION,
  type Json,
  type SnapshotDocument,
  type StepError,
  type StepRecord,
} from '../../shared/snapshot';

/** Step id → the step ids it needs. */
export type StepGraph = Record<string, string[]>;

export type EngineEvent =
  | { type: 'step-started'; stepId: string; at: string }
  | { type: 'step-completed'; stepId: string; at: string; output: Json; state: Record<string, Json> }
  | { type: 'step-failed'; stepId: string; at: string; error: StepError }
  | { type: 'run-ended'; at: string };

export interface RunStart {
  runId: string;
  workflowId: string;
  workflowVersion: string;
  input: Json;
  config: Json;
  at: string;
  metadata?: Record<string, Json>;
}

export function readySteps(graph: StepGraph, steps: Record<string, StepRecord>): string[] {
  return Object.keys(graph).filter(
    (id) => steps[id].status === 'pending' && graph[id].every((need) => steps[need]?.status === 'completed'),
  );
}

/** The first snapshot of a run (seq 1, kind run-started). */
export function startSnapshot(graph: StepGraph, start: RunStart): SnapshotDocument {
  const steps: Record<string, StepRecord> = {};
  for (const id of Object.keys(graph)) steps[id] = { status: 'pending', attempts: 0 };
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
    state: {},
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

export function next(graph: StepGraph, doc: SnapshotDocument, event: EngineEvent): SnapshotDocument {
  const base = { ...doc, seq: doc.seq + 1, at: event.at };
  switch (event.type) {
    case 'step-started': {
      const prev = doc.steps[event.stepId];
      if (!prev || prev.status !== 'pending') throw new Error(`step "${event.stepId}" cannot start from status ${prev?.status}`);
      const steps = {
        ...doc.steps,
        [event.stepId]: { ...prev, status: 'running' as const, attempts: prev.attempts + 1, input: resultsFor(graph, doc, event.stepId), startedAt: event.at },
      };
      return {
        ...base,
        kind: 'step-started',
        stepId: event.stepId,
        steps,
        cursor: { ...doc.cursor, ready: doc.cursor.ready.filter((s) => s !== event.stepId), running: [...doc.cursor.running, event.stepId] },
      };
    }
    case 'step-completed': {
      const prev = doc.steps[event.stepId];
      const steps = { ...doc.steps, [event.stepId]: { ...prev, status: 'completed' as const, output: event.output, endedAt: event.at } };
      const running = doc.cursor.running.filter((s) => s !== event.stepId);
      const ready = readySteps(graph, steps).filter((s) => !running.includes(s));
      return { ...base, kind: 'step-completed', stepId: event.stepId, state: event.state, steps, cursor: { ...doc.cursor, ready, running } };
    }
    case 'step-failed': {
      const prev = doc.steps[event.stepId];
      const steps = { ...doc.steps, [event.stepId]: { ...prev, status: 'failed' as const, error: event.error, endedAt: event.at } };
      const running = doc.cursor.running.filter((s) => s !== event.stepId);
      // A failed step stops the run: nothing new is scheduled, steps already running may finish.
      return { ...base, kind: 'step-failed', stepId: event.stepId, steps, cursor: { ...doc.cursor, ready: [], running } };
    }
    case 'run-ended': {
      const failed = Object.entries(doc.steps).find(([, s]) => s.status === 'failed');
      if (failed) {
        const [stepId, step] = failed;
        const error = { ...step.error!, message: `step "${stepId}" failed: ${step.error!.message}` };
        return { ...base, kind: 'run-failed', stepId: null, status: 'failed', error, cursor: { ...doc.cursor, ready: [] } };
      }
      const needed = new Set(Object.values(graph).flat());
      const result: Record<string, Json> = {};
      for (const id of Object.keys(graph)) if (!needed.has(id)) result[id] = doc.steps[id].output ?? null;
      return { ...base, kind: 'run-completed', stepId: null, status: 'completed', result, cursor: { ...doc.cursor, ready: [] } };
    }
  }
}

/** True when nothing runs and nothing more can start. */
export function isSettled(doc: SnapshotDocument): boolean {
  return doc.cursor.running.length === 0 && doc.cursor.ready.length === 0;
}
