// Mastra workflow snapshots → our runs. Input: rows of mastra_workflow_snapshot
// `{workflowName, runId, resourceId?, createdAt, updatedAt, snapshot}` as JSON, a JSON array or NDJSON,
// or the LibSQL/SQLite file itself; the 0.x shape (errors as strings, runtimeContext) and the 1.x shape
// (errors as {message, name}, requestContext, stepExecutionPath, paused/skipped/tripwire).
// Mastra keeps one row per run, so each row is one point of the run's timeline; rows of the same run
// from several files are several points, ordered by the snapshot's timestamp.
// Choices: state = snapshot.value (the workflow state steps write with setState); config = the request
// (0.x runtime) context, what the caller passed beside the input; input = context.input.
import type { Json, RunStatus, SnapshotKind, StepRecord, StepStatus } from '../../../shared/snapshot';
import { contentHash } from '../../store/snapshotCodec';
import type { ForeignAdapter, ImportedRun, ImportedWorkflow } from '../types';
import { buildRun, emptyCursor, groupBy, stepRecord, type TimelinePoint } from './shared/document';
import { toStepError } from './shared/errors';
import { isObject, own, RecordReader, toIso, type JsonObject } from './shared/fields';
import { needsFromOrder, withSteps, type OrderEvent } from '../../engine/stepGraph';
import { graphFromFlow } from './shared/flowGraph';
import { recordAdapter } from './shared/recordAdapter';
import { readRecords, recordObject, type ForeignRecord } from './shared/records';
import { hasMastraTable, isSqliteFile, isSqliteHead, MASTRA_TABLE, readMastraDatabase, type SqliteOptions } from './mastraDatabase';

const RUN_STATUS: Record<string, RunStatus> = {
  pending: 'pending',
  running: 'running',
  waiting: 'waiting',
  suspended: 'waiting',
  paused: 'paused',
  success: 'completed',
  // bail() ends a run early with a result: it finished, successfully.
  bailed: 'completed',
  skipped: 'completed',
  failed: 'failed',
  // A processor (guardrail) rejected the run.
  tripwire: 'failed',
  canceled: 'cancelled',
};

const STEP_STATUS: Record<string, StepStatus> = {
  pending: 'pending',
  running: 'running',
  waiting: 'waiting',
  suspended: 'waiting',
  paused: 'waiting',
  success: 'completed',
  bailed: 'completed',
  failed: 'failed',
  tripwire: 'failed',
  skipped: 'skipped',
  canceled: 'skipped',
};

const KIND: Partial<Record<RunStatus, SnapshotKind>> = {
  completed: 'run-completed',
  failed: 'run-failed',
  cancelled: 'run-cancelled',
  waiting: 'waiting',
  paused: 'paused',
};

interface MastraPoint {
  workflowName: string;
  runId: string;
  createdAt?: string;
  point: TimelinePoint;
  graph?: Json[];
  /** For a graph from execution order when no serializedStepGraph is kept. */
  order: OrderEvent[];
}

function readStep(r: RecordReader, id: string, value: Json): { record: StepRecord; foreign: string; raw: JsonObject } {
  const s = r.at(`context.${id}`);
  if (!isObject(value)) return s.fail('', 'a step result object', value);
  const foreign = s.oneOf(value, 'status', Object.keys(STEP_STATUS));
  const status = STEP_STATUS[foreign];
  const resume = own(value, 'resumePayload');
  const record = stepRecord({
    status,
    attempts: status === 'pending' ? 0 : 1,
    input: own(value, 'payload'),
    output: own(value, 'output'),
    error: status === 'failed' ? (toStepError(own(value, 'error')) ?? { name: 'Error', message: `step ${id} failed (Mastra kept no error)` }) : undefined,
    startedAt: s.optTime(value, 'startedAt'),
    endedAt: s.optTime(value, 'endedAt'),
    signals: resume !== undefined ? { resume } : undefined,
    suspended: foreign === 'suspended' ? true : undefined,
  });
  return { record, foreign, raw: value };
}

function readRow(record: ForeignRecord): MastraPoint {
  const row = recordObject(record, 'a Mastra workflow snapshot row');
  const r = new RecordReader(record.source);
  const workflowName = r.string(row, 'workflowName');
  const runId = r.string(row, 'runId');
  let snap: JsonObject;
  const rawSnap = own(row, 'snapshot');
  if (typeof rawSnap === 'string') {
    // Some exports keep the column as text.
    let parsed: Json;
    try {
      parsed = JSON.parse(rawSnap) as Json;
    } catch {
      return r.fail('snapshot', 'a snapshot object or its JSON text', rawSnap);
    }
    snap = isObject(parsed) ? parsed : r.fail('snapshot', 'a snapshot object', parsed);
  } else {
    snap = r.object(row, 'snapshot');
  }
  const s = r.at('snapshot');
  const foreignStatus = s.oneOf(snap, 'status', Object.keys(RUN_STATUS));
  const status = RUN_STATUS[foreignStatus];
  const context = s.object(snap, 'context');
  const at = toIso(own(snap, 'timestamp')) ?? r.time(row, 'updatedAt');

  const steps = new Map<string, StepRecord>();
  const timed: { t: number; phase: 0 | 1; event: OrderEvent }[] = [];
  const cursor = emptyCursor();
  const labels = isObject(own(snap, 'resumeLabels')) ? (own(snap, 'resumeLabels') as JsonObject) : {};
  let changed: string | null = null;
  // What each waiting step suspended with (suspend(payload)): what it waits for, the reason a person reads.
  const suspendPayload: JsonObject = {};
  for (const [id, value] of Object.entries(context)) {
    if (id === 'input') continue;
    const { record: step, foreign, raw } = readStep(s, id, value);
    steps.set(id, step);
    if (step.startedAt) timed.push({ t: Date.parse(step.startedAt), phase: 0, event: { stepId: id, phase: 'start' } });
    if (step.endedAt) timed.push({ t: Date.parse(step.endedAt), phase: 1, event: { stepId: id, phase: 'end' } });
    if (step.status === 'running') cursor.running.push(id);
    if (step.status === 'pending') cursor.ready.push(id);
    if (step.status === 'waiting') {
      const label = Object.entries(labels).find(([, v]) => isObject(v) && own(v, 'stepId') === id)?.[0];
      const since = toIso(own(raw, 'suspendedAt')) ?? step.startedAt ?? at;
      cursor.waiting.push({ stepId: id, signal: label ?? (foreign === 'waiting' ? 'event' : 'resume'), since });
      const payload = own(raw, 'suspendPayload');
      if (payload !== undefined) suspendPayload[id] = payload;
      changed = id;
    }
    if (step.status === 'failed') changed = id;
  }
  timed.sort((a, b) => a.t - b.t || a.phase - b.phase);

  const value = own(snap, 'value');
  const requestContext = own(snap, 'requestContext') ?? own(snap, 'runtimeContext');
  const newer = own(snap, 'requestContext') !== undefined || Array.isArray(own(snap, 'stepExecutionPath')) || isObject(own(snap, 'error'));
  const shape = newer || ['paused', 'skipped', 'tripwire'].includes(foreignStatus) ? '1.x' : '0.x';
  const failedStep = [...steps.values()].find((st) => st.status === 'failed');
  const error = status === 'failed' ? (toStepError(own(snap, 'error')) ?? failedStep?.error ?? { name: 'Error', message: `run ${runId} failed` }) : undefined;
  const point: TimelinePoint = {
    at,
    kind: KIND[status] ?? 'imported',
    stepId: changed,
    status,
    input: own(context, 'input') ?? null,
    config: isObject(requestContext) ? requestContext : {},
    state: isObject(value) ? value : {},
    steps,
    cursor,
    result: own(snap, 'result'),
    error,
    original: row,
    source: record.source,
    metadata: { foreignStatus, mastraShape: shape, ...(Object.keys(suspendPayload).length > 0 ? { suspendPayload } : {}) },
    key: `${String(own(snap, 'timestamp'))}|${foreignStatus}|${Object.keys(context).length}`,
  };
  const graph = own(snap, 'serializedStepGraph');
  return {
    workflowName,
    runId,
    createdAt: toIso(own(row, 'createdAt')),
    point,
    graph: Array.isArray(graph) && graph.length > 0 ? graph : undefined,
    order: timed.map((x) => x.event),
  };
}

function toRun(points: MastraPoint[]): ImportedRun {
  const latestGraph = [...points].reverse().find((p) => p.graph)?.graph;
  const seen = points.flatMap((p) => [...p.point.steps.keys()]);
  const derived = latestGraph ? graphFromFlow(latestGraph) : needsFromOrder(points.flatMap((p) => p.order));
  const workflow: ImportedWorkflow = { id: points[0].workflowName, name: points[0].workflowName, steps: withSteps(derived, seen) };
  for (const { point } of points) {
    // A finished run never got to the steps it did not take (the other branch of a condition).
    if (point.status !== 'completed') continue;
    for (const { id } of workflow.steps) if (!point.steps.has(id)) point.steps.set(id, { status: 'skipped', attempts: 0 });
  }
  const created = points.map((p) => p.createdAt).filter((c): c is string => c !== undefined).sort()[0];
  return buildRun({ format: 'mastra', foreignRunId: points[0].runId, workflow, points: points.map((p) => p.point), createdAt: created });
}

/** Runs from Mastra row records read elsewhere (a Postgres store): one per workflow and run id. */
export function mastraRuns(records: ForeignRecord[]): ImportedRun[] {
  const runs = [...groupBy(records.map(readRow), (p) => JSON.stringify([p.workflowName, p.runId])).values()].map(toRun);
  // A store's row is the run's latest state, rewritten as it goes on: a changed row is a new snapshot of the run.
  for (const run of runs) {
    run.incremental = 'latest';
    for (const s of run.snapshots) s.metadata.sourceKey = `mastra-row:${contentHash(JSON.stringify(s.metadata.original))}`;
  }
  return runs;
}

export function createMastraAdapter(options: SqliteOptions = {}): ForeignAdapter {
  return recordAdapter({
    format: 'mastra',
    keys: ['workflowName', 'runId', 'snapshot'],
    detectOther: ({ file, head }) => (isSqliteHead(head) ? head.includes(MASTRA_TABLE) || hasMastraTable(file, options) : undefined),
    records: async (file) => (isSqliteFile(file) ? readMastraDatabase(file, options) : readRecords(file)),
    point: readRow,
    runKey: (p) => JSON.stringify([p.workflowName, p.runId]),
    toRun,
  });
}

export const mastraAdapter = createMastraAdapter();
