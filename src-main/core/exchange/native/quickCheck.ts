// The snapshot document schema of format.ts written out by hand, for the import's hot path: a snapshot line
// is checked here in a fraction of zod's time. It may only ever accept less than the schema does (a test
// holds it to that); whatever it does not accept goes through zod, which names the field that is wrong.
import { SNAPSHOT_SCHEMA_VERSION } from '../../../shared/snapshot';
import { RUN_STATUSES, SNAPSHOT_KINDS, STEP_STATUSES } from './format';

const kinds = new Set<unknown>(SNAPSHOT_KINDS);
const runStatuses = new Set<unknown>(RUN_STATUSES);
const stepStatuses = new Set<unknown>(STEP_STATUSES);
const has = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** An object as JSON.parse makes them (zod's records and objects accept these, and more). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

const isId = (v: unknown) => typeof v === 'string' && v.length >= 1 && v.length <= 200;
const isText = (v: unknown) => typeof v === 'string' && v.length <= 200;
const isWhole = (v: unknown, min: number) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
/** Every item (holes count, as undefined: `every` would skip them). */
function all(v: unknown, check: (item: unknown) => boolean): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!check(v[i])) return false;
  return true;
}
const isStrings = (v: unknown) => all(v, (s) => typeof s === 'string');

function isStepError(v: unknown): boolean {
  return (
    isRecord(v) &&
    typeof v.name === 'string' &&
    typeof v.message === 'string' &&
    (v.stack === undefined || typeof v.stack === 'string') &&
    (v.retryable === undefined || v.retryable === false)
  );
}

function isStepRecord(v: unknown): boolean {
  return (
    isRecord(v) &&
    stepStatuses.has(v.status) &&
    isWhole(v.attempts, 0) &&
    (v.error === undefined || isStepError(v.error)) &&
    (v.startedAt === undefined || isText(v.startedAt)) &&
    (v.endedAt === undefined || isText(v.endedAt)) &&
    (v.signals === undefined || isRecord(v.signals)) &&
    (v.sleepsDone === undefined || isWhole(v.sleepsDone, 0)) &&
    (v.suspended === undefined || v.suspended === true) &&
    (v.durationMs === undefined || (typeof v.durationMs === 'number' && Number.isFinite(v.durationMs) && v.durationMs >= 0)) &&
    (v.iteration === undefined || isWhole(v.iteration, 1)) &&
    (v.pastExecutions === undefined || isWhole(v.pastExecutions, 0))
  );
}

function isCursor(v: unknown): boolean {
  return (
    isRecord(v) &&
    isStrings(v.ready) &&
    isStrings(v.running) &&
    all(v.waiting, (w) => isRecord(w) && typeof w.stepId === 'string' && typeof w.signal === 'string' && isText(w.since)) &&
    all(v.timers, (t) => isRecord(t) && typeof t.stepId === 'string' && isText(t.wakeAt))
  );
}

/** Whether `v`, parsed from JSON, is a snapshot document this build can read (schema version at most its own). */
export function isSnapshotDocument(v: unknown): boolean {
  if (!isRecord(v)) return false;
  if (!isWhole(v.schemaVersion, 1) || (v.schemaVersion as number) > SNAPSHOT_SCHEMA_VERSION) return false;
  if (!isId(v.runId) || !isId(v.workflowId) || !isId(v.workflowVersion) || !isWhole(v.seq, 1)) return false;
  if (!kinds.has(v.kind) || !(v.stepId === null || isId(v.stepId)) || !runStatuses.has(v.status) || !isText(v.at)) return false;
  if (!has(v, 'input') || !has(v, 'config') || !isRecord(v.state) || !isRecord(v.metadata) || !isCursor(v.cursor)) return false;
  if (v.retry !== undefined && !(isRecord(v.retry) && typeof v.retry.stepId === 'string' && isWhole(v.retry.attempts, 0) && isText(v.retry.nextRetryAt))) return false;
  if (v.error !== undefined && !isStepError(v.error)) return false;
  if (!isRecord(v.steps)) return false;
  const steps = v.steps;
  return Object.keys(steps).every((key) => isStepRecord(steps[key]));
}

/** Whether `v`, parsed from JSON, is a snapshot line: `{"type":"snapshot","document":{...}}`. */
export function isSnapshotLine(v: unknown): v is { type: 'snapshot'; document: Record<string, unknown> } {
  return isRecord(v) && v.type === 'snapshot' && isRecord(v.document);
}

/** Whether `v`, parsed from JSON, is a delta snapshot line: `{"type":"snapshot","seq":N,"delta":{...}}` (N from 2). */
export function isSnapshotDeltaLine(v: unknown): v is { type: 'snapshot'; seq: number; delta: Record<string, unknown> } {
  return isRecord(v) && v.type === 'snapshot' && isWhole(v.seq, 2) && isRecord(v.delta);
}
