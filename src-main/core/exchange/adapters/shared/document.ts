// Builds ImportedRun values from the points of a foreign run's timeline: orders them in time, drops
// the same point read twice (from two files), numbers them seq 1..n and fills the fields every
// snapshot of ours carries. Adapters only say what each point looked like.
import { SNAPSHOT_SCHEMA_VERSION, type Json, type RunStatus, type SnapshotCursor, type SnapshotDocument, type SnapshotKind, type StepError, type StepRecord } from '../../../../shared/snapshot';
import { contentHash } from '../../../store/snapshotCodec';
import type { ForeignFormat, ImportedRun, ImportedWorkflow, ImportSource } from '../../types';

export interface TimelinePoint {
  at: string;
  kind: SnapshotKind;
  stepId: string | null;
  status: RunStatus;
  input: Json;
  config: Json;
  state: { [key: string]: Json };
  steps: Map<string, StepRecord>;
  cursor: SnapshotCursor;
  retry?: SnapshotDocument['retry'];
  result?: Json;
  error?: StepError;
  /** The foreign record this point was made from, verbatim. */
  original: Json;
  source: ImportSource;
  /** Further metadata of the point (the foreign status word, events that changed nothing, …). */
  metadata?: { [key: string]: Json };
  /** Points with the same key are the same moment read twice; the first one read is kept. */
  key: string;
}

export function emptyCursor(): SnapshotCursor {
  return { ready: [], running: [], waiting: [], timers: [] };
}

export function sourceJson(source: ImportSource): Json {
  const out: { [key: string]: Json } = { file: source.file };
  if (source.line !== undefined) out.line = source.line;
  if (source.row !== undefined) out.row = source.row;
  return out;
}

/** A step record without the fields that are undefined (they are not JSON). */
export function stepRecord(fields: { [K in keyof StepRecord]?: StepRecord[K] | undefined } & Pick<StepRecord, 'status' | 'attempts'>): StepRecord {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as unknown as StepRecord;
}

/** Every step of the graph appears in every snapshot, as the engine's own snapshots do: unseen ones pending. */
function allSteps(workflow: ImportedWorkflow, steps: Map<string, StepRecord>): { [id: string]: StepRecord } {
  const out = new Map<string, StepRecord>();
  for (const { id } of workflow.steps) out.set(id, steps.get(id) ?? { status: 'pending', attempts: 0 });
  for (const [id, record] of steps) if (!out.has(id)) out.set(id, record);
  return Object.fromEntries(out);
}

export interface RunParts {
  format: ForeignFormat;
  foreignRunId: string;
  workflow: ImportedWorkflow;
  points: TimelinePoint[];
  createdAt?: string;
}

export function buildRun({ format, foreignRunId, workflow, points, createdAt }: RunParts): ImportedRun {
  const seen = new Set<string>();
  const unique = points.filter((p) => (seen.has(p.key) ? false : (seen.add(p.key), true)));
  // Stable: points of the same instant keep the order the adapter gave them.
  const ordered = unique.map((p, i) => ({ p, i })).sort((a, b) => Date.parse(a.p.at) - Date.parse(b.p.at) || a.i - b.i).map(({ p }) => p);
  const runId = `${format}-${foreignRunId}`;
  const workflowVersion = contentHash(JSON.stringify({ format, workflow }));
  const snapshots: SnapshotDocument[] = ordered.map((p, i) => {
    const doc: SnapshotDocument = {
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      runId,
      workflowId: workflow.id,
      workflowVersion,
      seq: i + 1,
      kind: p.kind,
      stepId: p.stepId,
      status: p.status,
      at: p.at,
      input: p.input,
      config: p.config,
      state: p.state,
      steps: allSteps(workflow, p.steps),
      cursor: p.cursor,
      metadata: { ...p.metadata, original: p.original, source: sourceJson(p.source) },
    };
    if (p.retry) doc.retry = p.retry;
    if (p.result !== undefined) doc.result = p.result;
    if (p.error) doc.error = p.error;
    return doc;
  });
  const first = snapshots[0];
  const last = snapshots[snapshots.length - 1];
  const run: ImportedRun = {
    format,
    runId,
    foreignRunId,
    workflow,
    status: last.status,
    input: first.input,
    config: last.config,
    createdAt: createdAt ?? first.at,
    snapshots,
  };
  if (last.result !== undefined) run.result = last.result;
  if (last.error) run.error = last.error;
  return run;
}

/** Groups items by a key, keeping the order in which keys were first seen. */
export function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
