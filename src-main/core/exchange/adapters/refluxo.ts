// refluxo-style snapshots (workflowId, status, currentNodeId, context, version, lastStartedAt,
// totalExecutionTime, metadata, retryState) → our runs, one snapshot per saved snapshot, ordered by
// version and time. Snapshots carry no run id: a run is metadata.runId (or executionId) when the
// application put one there, else the workflowId (refluxo's own id for an execution).
// Choices: state = context (node id → results: what every node reads); the time of a snapshot is the
// latest of lastStartedAt and its results' timestamps; result = output of the last node that ran; the
// graph is the order in which nodes produced results (refluxo runs one node at a time).
import type { Json, RunStatus, SnapshotKind, StepRecord } from '../../../shared/snapshot';
import type { ForeignAdapter, ImportedRun } from '../types';
import { buildRun, emptyCursor, stepRecord, type TimelinePoint } from './shared/document';
import { errorFromString } from './shared/errors';
import { isObject, own, RecordReader, toIso, type JsonObject } from './shared/fields';
import { needsFromOrder, type OrderEvent } from '../../engine/stepGraph';
import { recordAdapter } from './shared/recordAdapter';
import { recordObject, type ForeignRecord } from './shared/records';

const RUN_STATUS: Record<string, RunStatus> = {
  active: 'running',
  paused: 'paused',
  error: 'error',
  completed: 'completed',
  failed: 'failed',
};

interface NodeResult {
  nodeId: string;
  output: Json;
  timestamp: number;
  error?: string;
  attempt: number;
}

interface RefluxoPoint {
  runKey: string;
  workflowId: string;
  version: number;
  point: TimelinePoint;
  results: NodeResult[];
  currentNodeId: string | null;
}

function readResults(r: RecordReader, context: JsonObject): NodeResult[] {
  const out: NodeResult[] = [];
  for (const [nodeId, list] of Object.entries(context)) {
    const c = r.at('context');
    if (!Array.isArray(list)) c.fail(nodeId, 'a list of node results', list);
    (list as Json[]).forEach((entry, i) => {
      const e = c.at(`${nodeId}[${i}]`);
      if (!isObject(entry)) return e.fail('', 'a node result {output, timestamp, attempt}', entry);
      const error = e.optString(entry, 'error');
      out.push({ nodeId, output: own(entry, 'output') ?? null, timestamp: e.number(entry, 'timestamp'), attempt: e.number(entry, 'attempt'), ...(error !== undefined ? { error } : {}) });
    });
  }
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

function readSnapshot(record: ForeignRecord): RefluxoPoint {
  const snap = recordObject(record, 'a refluxo snapshot');
  const r = new RecordReader(record.source);
  const workflowId = r.string(snap, 'workflowId');
  const foreignStatus = r.oneOf(snap, 'status', Object.keys(RUN_STATUS));
  const status = RUN_STATUS[foreignStatus];
  if (!Object.hasOwn(snap, 'currentNodeId')) r.fail('currentNodeId', 'a node id or null', undefined);
  const current = own(snap, 'currentNodeId');
  if (current !== null && typeof current !== 'string') r.fail('currentNodeId', 'a node id or null', current);
  const currentNodeId = current as string | null;
  const context = r.object(snap, 'context');
  const version = r.number(snap, 'version');
  const lastStartedAt = r.optNumber(snap, 'lastStartedAt');
  const metadata = r.optObject(snap, 'metadata') ?? {};
  const retryState = r.optObject(snap, 'retryState');
  const results = readResults(r, context);
  const latest = Math.max(lastStartedAt ?? 0, ...results.map((x) => x.timestamp));
  if (latest === 0) r.fail('lastStartedAt', 'a time (epoch milliseconds) when the snapshot has no results', undefined);
  const at = new Date(latest).toISOString();

  const steps = new Map<string, StepRecord>();
  for (const res of results) {
    const failed = res.error !== undefined;
    steps.set(
      res.nodeId,
      stepRecord({
        status: failed ? 'failed' : 'completed',
        attempts: res.attempt,
        output: failed ? undefined : res.output,
        error: failed ? errorFromString(res.error!) : undefined,
        endedAt: new Date(res.timestamp).toISOString(),
      }),
    );
  }
  const cursor = emptyCursor();
  let retry: TimelinePoint['retry'];
  let kind: SnapshotKind = results.length === 0 ? 'run-started' : 'step-completed';
  let stepId: string | null = results.length > 0 ? results[results.length - 1].nodeId : null;
  if (status === 'error') {
    const s = r.at('retryState');
    if (!retryState) r.fail('retryState', 'an object {nodeId, attempts, nextRetryAt} while status is error', undefined);
    const nodeId = s.string(retryState!, 'nodeId');
    const nextRetryAt = toIso(s.optNumber(retryState!, 'nextRetryAt')) ?? at;
    retry = { stepId: nodeId, attempts: s.number(retryState!, 'attempts'), nextRetryAt };
    // As our engine records a retry: the step waits, pending, with the error of its last attempt.
    const prev = steps.get(nodeId);
    steps.set(nodeId, stepRecord({ ...prev, status: 'pending', attempts: retry.attempts }));
    cursor.timers.push({ stepId: nodeId, wakeAt: nextRetryAt });
    kind = 'retry-scheduled';
    stepId = nodeId;
  } else if (status === 'running' && currentNodeId !== null) {
    if (!steps.has(currentNodeId) || steps.get(currentNodeId)!.status !== 'failed') cursor.ready.push(currentNodeId);
  } else if (status === 'paused' && currentNodeId !== null) {
    // A node that returned __pause runs again, with the external payload, when the run resumes.
    const prev = steps.get(currentNodeId);
    steps.set(currentNodeId, stepRecord({ ...prev, status: 'waiting', attempts: prev?.attempts ?? 1, suspended: true }));
    cursor.waiting.push({ stepId: currentNodeId, signal: 'resume', since: at });
    kind = 'paused';
    stepId = currentNodeId;
  } else if (status === 'completed') {
    kind = 'run-completed';
  } else if (status === 'failed') {
    kind = 'run-failed';
  }
  const last = results[results.length - 1];
  const failedResult = [...results].reverse().find((x) => x.error !== undefined);
  const failedReason = own(metadata, 'failedReason');
  const error =
    status === 'failed'
      ? failedResult
        ? errorFromString(failedResult.error!)
        : { name: 'Error', message: typeof failedReason === 'string' ? failedReason : 'the run failed' }
      : undefined;
  const runKey = own(metadata, 'runId') ?? own(metadata, 'executionId');
  return {
    runKey: typeof runKey === 'string' && runKey !== '' ? runKey : workflowId,
    workflowId,
    version,
    results,
    currentNodeId,
    point: {
      at,
      kind,
      stepId,
      status,
      input: own(metadata, 'input') ?? null,
      config: {},
      state: context,
      steps,
      cursor,
      retry,
      result: status === 'completed' && last ? last.output : undefined,
      error,
      original: snap,
      source: record.source,
      metadata: { foreignStatus, version },
      key: `${version}|${foreignStatus}|${at}`,
    },
  };
}

function toRun(points: RefluxoPoint[]): ImportedRun {
  const ordered = [...points].sort((a, b) => a.version - b.version || Date.parse(a.point.at) - Date.parse(b.point.at));
  // The snapshot with the most results knows the longest stretch of the order.
  const richest = ordered.reduce((a, b) => (b.results.length >= a.results.length ? b : a));
  const order: OrderEvent[] = richest.results.flatMap((x) => (x.error === undefined ? [{ stepId: x.nodeId, phase: 'start' as const }, { stepId: x.nodeId, phase: 'end' as const }] : [{ stepId: x.nodeId, phase: 'start' as const }]));
  for (const p of ordered) if (p.currentNodeId !== null) order.push({ stepId: p.currentNodeId, phase: 'start' });
  const workflow = { id: ordered[0].workflowId, steps: needsFromOrder(order) };
  return buildRun({ format: 'refluxo', foreignRunId: ordered[0].runKey, workflow, points: ordered.map((p) => p.point) });
}

export const refluxoAdapter: ForeignAdapter = recordAdapter({
  format: 'refluxo',
  keys: ['workflowId', 'status', 'currentNodeId', 'context'],
  point: readSnapshot,
  runKey: (p) => p.runKey,
  toRun,
});
