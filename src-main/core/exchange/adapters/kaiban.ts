// KaibanJS workflow snapshots (SnapshotManager.exportSnapshot(): version, timestamp, runId, workflowId,
// status, stepResults, executionPath, suspendedPaths, events, executionGraph, result, error, logs,
// executionContext) → our runs. Each export is one point of its run's timeline, ordered by timestamp.
// Choices: state = executionContext (the run's shared context); input is null (an export does not keep
// the run's input); the graph comes from executionGraph when an export kept it (KaibanJS empties it
// once a run starts), otherwise from the order of the step events. KaibanJS writes Error objects as {},
// so an error without a message is named by the step that failed.
import type { Json, RunStatus, SnapshotKind, StepError, StepRecord, StepStatus } from '../../../shared/snapshot';
import type { ForeignAdapter, ImportedRun, ImportedWorkflow } from '../types';
import { buildRun, emptyCursor, stepRecord, type TimelinePoint } from './shared/document';
import { toStepError } from './shared/errors';
import { isObject, own, RecordReader, toIso, type JsonObject } from './shared/fields';
import { needsFromOrder, withSteps, type OrderEvent } from '../../engine/stepGraph';
import { graphFromFlow } from './shared/flowGraph';
import { recordAdapter } from './shared/recordAdapter';
import { recordObject, type ForeignRecord } from './shared/records';

const RUN_STATUS: Record<string, RunStatus> = {
  INITIAL: 'pending',
  RUNNING: 'running',
  RESUMED: 'running',
  PAUSED: 'paused',
  SUSPENDED: 'waiting',
  COMPLETED: 'completed',
  FAILED: 'failed',
};

const STEP_STATUS: Record<string, StepStatus> = {
  running: 'running',
  completed: 'completed',
  failed: 'failed',
  suspended: 'waiting',
};

const KIND: Partial<Record<RunStatus, SnapshotKind>> = {
  pending: 'imported',
  completed: 'run-completed',
  failed: 'run-failed',
  waiting: 'waiting',
  paused: 'paused',
};

interface StepTimes {
  startedAt?: string;
  endedAt?: string;
  attempts: number;
  suspendedAt?: string;
}

/** Step start/end times and attempts from StepStatusUpdate events (a resume of a suspended step is not a new attempt). */
function stepTimes(r: RecordReader, events: Json[]): { times: Map<string, StepTimes>; order: OrderEvent[] } {
  const times = new Map<string, StepTimes>();
  const order: OrderEvent[] = [];
  events.forEach((event, i) => {
    const e = r.at(`events[${i}]`);
    if (!isObject(event)) return e.fail('', 'an event object', event);
    const payload = own(event, 'payload');
    if (!isObject(payload) || typeof own(payload, 'stepId') !== 'string') return;
    const stepId = own(payload, 'stepId') as string;
    const stepStatus = own(payload, 'stepStatus');
    const at = e.time(event, 'timestamp');
    const t = times.get(stepId) ?? { attempts: 0 };
    if (stepStatus === 'running') {
      if (t.suspendedAt === undefined) t.attempts += 1;
      t.suspendedAt = undefined;
      t.startedAt ??= at;
      order.push({ stepId, phase: 'start' });
    } else if (stepStatus === 'completed' || stepStatus === 'failed') {
      t.endedAt = at;
      if (stepStatus === 'completed') order.push({ stepId, phase: 'end' });
    } else if (stepStatus === 'suspended') {
      t.suspendedAt = at;
    }
    times.set(stepId, t);
  });
  return { times, order };
}

interface KaibanPoint {
  runId: string;
  workflowId: string;
  point: TimelinePoint;
  graph?: Json[];
  order: OrderEvent[];
}

function unknownError(stepId: string | undefined): StepError {
  return { name: 'Error', message: `${stepId ? `step ${stepId}` : 'the run'} failed; the export kept no message (KaibanJS writes Error objects as {})` };
}

function readExport(record: ForeignRecord): KaibanPoint {
  const snap = recordObject(record, 'a KaibanJS workflow snapshot');
  const r = new RecordReader(record.source);
  r.string(snap, 'version');
  const at = r.time(snap, 'timestamp');
  const runId = r.string(snap, 'runId');
  const workflowId = r.string(snap, 'workflowId');
  const foreignStatus = r.oneOf(snap, 'status', Object.keys(RUN_STATUS));
  const status = RUN_STATUS[foreignStatus];
  const stepResults = r.object(snap, 'stepResults');
  const events = r.optArray(snap, 'events') ?? [];
  const { times, order } = stepTimes(r, events);

  const steps = new Map<string, StepRecord>();
  const cursor = emptyCursor();
  let changed: string | null = null;
  for (const [id, value] of Object.entries(stepResults)) {
    const s = r.at(`stepResults.${id}`);
    if (!isObject(value)) s.fail('', 'a step result object', value);
    const foreign = s.oneOf(value as JsonObject, 'status', Object.keys(STEP_STATUS));
    const stepStatus = STEP_STATUS[foreign];
    const t = times.get(id) ?? { attempts: 1 };
    const output = own(value as JsonObject, 'output');
    steps.set(
      id,
      stepRecord({
        status: stepStatus,
        attempts: Math.max(1, t.attempts),
        // A suspended step's output is its suspend payload: kept as the output it shows while waiting.
        output,
        error: stepStatus === 'failed' ? (toStepError(own(value as JsonObject, 'error')) ?? unknownError(id)) : undefined,
        startedAt: t.startedAt,
        endedAt: stepStatus === 'completed' || stepStatus === 'failed' ? t.endedAt : undefined,
        suspended: foreign === 'suspended' ? true : undefined,
      }),
    );
    if (stepStatus === 'running') cursor.running.push(id);
    if (stepStatus === 'waiting') {
      cursor.waiting.push({ stepId: id, signal: 'resume', since: t.suspendedAt ?? at });
      changed = id;
    }
    if (stepStatus === 'failed') changed = id;
  }

  const failedStep = [...steps].find(([, s]) => s.status === 'failed');
  const rawResult = own(snap, 'result');
  // run.start() resolves to {status, result, steps}; the workflow's own output is its `result`.
  const result = isObject(rawResult) && Object.hasOwn(rawResult, 'status') && Object.hasOwn(rawResult, 'result') ? own(rawResult, 'result') : rawResult;
  const context = own(snap, 'executionContext');
  const graph = own(snap, 'executionGraph');
  const point: TimelinePoint = {
    at,
    kind: KIND[status] ?? 'imported',
    stepId: changed,
    status,
    input: null,
    config: {},
    state: isObject(context) ? context : {},
    steps,
    cursor,
    result: result === null ? undefined : result,
    error: status === 'failed' ? (toStepError(own(snap, 'error')) ?? failedStep?.[1].error ?? unknownError(undefined)) : undefined,
    original: snap,
    source: record.source,
    metadata: { foreignStatus, kaibanVersion: own(snap, 'version') ?? null },
    key: `${toIso(own(snap, 'timestamp'))}|${foreignStatus}|${Object.keys(stepResults).length}`,
  };
  return { runId, workflowId, point, graph: Array.isArray(graph) && graph.length > 0 ? graph : undefined, order };
}

function toRun(points: KaibanPoint[]): ImportedRun {
  const flow = points.find((p) => p.graph)?.graph;
  // The export with the most events knows the longest stretch of the run's order.
  const longest = points.reduce((a, b) => (b.order.length > a.order.length ? b : a)).order;
  const seen = points.flatMap((p) => [...p.point.steps.keys()]);
  const workflow: ImportedWorkflow = { id: points[0].workflowId, steps: withSteps(flow ? graphFromFlow(flow) : needsFromOrder(longest), seen) };
  return buildRun({ format: 'kaiban', foreignRunId: points[0].runId, workflow, points: points.map((p) => p.point) });
}

export const kaibanAdapter: ForeignAdapter = recordAdapter({
  format: 'kaiban',
  keys: ['runId', 'workflowId', 'stepResults', 'executionPath'],
  point: readExport,
  runKey: (p) => p.runId,
  toRun,
});
