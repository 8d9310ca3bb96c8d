// The snapshot document schema of format.ts written out by hand, for the import's hot path: a snapshot line
// is checked here in a fraction of zod's time. It may only ever accept less than the schema does (a test
// holds it to that); whatever it does not accept goes through zod, which names the field that is wrong.
import { SNAPSHOT_SCHEMA_VERSION } from '../../../shared/snapshot';
import { NATIVE_FORMAT, RUN_STATUSES, SNAPSHOT_KINDS, STEP_STATUSES, type ExportLogLine, type HeaderLine, type RunLine, type TrailerLine, type WorkflowVersionLine } from './format';

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

const isSteps = (v: unknown) => isRecord(v) && Object.keys(v).every((key) => isStepRecord(v[key]));

/**
 * Each member's check, keyed by name; a member is absent when undefined (JSON has no undefined). A document is
 * valid when every one of its members is: none depends on another, so a document changed from a valid one is
 * valid when each member the change touched is (isChangedSnapshotDocument).
 */
const MEMBER_CHECKS = new Map<string, (v: unknown) => boolean>([
  ['schemaVersion', (v) => isWhole(v, 1) && (v as number) <= SNAPSHOT_SCHEMA_VERSION],
  ['runId', isId],
  ['workflowId', isId],
  ['workflowVersion', isId],
  ['seq', (v) => isWhole(v, 1)],
  ['kind', (v) => kinds.has(v)],
  ['stepId', (v) => v === null || isId(v)],
  ['status', (v) => runStatuses.has(v)],
  ['at', isText],
  ['input', (v) => v !== undefined],
  ['config', (v) => v !== undefined],
  ['state', isRecord],
  ['metadata', isRecord],
  ['cursor', isCursor],
  ['retry', (v) => v === undefined || (isRecord(v) && typeof v.stepId === 'string' && isWhole(v.attempts, 0) && isText(v.nextRetryAt))],
  ['error', (v) => v === undefined || isStepError(v)],
  ['steps', isSteps],
]);

/** Whether `v`, parsed from JSON, is a snapshot document this build can read (schema version at most its own). */
export function isSnapshotDocument(v: unknown): boolean {
  if (!isRecord(v)) return false;
  for (const [key, check] of MEMBER_CHECKS) if (!check(has(v, key) ? v[key] : undefined)) return false;
  return true;
}

/**
 * Whether `doc`, which `delta` (a delta line's, already applied: see deltaLine.ts) made from a document that
 * passed the schema, passes it too: only the members the delta touched are checked, and of `steps` only the
 * steps it touched. Accepts no less safely than isSnapshotDocument; what it refuses goes to the full check.
 */
export function isChangedSnapshotDocument(doc: Record<string, unknown>, delta: Record<string, unknown>): boolean {
  for (const key of Object.keys(delta)) {
    const check = MEMBER_CHECKS.get(key);
    // A member this build does not know is kept unchecked, as in a whole document.
    if (!check) continue;
    const value = has(doc, key) ? doc[key] : undefined;
    const change = delta[key];
    if (key === 'steps' && isRecord(change) && change._t === undefined) {
      // Steps changed one by one: the others are as they were.
      if (!isRecord(value)) return false;
      for (const id of Object.keys(change)) if (has(value, id) && !isStepRecord(value[id])) return false;
    } else if (!check(value)) return false;
  }
  return true;
}

/** Whether `v`, parsed from JSON, is a snapshot line: `{"type":"snapshot","document":{...}}`. */
export function isSnapshotLine(v: unknown): v is { type: 'snapshot'; document: Record<string, unknown> } {
  return isRecord(v) && v.type === 'snapshot' && isRecord(v.document);
}

/** Whether `v`, parsed from JSON, is a delta snapshot line: `{"type":"snapshot","seq":N,"delta":{...}}` (N from 2). */
export function isSnapshotDeltaLine(v: unknown): v is { type: 'snapshot'; seq: number; delta: Record<string, unknown> } {
  return isRecord(v) && v.type === 'snapshot' && isWhole(v.seq, 2) && isRecord(v.delta);
}

const origins = new Set<unknown>(['local', 'imported', 'replay']);
const isOptionalId = (v: unknown) => v === undefined || isId(v);

/** Whether `v`, parsed from JSON, is a run line (format.ts's runLine), checked by hand as documents are. */
export function isRunLine(v: unknown): v is RunLine {
  return (
    isRecord(v) &&
    v.type === 'run' &&
    isId(v.id) &&
    isId(v.workflowId) &&
    isId(v.workflowVersion) &&
    runStatuses.has(v.status) &&
    origins.has(v.origin) &&
    isText(v.createdAt) &&
    isText(v.updatedAt) &&
    v.input !== undefined &&
    v.config !== undefined &&
    (v.error === undefined || isStepError(v.error)) &&
    isOptionalId(v.retryOf) &&
    isOptionalId(v.forkedFrom) &&
    isOptionalId(v.replayOf) &&
    isWhole(v.snapshots, 0)
  );
}

/** Whether `v`, parsed from JSON, is a log line (format.ts's logLine). */
export function isLogLine(v: unknown): v is ExportLogLine {
  return (
    isRecord(v) &&
    v.type === 'log' &&
    isId(v.runId) &&
    (v.stepId === null || isId(v.stepId)) &&
    isText(v.at) &&
    typeof v.level === 'string' &&
    v.level.length <= 20 &&
    typeof v.message === 'string'
  );
}

/** Whether `v`, parsed from JSON, is a header line (format.ts's headerLine). */
export function isHeaderLine(v: unknown): v is HeaderLine {
  return (
    isRecord(v) &&
    v.type === 'header' &&
    v.format === NATIVE_FORMAT &&
    isWhole(v.formatVersion, 1) &&
    typeof v.producer === 'string' &&
    v.producer.length <= 200 &&
    isText(v.exportedAt) &&
    all(v.redactions, (r) => typeof r === 'string' && r.length <= 200)
  );
}

const whys = new Set<unknown>(['saved', 'ran', 'imported']);

/** Whether `v`, parsed from JSON, is a workflow version line (format.ts's workflowVersionLine). */
export function isWorkflowVersionLine(v: unknown): v is WorkflowVersionLine {
  return (
    isRecord(v) &&
    v.type === 'workflowVersion' &&
    typeof v.hash === 'string' &&
    /^[0-9a-f]{8,64}$/.test(v.hash) &&
    isId(v.workflowId) &&
    whys.has(v.why) &&
    isText(v.createdAt) &&
    typeof v.source === 'string' &&
    typeof v.bundle === 'string' &&
    isRecord(v.meta)
  );
}

/** Whether `v`, parsed from JSON, is a trailer line (format.ts's trailerLine). */
export function isTrailerLine(v: unknown): v is TrailerLine {
  const counts = isRecord(v) ? v.counts : undefined;
  const redacted = isRecord(v) ? v.redacted : undefined;
  return (
    isRecord(v) &&
    v.type === 'trailer' &&
    isRecord(counts) &&
    isWhole(counts.workflowVersions, 0) &&
    isWhole(counts.runs, 0) &&
    isWhole(counts.snapshots, 0) &&
    isWhole(counts.logs, 0) &&
    isRecord(redacted) &&
    isWhole(redacted.values, 0) &&
    isStrings(redacted.keys) &&
    typeof v.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(v.sha256)
  );
}
