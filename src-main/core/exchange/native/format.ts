// The native export format (.ssx.ndjson[.gz]): one JSON document a line, header first, trailer last.
// These zod schemas are what an import line must satisfy; the exporter writes the same shapes. They check,
// they do not rewrite: the import keeps the value it read (checkShape returns its input, not zod's output),
// so keys a document has beyond these, from a newer producer of the same format version, are kept.
import * as z from 'zod';
import type { RunStatus, SnapshotKind, StepStatus } from '../../../shared/snapshot';

export const NATIVE_FORMAT = 'snapshot-studio-export';
/**
 * 2: a snapshot line may carry a delta from the run's snapshot on the line before (snapshotDeltaLine) instead
 * of the whole document. 1: every snapshot line is a whole document. A build reads both; an export asked for
 * whole documents (--whole-documents) is written as version 1, so older builds read it too (a default export
 * says 2 even when no line of it happens to be a delta).
 */
export const NATIVE_FORMAT_VERSION = 2;
export const WHOLE_DOCUMENTS_VERSION = 1;

export const RUN_STATUSES = ['pending', 'running', 'waiting', 'paused', 'error', 'completed', 'failed', 'cancelled'] as const satisfies readonly RunStatus[];
export const STEP_STATUSES = ['pending', 'running', 'waiting', 'completed', 'failed', 'skipped'] as const satisfies readonly StepStatus[];
export const SNAPSHOT_KINDS = [
  'run-started', 'step-started', 'step-completed', 'step-failed', 'step-skipped', 'retry-scheduled', 'waiting',
  'resumed', 'paused', 'edited', 'imported', 'run-completed', 'run-failed', 'run-cancelled',
] as const satisfies readonly SnapshotKind[];
// A kind or status added to the document type must be added here too: these fail to compile until it is.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _kindsComplete: Same<SnapshotKind, (typeof SNAPSHOT_KINDS)[number]> = true;
const _runStatusesComplete: Same<RunStatus, (typeof RUN_STATUSES)[number]> = true;
const _stepStatusesComplete: Same<StepStatus, (typeof STEP_STATUSES)[number]> = true;

const id = z.string().min(1).max(200);
const text = z.string().max(200);
const data = z.unknown();
const record = z.record(z.string(), z.unknown());
const wholeFrom1 = z.number().int().min(1);
const wholeFrom0 = z.number().int().min(0);

export const stepErrorSchema = z.object({
  name: z.string(),
  message: z.string(),
  stack: z.string().optional(),
  retryable: z.literal(false).optional(),
});

const stepRecordSchema = z.object({
  status: z.enum(STEP_STATUSES),
  attempts: wholeFrom0,
  input: data.optional(),
  output: data.optional(),
  error: stepErrorSchema.optional(),
  startedAt: text.optional(),
  endedAt: text.optional(),
  signals: record.optional(),
  sleepsDone: wholeFrom0.optional(),
  suspended: z.literal(true).optional(),
  durationMs: z.number().nonnegative().optional(),
  iteration: wholeFrom1.optional(),
  pastExecutions: wholeFrom0.optional(),
});

/** A snapshot document of schema version 1 or 2 (the version is checked apart, to name both versions; older ones are migrated). */
export const snapshotDocumentSchema = z.object({
  schemaVersion: wholeFrom1,
  runId: id,
  workflowId: id,
  workflowVersion: id,
  seq: wholeFrom1,
  kind: z.enum(SNAPSHOT_KINDS),
  stepId: id.nullable(),
  status: z.enum(RUN_STATUSES),
  at: text,
  input: data,
  config: data,
  state: record,
  steps: z.record(z.string(), stepRecordSchema),
  cursor: z.object({
    ready: z.array(z.string()),
    running: z.array(z.string()),
    waiting: z.array(z.object({ stepId: z.string(), signal: z.string(), since: text })),
    timers: z.array(z.object({ stepId: z.string(), wakeAt: text })),
  }),
  retry: z.object({ stepId: z.string(), attempts: wholeFrom0, nextRetryAt: text }).optional(),
  result: data.optional(),
  error: stepErrorSchema.optional(),
  metadata: record,
});

export const headerLine = z.object({
  type: z.literal('header'),
  format: z.literal(NATIVE_FORMAT),
  formatVersion: wholeFrom1,
  producer: z.string().max(200),
  exportedAt: text,
  redactions: z.array(z.string().max(200)),
});

export const workflowVersionLine = z.object({
  type: z.literal('workflowVersion'),
  hash: z.string().regex(/^[0-9a-f]{8,64}$/),
  workflowId: id,
  why: z.enum(['saved', 'ran', 'imported']),
  createdAt: text,
  source: z.string(),
  bundle: z.string(),
  meta: record,
});

export const runLine = z.object({
  type: z.literal('run'),
  id,
  workflowId: id,
  workflowVersion: id,
  status: z.enum(RUN_STATUSES),
  origin: z.enum(['local', 'imported', 'replay']),
  createdAt: text,
  updatedAt: text,
  input: data,
  config: data,
  result: data.optional(),
  error: stepErrorSchema.optional(),
  retryOf: id.optional(),
  forkedFrom: id.optional(),
  replayOf: id.optional(),
  snapshots: wholeFrom0,
});

export const snapshotLine = z.object({ type: z.literal('snapshot'), document: record });
/** Version 2: the snapshot after the run's one on the line before, as a delta from it (see deltaLine.ts). */
export const snapshotDeltaLine = z.object({ type: z.literal('snapshot'), seq: z.number().int().min(2), delta: record });

export const logLine = z.object({
  type: z.literal('log'),
  runId: id,
  stepId: id.nullable(),
  at: text,
  level: z.string().max(20),
  message: z.string(),
  data: data.optional(),
});

export const exportCounts = z.object({ workflowVersions: wholeFrom0, runs: wholeFrom0, snapshots: wholeFrom0, logs: wholeFrom0 });

export const trailerLine = z.object({
  type: z.literal('trailer'),
  counts: exportCounts,
  redacted: z.object({ values: wholeFrom0, keys: z.array(z.string()) }),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type HeaderLine = z.infer<typeof headerLine>;
export type WorkflowVersionLine = z.infer<typeof workflowVersionLine>;
export type RunLine = z.infer<typeof runLine>;
export type ExportLogLine = z.infer<typeof logLine>;
export type TrailerLine = z.infer<typeof trailerLine>;
export type ExportCounts = z.infer<typeof exportCounts>;

export const LINE_SCHEMAS = {
  header: headerLine,
  workflowVersion: workflowVersionLine,
  run: runLine,
  snapshot: snapshotLine,
  log: logLine,
  trailer: trailerLine,
} as const;

export type LineType = keyof typeof LINE_SCHEMAS;
