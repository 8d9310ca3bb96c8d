// The work of one comparison, pure so it runs in the diff worker (and in tests): diff two documents with the
// shared differ (volatile fields skipped), summarise, align steps by id, and render the visual diff as HTML
// over a copy of the left document whose large unchanged values are cut to a marker, so the page never
// parses megabytes of markup it would hide anyway.
import type { DiffSummary } from '@shared/api';
import { createDiffer, summarizeDelta } from '@shared/differ';
import type { SnapshotDocument, StepStatus } from '@shared/snapshot';
import { format } from 'jsondiffpatch/formatters/html';

export interface StepAlignment {
  stepId: string;
  a?: StepStatus;
  b?: StepStatus;
  /** The step's output is the same on both sides. */
  sameOutput: boolean;
}

export interface DiffResult {
  summary: DiffSummary;
  identical: boolean;
  html: string;
  steps: StepAlignment[];
}

const UNCHANGED_LIMIT = 4_000;
/** Beyond this many unchanged entries, an object's unchanged entries are shown as one count. */
const UNCHANGED_ENTRIES = 50;

/**
 * The left document with each unchanged value larger than `limit` (as JSON) replaced by a short marker, and
 * the unchanged entries of an object that has more than UNCHANGED_ENTRIES of them folded into one count.
 */
export function pruneUnchanged(left: unknown, delta: unknown, limit = UNCHANGED_LIMIT): unknown {
  if (left === null || typeof left !== 'object' || delta === null || typeof delta !== 'object' || Array.isArray(delta)) return left;
  const d = delta as Record<string, unknown>;
  const arrayDelta = d._t === 'a';
  const entries = Object.entries(left);
  const touched = (key: string) => (arrayDelta ? key in d || `_${key}` in d : key in d);
  const untouched = entries.filter(([key]) => !touched(key)).length;
  const fold = !Array.isArray(left) && untouched > UNCHANGED_ENTRIES;
  const out: Record<string, unknown> | unknown[] = Array.isArray(left) ? [] : {};
  for (const [key, value] of entries) {
    let kept = value;
    if (touched(key)) kept = pruneUnchanged(value, d[key] ?? d[`_${key}`], limit);
    else if (fold) continue;
    else if (value !== null && typeof value === 'object') {
      const size = JSON.stringify(value).length;
      if (size > limit) kept = `⋯ unchanged, ${size.toLocaleString('en')} characters`;
    }
    (out as Record<string, unknown>)[key] = kept;
  }
  if (fold) (out as Record<string, unknown>)['⋯'] = `${untouched.toLocaleString('en')} unchanged entries`;
  return out;
}

function alignSteps(a: SnapshotDocument, b: SnapshotDocument): StepAlignment[] {
  const ids = [...new Set([...Object.keys(a.steps ?? {}), ...Object.keys(b.steps ?? {})])];
  return ids.map((stepId) => ({
    stepId,
    a: a.steps?.[stepId]?.status,
    b: b.steps?.[stepId]?.status,
    sameOutput: JSON.stringify(a.steps?.[stepId]?.output) === JSON.stringify(b.steps?.[stepId]?.output),
  }));
}

export function runDiffJob(left: SnapshotDocument, right: SnapshotDocument, ignored: readonly string[], progress: (stage: string) => void = () => {}): DiffResult {
  progress('Comparing');
  const { delta, notes } = createDiffer(ignored).diffWithNotes(left, right);
  progress('Summarising');
  const summary = summarizeDelta(delta, notes);
  progress('Rendering');
  const html = delta === undefined ? '' : (format(delta, pruneUnchanged(left, delta)) ?? '');
  return { summary, identical: delta === undefined, html, steps: alignSteps(left, right) };
}
