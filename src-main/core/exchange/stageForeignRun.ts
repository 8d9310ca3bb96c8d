// Stages the runs a foreign adapter read. A foreign run has no code: its workflow version is its step graph
// as JSON (no bundle, so nothing to execute), hashed like any version, and its snapshots point at it.
import * as z from 'zod';
import type { WorkflowSummary } from '../../shared/api';
import { checkShape, checkTree } from './untrustedInput';
import { checkDocument, versionHashOf } from './native/reader';
import type { ImportSession } from './staging';
import { ImportError, type ImportedRun, type ImportedWorkflow, type ImportSource } from './types';

const importedRunSchema = z.object({
  runId: z.string().min(1).max(200),
  foreignRunId: z.string(),
  workflow: z.object({
    id: z.string().min(1).max(200),
    name: z.string().optional(),
    steps: z.array(z.object({ id: z.string().min(1), needs: z.array(z.string()) })),
  }),
  createdAt: z.string().min(1),
  snapshots: z.array(z.unknown()).min(1),
});

/** The workflow version of a workflow known only from its records. */
export function foreignVersion(workflow: ImportedWorkflow, createdAt: string) {
  const source = JSON.stringify({ id: workflow.id, ...(workflow.name ? { name: workflow.name } : {}), steps: workflow.steps.map((s) => ({ id: s.id, needs: s.needs })) }, null, 2);
  const hash = versionHashOf('', source);
  const meta: WorkflowSummary = {
    id: workflow.id,
    name: workflow.name ?? workflow.id,
    file: '',
    version: hash,
    steps: workflow.steps.map((s) => ({ id: s.id, needs: s.needs, effect: false, hasWhen: false })),
  };
  return { hash, workflowId: workflow.id, source, bundle: '', meta: JSON.stringify(meta), why: 'imported' as const, createdAt };
}

function sourceOf(metadata: unknown, fallback: ImportSource): ImportSource {
  const s = (metadata as { source?: { file?: unknown; line?: unknown; row?: unknown } } | undefined)?.source;
  if (!s || typeof s.file !== 'string') return fallback;
  return { file: s.file, ...(typeof s.line === 'number' ? { line: s.line } : {}), ...(typeof s.row === 'number' ? { row: s.row } : {}) };
}

export async function stageForeignRun(session: ImportSession, run: ImportedRun, file: string): Promise<void> {
  const first = run.snapshots?.[0] as { metadata?: unknown } | undefined;
  const where = sourceOf(first?.metadata, { file });
  // The adapter parsed foreign bytes: refuse what the native path refuses before anything recurses into it.
  checkTree(run, where, 'run');
  checkShape(importedRunSchema, run, where, 'run');
  const version = foreignVersion(run.workflow, run.createdAt);
  session.addVersion(version);
  const staged = { id: run.runId, workflowId: run.workflow.id, workflowVersion: version.hash, input: run.input ?? null, config: run.config ?? null, createdAt: run.createdAt, ...(run.links ? { links: run.links } : {}), ...(run.origin ? { origin: run.origin } : {}) };
  const stored = run.incremental ? await session.storedLast(run.runId) : undefined;
  const docs = run.snapshots.map((raw, i) => {
    const at = sourceOf((raw as { metadata?: unknown })?.metadata, { file, row: i + 1 });
    const doc = checkDocument(raw, at);
    if (doc.runId !== run.runId) throw new ImportError({ ...at, field: 'snapshot.runId', expected: JSON.stringify(run.runId), got: JSON.stringify(doc.runId) }, 'a snapshot of another run');
    if (doc.seq !== i + 1) throw new ImportError({ ...at, field: 'snapshot.seq', expected: String(i + 1), got: String(doc.seq) }, 'snapshots must come in seq order from 1, without gaps');
    return { ...doc, workflowId: run.workflow.id, workflowVersion: version.hash };
  });
  if (stored) {
    // A source that grows: what comes after the snapshot the database has last is new, numbered on from it.
    const key = stored.metadata.sourceKey;
    const last = docs.findIndex((d) => d.metadata.sourceKey === key);
    // A source that keeps every point must still hold the last one stored; one that keeps only the latest
    // state (a row rewritten in place) brings a new snapshot whenever that state is not the one stored last.
    if (typeof key !== 'string' || (last === -1 && run.incremental === 'timeline')) {
      throw new ImportError({ ...where, field: 'run', expected: `the ${typeof key === 'string' ? key : 'last'} snapshot the database has of run ${run.runId}`, got: 'a source without it' }, `the source no longer holds what run ${run.runId} was imported from, so nothing can be appended to it`);
    }
    const fresh = docs.slice(last + 1);
    if (fresh.length === 0) {
      session.startRun(staged);
      return;
    }
    session.continueRun(staged, stored.seq);
    fresh.forEach((doc, i) => session.addSnapshot({ ...doc, seq: stored.seq + i + 1 }));
    return;
  }
  if (session.startRun(staged) === 'staged') for (const doc of docs) session.addSnapshot(doc);
}
