// Temporal workflow histories (`{events: [...]}` as `temporal workflow show --output json` or the web UI
// write them) → our runs. One snapshot per event that changes the run's state: workflow started,
// activity scheduled / started / completed / failed / timed out / cancelled, timer started / fired /
// cancelled, signal, workflow completed / failed / timed out / cancelled / terminated / continued-as-new.
// Events that change nothing we show (workflow tasks, markers, …) ride along, verbatim, in the metadata
// of the next snapshot. Several files of one run (same original run id) are merged by eventId.
// Choices: activities and timers are steps (activity id `<type>-<activityId>` when the id is a bare
// sequence number, as the SDKs make them); state = {memo, signals} — what the history shows of the
// workflow's state (its variables live in code); payloads are decoded when their encoding is JSON.
import type { Json, RunStatus, SnapshotKind, StepError, StepRecord } from '../../../shared/snapshot';
import type { ForeignAdapter, ImportedRun, ImportSource } from '../types';
import { ImportError } from '../types';
import { buildRun, emptyCursor, groupBy, stepRecord, type TimelinePoint } from './shared/document';
import { isObject, own, RecordReader, type JsonObject } from './shared/fields';
import { needsFromOrder, type OrderEvent } from '../../engine/stepGraph';
import { looksLike, readRecords, recordObject } from './shared/records';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `EVENT_TYPE_ACTIVITY_TASK_COMPLETED` and `ActivityTaskCompleted` alike → `ActivityTaskCompleted`. */
export function eventTypeName(raw: string): string {
  if (!/^EVENT_TYPE_[A-Z_]+$/.test(raw)) return raw;
  return raw
    .slice('EVENT_TYPE_'.length)
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase());
}

function decodeBase64(r: RecordReader, field: string, text: Json | undefined): Buffer {
  if (typeof text !== 'string' || !BASE64.test(text)) return r.fail(field, 'base64 text', text);
  return Buffer.from(text, 'base64');
}

/** A payload as data: JSON encodings decoded, binary/null as null, anything else kept as base64 with its encoding. */
function decodePayload(r: RecordReader, field: string, payload: Json): Json {
  if (!isObject(payload)) return r.fail(field, 'a payload object', payload);
  const p = r.at(field);
  const metadata = p.optObject(payload, 'metadata') ?? {};
  const encoding = own(metadata, 'encoding') === undefined ? '' : decodeBase64(p, 'metadata.encoding', own(metadata, 'encoding')).toString('utf8');
  const data = own(payload, 'data');
  if (encoding === 'binary/null') return null;
  if (encoding === 'json/plain' || encoding === 'json/protobuf') {
    const text = decodeBase64(p, 'data', data ?? '').toString('utf8');
    try {
      return JSON.parse(text) as Json;
    } catch {
      return p.fail('data', `JSON (encoding ${encoding})`, text);
    }
  }
  return { encoding, data: data ?? '', metadata };
}

function decodePayloads(r: RecordReader, field: string, value: Json | undefined): Json {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) return r.fail(field, 'a Payloads object', value);
  const list = r.at(field).optArray(value, 'payloads') ?? [];
  const decoded = list.map((p, i) => decodePayload(r, `${field}.payloads[${i}]`, p));
  return decoded.length === 0 ? null : decoded.length === 1 ? decoded[0] : decoded;
}

function failureToError(failure: Json | undefined, fallback: StepError): StepError {
  if (!isObject(failure)) return fallback;
  const app = own(failure, 'applicationFailureInfo');
  const type = isObject(app) ? own(app, 'type') : undefined;
  const name =
    typeof type === 'string' && type !== ''
      ? type
      : own(failure, 'timeoutFailureInfo') !== undefined
        ? 'TimeoutFailure'
        : own(failure, 'activityFailureInfo') !== undefined
          ? 'ActivityFailure'
          : own(failure, 'canceledFailureInfo') !== undefined
            ? 'CancelledFailure'
            : own(failure, 'terminatedFailureInfo') !== undefined
              ? 'TerminatedFailure'
              : 'Error';
  const message = String(own(failure, 'message') ?? fallback.message);
  const cause = own(failure, 'cause');
  const causeMessage = isObject(cause) && typeof own(cause, 'message') === 'string' ? (own(cause, 'message') as string) : undefined;
  const out: StepError = { name, message: causeMessage && causeMessage !== message ? `${message}: ${causeMessage}` : message };
  const stack = own(failure, 'stackTrace') ?? (isObject(cause) ? own(cause, 'stackTrace') : undefined);
  if (typeof stack === 'string' && stack !== '') out.stack = stack;
  if (isObject(app) && own(app, 'nonRetryable') === true) out.retryable = false;
  return out;
}

/** Protobuf JSON durations: "5s", "0.250s". */
function durationMs(value: Json | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d+(?:\.\d+)?)s$/.exec(value);
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

interface HistoryEvent {
  id: number;
  type: string;
  at: string;
  attrs: JsonObject;
  raw: JsonObject;
  r: RecordReader;
  source: ImportSource;
}

function readEvents(file: string, record: { value: Json; source: ImportSource }): HistoryEvent[] {
  const history = recordObject(record, 'a Temporal history');
  const r = new RecordReader(record.source);
  const events = r.array(history, 'events');
  return events.map((raw, i) => {
    // Events of one document are named by their index; a history per line keeps its line.
    const source: ImportSource = record.source.line !== undefined || record.source.row !== undefined ? record.source : { file, row: i + 1 };
    const e = new RecordReader(source, `events[${i}]`);
    if (!isObject(raw)) return e.fail('', 'an event object', raw);
    const id = e.int64(raw, 'eventId');
    const type = eventTypeName(e.string(raw, 'eventType'));
    const at = e.time(raw, 'eventTime');
    const attrKey = `${type[0].toLowerCase()}${type.slice(1)}EventAttributes`;
    const attrs = own(raw, attrKey);
    if (attrs !== undefined && !isObject(attrs)) e.fail(attrKey, 'an object', attrs);
    return { id, type, at, attrs: (attrs as JsonObject | undefined) ?? {}, raw, r: e.at(attrKey), source };
  });
}

const RUN_END: Record<string, { status: RunStatus; kind: SnapshotKind }> = {
  WorkflowExecutionCompleted: { status: 'completed', kind: 'run-completed' },
  WorkflowExecutionContinuedAsNew: { status: 'completed', kind: 'run-completed' },
  WorkflowExecutionFailed: { status: 'failed', kind: 'run-failed' },
  WorkflowExecutionTimedOut: { status: 'failed', kind: 'run-failed' },
  WorkflowExecutionCanceled: { status: 'cancelled', kind: 'run-cancelled' },
  WorkflowExecutionTerminated: { status: 'cancelled', kind: 'run-cancelled' },
};

/** Replays a history's events into points of our timeline. */
function toRun(events: HistoryEvent[]): ImportedRun {
  const started = events.find((e) => e.type === 'WorkflowExecutionStarted')!;
  const workflowType = own(started.attrs, 'workflowType');
  const workflowName = isObject(workflowType) && typeof own(workflowType, 'name') === 'string' ? (own(workflowType, 'name') as string) : 'temporal-workflow';
  const foreignRunId = String(own(started.attrs, 'originalExecutionRunId') ?? own(started.attrs, 'firstExecutionRunId') ?? own(started.attrs, 'workflowId'));

  const steps = new Map<string, StepRecord>();
  const bySchedule = new Map<number, string>();
  const timers = new Map<string, string>();
  const cursor = emptyCursor();
  const order: OrderEvent[] = [];
  const points: TimelinePoint[] = [];
  const memo = own(started.attrs, 'memo');
  const memoFields = isObject(memo) && isObject(own(memo, 'fields')) ? (own(memo, 'fields') as JsonObject) : {};
  const state: { memo: JsonObject; signals: JsonObject } = {
    memo: Object.fromEntries(Object.entries(memoFields).map(([k, v]) => [k, decodePayload(started.r, `memo.fields.${k}`, v)])),
    signals: {},
  };
  const input = decodePayloads(started.r, 'input', own(started.attrs, 'input'));
  let status: RunStatus = 'running';
  let result: Json | undefined;
  let error: StepError | undefined;
  let quiet: Json[] = [];

  const stepOf = (e: HistoryEvent, field = 'scheduledEventId'): string => {
    const id = bySchedule.get(e.r.int64(e.attrs, field));
    if (id === undefined) throw new ImportError({ ...e.source, field: e.r.path(field), expected: 'the eventId of an earlier ActivityTaskScheduled', got: String(own(e.attrs, field)) }, 'the event refers to an activity that was never scheduled');
    return id;
  };
  const update = (id: string, patch: Partial<StepRecord>) => {
    const next = { ...steps.get(id)!, ...patch };
    if (patch.status === 'running' || patch.status === 'completed') delete next.error;
    steps.set(id, stepRecord(next));
  };
  const remove = (list: string[], id: string) => list.filter((s) => s !== id);
  const liveStatus = (): RunStatus => (cursor.running.length === 0 && cursor.ready.length === 0 && cursor.timers.length > 0 ? 'waiting' : 'running');

  for (const e of events) {
    let kind: SnapshotKind | undefined;
    let stepId: string | null = null;
    const a = e.attrs;
    switch (e.type) {
      case 'WorkflowExecutionStarted':
        kind = 'run-started';
        break;
      case 'ActivityTaskScheduled': {
        const type = e.r.object(a, 'activityType');
        const typeName = e.r.at('activityType').string(type, 'name');
        const activityId = e.r.string(a, 'activityId');
        stepId = /^\d+$/.test(activityId) ? `${typeName}-${activityId}` : activityId;
        bySchedule.set(e.id, stepId);
        steps.set(stepId, { status: 'pending', attempts: 0, input: decodePayloads(e.r, 'input', own(a, 'input')) });
        cursor.ready = [...cursor.ready, stepId];
        order.push({ stepId, phase: 'start' });
        kind = 'imported';
        break;
      }
      case 'ActivityTaskStarted':
        stepId = stepOf(e);
        update(stepId, { status: 'running', attempts: e.r.optInt64(a, 'attempt') ?? 1, startedAt: e.at });
        cursor.ready = remove(cursor.ready, stepId);
        cursor.running = [...cursor.running, stepId];
        kind = 'step-started';
        break;
      case 'ActivityTaskCompleted':
        stepId = stepOf(e);
        update(stepId, { status: 'completed', output: decodePayloads(e.r, 'result', own(a, 'result')), endedAt: e.at });
        cursor.running = remove(cursor.running, stepId);
        order.push({ stepId, phase: 'end' });
        kind = 'step-completed';
        break;
      case 'ActivityTaskFailed':
      case 'ActivityTaskTimedOut':
        stepId = stepOf(e);
        update(stepId, { status: 'failed', endedAt: e.at, error: failureToError(own(a, 'failure'), { name: e.type === 'ActivityTaskTimedOut' ? 'TimeoutFailure' : 'Error', message: `activity ${stepId} ${e.type === 'ActivityTaskTimedOut' ? 'timed out' : 'failed'}` }) });
        cursor.running = remove(cursor.running, stepId);
        cursor.ready = remove(cursor.ready, stepId);
        kind = 'step-failed';
        break;
      case 'ActivityTaskCanceled':
        stepId = stepOf(e);
        update(stepId, { status: 'skipped', endedAt: e.at });
        cursor.running = remove(cursor.running, stepId);
        cursor.ready = remove(cursor.ready, stepId);
        kind = 'step-skipped';
        break;
      case 'TimerStarted': {
        const timerId = e.r.string(a, 'timerId');
        stepId = `timer-${timerId}`;
        timers.set(timerId, stepId);
        const wait = durationMs(own(a, 'startToFireTimeout'));
        steps.set(stepId, stepRecord({ status: 'waiting', attempts: 1, input: { startToFireTimeout: own(a, 'startToFireTimeout') ?? null }, startedAt: e.at }));
        cursor.timers = [...cursor.timers, { stepId, wakeAt: new Date(Date.parse(e.at) + (wait ?? 0)).toISOString() }];
        order.push({ stepId, phase: 'start' });
        kind = 'waiting';
        break;
      }
      case 'TimerFired':
      case 'TimerCanceled': {
        const timerId = e.r.string(a, 'timerId');
        const id = timers.get(timerId);
        if (id === undefined) e.r.fail('timerId', 'the id of a started timer', timerId);
        stepId = id!;
        const fired = e.type === 'TimerFired';
        update(stepId, { status: fired ? 'completed' : 'skipped', endedAt: e.at });
        cursor.timers = cursor.timers.filter((t) => t.stepId !== stepId);
        if (fired) order.push({ stepId, phase: 'end' });
        kind = fired ? 'resumed' : 'step-skipped';
        break;
      }
      case 'WorkflowExecutionSignaled': {
        const name = e.r.string(a, 'signalName');
        state.signals = { ...state.signals, [name]: decodePayloads(e.r, 'input', own(a, 'input')) };
        kind = 'resumed';
        break;
      }
      default: {
        const end = RUN_END[e.type];
        if (!end) break;
        status = end.status;
        kind = end.kind;
        if (e.type === 'WorkflowExecutionCompleted') result = decodePayloads(e.r, 'result', own(a, 'result'));
        if (e.type === 'WorkflowExecutionContinuedAsNew') result = { continuedAsNewRunId: own(a, 'newExecutionRunId') ?? null };
        if (status === 'failed') error = failureToError(own(a, 'failure'), { name: 'TimeoutFailure', message: 'the workflow timed out' });
        if (e.type === 'WorkflowExecutionTerminated') error = { name: 'Terminated', message: String(own(a, 'reason') ?? 'the workflow was terminated') };
      }
    }
    if (!kind) {
      quiet.push(e.raw);
      continue;
    }
    if (!RUN_END[e.type]) status = liveStatus();
    const metadata: { [key: string]: Json } = { eventId: e.id, eventType: e.type, workflowId: own(started.attrs, 'workflowId') ?? null };
    if (quiet.length > 0) metadata.eventsBefore = quiet;
    quiet = [];
    points.push({
      at: e.at,
      kind,
      stepId,
      status,
      input,
      config: {},
      state: { memo: state.memo, signals: state.signals },
      steps: new Map(steps),
      cursor: { ready: [...cursor.ready], running: [...cursor.running], waiting: [], timers: [...cursor.timers] },
      result,
      error,
      original: e.raw,
      source: e.source,
      metadata,
      key: String(e.id),
    });
  }
  if (quiet.length > 0) {
    // Events after the last change (a last workflow task, say) stay with the last snapshot.
    const last = points[points.length - 1];
    last.metadata = { ...last.metadata, eventsAfter: quiet };
  }
  const workflow = { id: workflowName, name: workflowName, steps: needsFromOrder(order) };
  return buildRun({ format: 'temporal', foreignRunId, workflow, points, createdAt: started.at });
}

export const temporalAdapter: ForeignAdapter = {
  format: 'temporal',
  detect({ head }) {
    try {
      return looksLike(head, ['events']) && /"eventType"\s*:/.test(head) && /EventAttributes"\s*:/.test(head);
    } catch {
      return false;
    }
  },
  async read(files) {
    const histories: HistoryEvent[][] = [];
    for (const file of files) {
      for (const record of await readRecords(file)) {
        const events = readEvents(file, record);
        const first = events.find((e) => e.type === 'WorkflowExecutionStarted');
        if (!first) {
          throw new ImportError({ ...record.source, field: 'events', expected: 'a WorkflowExecutionStarted event', got: events.length === 0 ? 'no events' : `starts at ${events[0].type}` }, 'the history does not start its run');
        }
        histories.push(events);
      }
    }
    // Histories of the same run (a page and the whole, two downloads) merge by eventId.
    const runKey = (h: HistoryEvent[]) => {
      const s = h.find((e) => e.type === 'WorkflowExecutionStarted')!.attrs;
      return String(own(s, 'originalExecutionRunId') ?? own(s, 'firstExecutionRunId') ?? own(s, 'workflowId'));
    };
    return [...groupBy(histories, runKey).values()].map((group) => {
      const byId = new Map<number, HistoryEvent>();
      for (const e of group.flat()) if (!byId.has(e.id)) byId.set(e.id, e);
      return toRun([...byId.values()].sort((x, y) => x.id - y.id));
    });
  },
};
