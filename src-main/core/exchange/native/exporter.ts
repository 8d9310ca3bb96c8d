// Writes runs to a native export file, one line at a time: header, then per run its workflow version
// (once per version), the run, every snapshot (a whole document, or a delta from the one before: see
// format.ts) and its logs, then a trailer with counts and the sha256 of every byte before it. Secret-looking keys are redacted unless the caller says otherwise.
import { resolve } from 'node:path';
import type { ExportOptions, ExportResult, RunDetail } from '../../../shared/api';
import { StudioError } from '../../../shared/errors';
import type { SnapshotDocument, StepRecord } from '../../../shared/snapshot';
import { deltaMayName, forwardDelta, type ForwardDelta } from '../../store/forwardDelta';
import { snapshotChangesOf } from '../../store/snapshotPages';
import type { StoreReader } from '../../store/store';
import { openLineWriter } from '../lineStream';
import { DELTA_INDEX } from './deltaLine';
import { DEFAULT_REDACT_KEYS, Redactor } from '../redact';
import pkg from '../../../../package.json' with { type: 'json' };
import { NATIVE_FORMAT, NATIVE_FORMAT_VERSION, WHOLE_DOCUMENTS_VERSION, type ExportCounts, type HeaderLine, type RunLine, type TrailerLine, type WorkflowVersionLine } from './format';

export const PRODUCER = `snapshot-studio ${pkg.version}`;

/** The runs an export covers, oldest first. */
async function selectRuns(store: StoreReader, options: ExportOptions): Promise<string[]> {
  if (options.runIds?.length) {
    const ids = [...new Set(options.runIds)];
    for (const id of ids) await store.getRunSummary(id);
    return ids;
  }
  let sinceMs = -Infinity;
  if (options.since !== undefined) {
    sinceMs = Date.parse(options.since);
    if (Number.isNaN(sinceMs)) throw new StudioError('E_BAD_ARGUMENT', `since must be a date such as 2025-01-31 or 2025-01-31T12:00:00Z, got ${JSON.stringify(options.since)}`);
  }
  return (await store.listRuns())
    .filter((r) => (options.workflowId === undefined || r.workflowId === options.workflowId) && Date.parse(r.createdAt) >= sinceMs)
    .reverse()
    .map((r) => r.id);
}

/**
 * The steps with their data redacted. A step the redaction leaves alone is the step itself, and so are the
 * steps when none changes: consecutive documents read from a chain share what did not change, and keep
 * sharing it here, so the delta from one to the next costs what changed.
 */
function redactSteps(steps: { [id: string]: StepRecord }, r: Redactor): { [id: string]: StepRecord } {
  let out: { [id: string]: StepRecord } | undefined;
  const ids = Object.keys(steps);
  for (let i = 0; i < ids.length; i++) {
    const s = steps[ids[i]];
    const input = s.input !== undefined ? r.redact(s.input) : undefined;
    const output = s.output !== undefined ? r.redact(s.output) : undefined;
    const signals = s.signals !== undefined ? r.redact(s.signals) : undefined;
    if (input === s.input && output === s.output && signals === s.signals) continue;
    // A spread defines every member, so a step named "__proto__" stays a step.
    out ??= { ...steps };
    Object.defineProperty(out, ids[i], { value: { ...s, ...(input !== undefined ? { input } : {}), ...(output !== undefined ? { output } : {}), ...(signals !== undefined ? { signals } : {}) }, enumerable: true, writable: true, configurable: true });
  }
  return out ?? steps;
}

/** The members of a document the redaction reads, each with how many values it replaced there. */
type Redactions = Record<'input' | 'config' | 'state' | 'steps' | 'result' | 'metadata', number>;

/** The document with its data redacted (its structure, step ids, cursor and ids, never is), and where. */
function redactDocument(doc: SnapshotDocument, r: Redactor): { shown: SnapshotDocument; redactions: Redactions } {
  const redactions: Redactions = { input: 0, config: 0, state: 0, steps: 0, result: 0, metadata: 0 };
  const redacted = <T>(member: keyof Redactions, redact: () => T): T => {
    const before = r.count;
    const value = redact();
    redactions[member] = r.count - before;
    return value;
  };
  const shown: SnapshotDocument = {
    ...doc,
    input: redacted('input', () => r.redact(doc.input)),
    config: redacted('config', () => r.redact(doc.config)),
    state: redacted('state', () => r.redact(doc.state)),
    steps: redacted('steps', () => redactSteps(doc.steps, r)),
    ...(doc.result !== undefined ? { result: redacted('result', () => r.redact(doc.result)) } : {}),
    metadata: redacted('metadata', () => r.redact(doc.metadata)),
  };
  return { shown, redactions };
}

/** A value's members, at any depth, name no key the redaction replaces. */
function namesNoRedactedKey(value: unknown, r: Redactor): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every((v) => namesNoRedactedKey(v, r));
  for (const key of Object.keys(value)) if (r.matches(key) || !namesNoRedactedKey((value as Record<string, unknown>)[key], r)) return false;
  return true;
}

const isRemoval = (v: unknown) => Array.isArray(v) && v.length === 3 && v[0] === 0 && v[1] === 0 && v[2] === 0;

/**
 * A delta in exactly the form an import reads (format.ts: `[new]`, `[0, new]`, `[0, 0, 0]`, an object of them,
 * `{"_t": "a", "<i>": …, "_<i>": [0, 0, 0]}` for an array) whose keys and values name no key the redaction replaces.
 */
function isPlainUnredactedDelta(d: unknown, r: Redactor): boolean {
  if (Array.isArray(d)) {
    if (d.length === 1) return namesNoRedactedKey(d[0], r);
    if (d.length === 2) return d[0] === 0 && namesNoRedactedKey(d[1], r);
    return isRemoval(d);
  }
  if (d === null || typeof d !== 'object') return false;
  const delta = d as Record<string, unknown>;
  if (delta._t === 'a') {
    for (const key of Object.keys(delta)) {
      if (key === '_t') continue;
      const v = delta[key];
      const ok = key.charCodeAt(0) === 95 /* _ */ ? DELTA_INDEX.test(key.slice(1)) && isRemoval(v) : DELTA_INDEX.test(key) && !isRemoval(v) && isPlainUnredactedDelta(v, r);
      if (!ok) return false;
    }
    return true;
  }
  for (const key of Object.keys(delta)) if (!deltaMayName(key) || r.matches(key) || !isPlainUnredactedDelta(delta[key], r)) return false;
  return true;
}

/**
 * Whether a stored change from the document before can be written as it is: it is a plain delta that names no
 * redacted key (isPlainUnredactedDelta) and touches no member in which the document before had a value
 * redacted. The change between the two redacted documents is then this very change, and the new document
 * has exactly the redactions of the one before (the members it touches had none and get none).
 */
function carriesOver(change: ForwardDelta, before: Redactions, r: Redactor): boolean {
  for (const key of Object.keys(change)) {
    if (Object.prototype.hasOwnProperty.call(before, key) && before[key as keyof Redactions] > 0) return false;
  }
  return isPlainUnredactedDelta(change, r);
}

const total = (redactions: Redactions) => redactions.input + redactions.config + redactions.state + redactions.steps + redactions.result + redactions.metadata;

/** A document written earlier as a stored change, redacted again to diff the next one against: counted once already. */
function shownQuietly(doc: SnapshotDocument, r: Redactor): SnapshotDocument {
  const count = r.count;
  const { shown } = redactDocument(doc, r);
  r.count = count;
  return shown;
}

function runLineOf(run: RunDetail, r: Redactor): RunLine {
  // A link an import could not resolve is still the run's link: the next import may have its target.
  const links = { ...run.metadata?.unresolvedLinks, ...(run.retryOf ? { retryOf: run.retryOf } : {}), ...(run.forkedFrom ? { forkedFrom: run.forkedFrom } : {}), ...(run.replayOf ? { replayOf: run.replayOf } : {}) };
  return {
    type: 'run',
    id: run.id,
    workflowId: run.workflowId,
    workflowVersion: run.workflowVersion,
    status: run.status,
    origin: run.origin,
    createdAt: run.createdAt,
    updatedAt: run.updatedAt,
    input: r.redact(run.input),
    config: r.redact(run.config),
    ...(run.result !== undefined ? { result: r.redact(run.result) } : {}),
    ...(run.error !== undefined ? { error: run.error } : {}),
    ...links,
    snapshots: run.snapshotCount,
  };
}

export async function exportRuns(store: StoreReader, options: ExportOptions): Promise<ExportResult> {
  const runIds = await selectRuns(store, options);
  if (runIds.length === 0) {
    const what = [options.workflowId && `of workflow "${options.workflowId}"`, options.since && `created since ${options.since}`].filter(Boolean).join(' ');
    throw new StudioError('E_NOTHING_TO_EXPORT', `no runs ${what || 'match'}: nothing was written`);
  }
  const file = resolve(options.out);
  const redactor = new Redactor(options.redact === false ? [] : [...DEFAULT_REDACT_KEYS, ...(options.redactKeys ?? [])]);
  const counts: ExportCounts = { workflowVersions: 0, runs: 0, snapshots: 0, logs: 0 };
  const versions = new Set<string>();
  const writer = openLineWriter(file);
  const write = (line: object) => writer.write(JSON.stringify(line));
  try {
    const header: HeaderLine = { type: 'header', format: NATIVE_FORMAT, formatVersion: options.wholeDocuments ? WHOLE_DOCUMENTS_VERSION : NATIVE_FORMAT_VERSION, producer: PRODUCER, exportedAt: new Date().toISOString(), redactions: redactor.patterns };
    await write(header);
    for (const runId of runIds) {
      const run = await store.getRun(runId);
      if (!versions.has(run.workflowVersion)) {
        versions.add(run.workflowVersion);
        const v = await store.getWorkflowVersion(run.workflowVersion);
        if (v) {
          const line: WorkflowVersionLine = { type: 'workflowVersion', hash: v.hash, workflowId: v.workflowId, why: v.why, createdAt: v.createdAt, source: v.source, bundle: v.bundle, meta: JSON.parse(v.meta) as Record<string, unknown> };
          await write(line);
          counts.workflowVersions++;
        }
      }
      await write(runLineOf(run, redactor));
      counts.runs++;
      // Each run's chain walked once, a page at a time. A pruned run is refused at seq 1, its first missing one.
      // `previous`: the document before as read, its redactions, and (once needed) as written.
      let previous: { doc: SnapshotDocument; redactions: Redactions; shown?: SnapshotDocument } | undefined;
      for await (const { doc, change } of snapshotChangesOf(store, runId, 1, run.lastSeq)) {
        counts.snapshots++;
        if (previous && change && !options.wholeDocuments && carriesOver(change.delta, previous.redactions, redactor)) {
          // The change as stored is the change as written: no redaction of the document, no diff, no second
          // JSON.stringify. Its redactions are the ones before (counted per document, as redactDocument counts).
          await writer.write(`{"type":"snapshot","seq":${doc.seq},"delta":${change.text}}`);
          redactor.count += total(previous.redactions);
          previous = { doc, redactions: previous.redactions };
          continue;
        }
        const { shown, redactions } = redactDocument(doc, redactor);
        // A delta from the snapshot before (consecutive documents share what did not change, so this costs the
        // change), except for a run's first and one whose change no delta can carry. No whole document comes
        // back every so often: the import would have to diff it against the one before to store it as a delta.
        const before = previous && !options.wholeDocuments ? (previous.shown ?? shownQuietly(previous.doc, redactor)) : undefined;
        const delta = before ? forwardDelta(before as never, shown as never, false) : undefined;
        await write(delta ? { type: 'snapshot', seq: doc.seq, delta: delta.delta } : { type: 'snapshot', document: shown });
        previous = { doc, redactions, shown };
      }
      for (const log of await store.listLogs(runId)) {
        await write({ type: 'log', runId, ...log, ...(log.data !== undefined ? { data: redactor.redact(log.data) } : {}) });
        counts.logs++;
      }
    }
    const trailer: TrailerLine = { type: 'trailer', counts, redacted: { values: redactor.count, keys: [...redactor.keys].sort() }, sha256: writer.digest() };
    await write(trailer);
    await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  return { file, runs: counts.runs, snapshots: counts.snapshots, redacted: redactor.count };
}
