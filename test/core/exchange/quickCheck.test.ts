// The import checks snapshot lines with a hand-written check before zod; it must never let through a
// document that the zod schema (format.ts) refuses, whatever field is wrong and however.
import { describe, expect, it } from 'vitest';
import { headerLine, logLine, NATIVE_FORMAT, runLine, snapshotDeltaLine, snapshotDocumentSchema, snapshotLine, trailerLine, workflowVersionLine } from '../../../src-main/core/exchange/native/format';
import { isChangedSnapshotDocument, isHeaderLine, isLogLine, isRunLine, isSnapshotDeltaLine, isSnapshotDocument, isSnapshotLine, isTrailerLine, isWorkflowVersionLine } from '../../../src-main/core/exchange/native/quickCheck';
import { applyDeltaLine } from '../../../src-main/core/exchange/native/deltaLine';
import { forwardDelta } from '../../../src-main/core/store/forwardDelta';
import { syntheticDoc } from '../../support/syntheticRuns';

/** A document using every optional field, so each can be broken. */
function fullDoc(): Record<string, unknown> {
  const doc = JSON.parse(JSON.stringify(syntheticDoc('run-1', 3, 10))) as Record<string, unknown>;
  doc.retry = { stepId: 'step-1', attempts: 1, nextRetryAt: '2025-01-01T00:00:05.000Z' };
  doc.error = { name: 'Error', message: 'boom', stack: 'at x', retryable: false };
  doc.result = { ok: true };
  doc.cursor = { ready: ['a'], running: ['b'], waiting: [{ stepId: 'c', signal: 'go', since: 'now' }], timers: [{ stepId: 'd', wakeAt: 'later' }] };
  (doc.steps as Record<string, unknown>)['step-9'] = {
    status: 'failed', attempts: 2, input: 1, output: 2, error: { name: 'E', message: 'm' }, startedAt: 'a', endedAt: 'b', signals: { s: 1 },
    sleepsDone: 0, suspended: true, durationMs: 1.5, iteration: 1, pastExecutions: 0,
  };
  return doc;
}

const BAD_VALUES: unknown[] = [undefined, null, true, 0, -1, 1.5, 3, Number.MAX_SAFE_INTEGER + 2, '', 'x'.repeat(201), 'completed', 'running', [], ['x'], [1], {}, { a: 1 }, Object.create({ inherited: 1 }), new Date(0)];

/** Every path to a value inside `v` (objects and arrays), so each can be replaced. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [at];
  const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return [at, ...keys.flatMap((k) => paths((v as Record<string | number, unknown>)[k], [...at, k]))];
}

function replaced(doc: unknown, path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  if (path.length === 0) return value;
  let parent = copy;
  for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === undefined) delete parent[last];
  else parent[last] = value;
  return copy;
}

describe('the quick check of snapshot documents', () => {
  it('accepts the documents an export holds', () => {
    expect(isSnapshotDocument(fullDoc())).toBe(true);
    for (let seq = 1; seq <= 10; seq++) expect(isSnapshotDocument(JSON.parse(JSON.stringify(syntheticDoc('r', seq, 10))))).toBe(true);
    expect(isSnapshotLine({ type: 'snapshot', document: fullDoc() })).toBe(true);
  });

  it('accepts nothing the zod schema refuses, whichever field is changed to whatever', () => {
    const doc = fullDoc();
    let refused = 0;
    for (const path of paths(doc)) {
      for (const value of BAD_VALUES) {
        const changed = replaced(doc, path, value);
        const zodSays = snapshotDocumentSchema.safeParse(changed).success;
        if (!zodSays) {
          refused++;
          expect({ path, value, quick: isSnapshotDocument(changed) }).toEqual({ path, value, quick: false });
        }
      }
    }
    expect(refused).toBeGreaterThan(500);
    // A newer schema version is left to the full check, which names both versions.
    expect(isSnapshotDocument({ ...doc, schemaVersion: 3 })).toBe(false);
  });

  it('accepts no snapshot line the zod schema refuses', () => {
    for (const line of [null, [], { type: 'snapshot' }, { type: 'log', document: {} }, { type: 'snapshot', document: [] }, { type: 'snapshot', document: null }]) {
      expect(snapshotLine.safeParse(line).success).toBe(false);
      expect(isSnapshotLine(line)).toBe(false);
    }
  });

  it('accepts the delta lines an export holds, and none the zod schema refuses', () => {
    expect(isSnapshotDeltaLine({ type: 'snapshot', seq: 2, delta: { seq: [0, 2] } })).toBe(true);
    expect(snapshotDeltaLine.safeParse({ type: 'snapshot', seq: 2, delta: { seq: [0, 2] } }).success).toBe(true);
    const bad = [null, [], { type: 'snapshot', seq: 2 }, { type: 'snapshot', delta: {} }, { type: 'log', seq: 2, delta: {} }, { type: 'snapshot', seq: 1, delta: {} }, { type: 'snapshot', seq: 0, delta: {} }];
    for (const seq of [1.5, '2', -2, Number.MAX_SAFE_INTEGER + 2, null]) bad.push({ type: 'snapshot', seq, delta: {} } as never);
    for (const delta of [null, [], [0, 1], 'x', 1, new Date(0), Object.create({ inherited: 1 })]) bad.push({ type: 'snapshot', seq: 2, delta } as never);
    // The quick check refuses them all; zod refuses most (what it lets through is left to the document's check).
    const zodRefused = bad.filter((line) => !snapshotDeltaLine.safeParse(line).success);
    expect(zodRefused.length).toBeGreaterThanOrEqual(bad.length - 3);
    for (const line of bad) expect({ line, quick: isSnapshotDeltaLine(line) }).toEqual({ line, quick: false });
  });

  it('checks a document made by a delta from a valid one by what the delta changed, accepting nothing the zod schema refuses', () => {
    const doc = fullDoc();
    let refused = 0;
    let accepted = 0;
    for (const path of paths(doc)) {
      for (const value of BAD_VALUES) {
        const target = replaced(doc, path, value) as Record<string, unknown>;
        if (target === null || typeof target !== 'object' || Array.isArray(target)) continue;
        // The delta a line would carry, applied as the import applies it.
        const change = forwardDelta(doc, target);
        if (!change) continue;
        const made = applyDeltaLine(doc, JSON.parse(JSON.stringify(change.delta)) as Record<string, unknown>).doc;
        const quick = isChangedSnapshotDocument(made, change.delta);
        if (!snapshotDocumentSchema.safeParse(made).success) {
          refused++;
          expect({ path, value, quick }).toEqual({ path, value, quick: false });
        } else if (quick) accepted++;
      }
    }
    expect(refused).toBeGreaterThan(400);
    expect(accepted).toBeGreaterThan(50);
    // The changes a run makes step by step are accepted.
    for (let seq = 2; seq <= 10; seq++) {
      const before = JSON.parse(JSON.stringify(syntheticDoc('r', seq - 1, 10))) as Record<string, unknown>;
      const after = JSON.parse(JSON.stringify(syntheticDoc('r', seq, 10))) as Record<string, unknown>;
      const delta = forwardDelta(before, after)!.delta;
      expect(isChangedSnapshotDocument(applyDeltaLine(before, delta).doc, delta)).toBe(true);
    }
  });

  it('accepts the header, version, run, log and trailer lines an export holds, and none the zod schema refuses, whichever field is changed to whatever', () => {
    const run = {
      type: 'run', id: 'run-1', workflowId: 'wf', workflowVersion: 'abc', status: 'failed', origin: 'local', createdAt: 'a', updatedAt: 'b',
      input: { x: 1 }, config: {}, result: 1, error: { name: 'E', message: 'm', stack: 's' }, retryOf: 'r0', forkedFrom: 'f0', replayOf: 'p0', snapshots: 3,
    };
    const log = { type: 'log', runId: 'run-1', stepId: 'step-1', at: 'a', level: 'info', message: 'hello', data: { n: 1 } };
    const header = { type: 'header', format: NATIVE_FORMAT, formatVersion: 2, producer: 'snapshot-studio 0.1.0', exportedAt: 'now', redactions: ['password', 'token'] };
    const version = { type: 'workflowVersion', hash: '0123456789abcdef', workflowId: 'wf', why: 'ran', createdAt: 'then', source: 'src', bundle: 'code', meta: { name: 'wf' } };
    const trailer = { type: 'trailer', counts: { workflowVersions: 1, runs: 2, snapshots: 3, logs: 4 }, redacted: { values: 1, keys: ['password'] }, sha256: 'a'.repeat(64) };
    const lines = [[run, runLine, isRunLine], [log, logLine, isLogLine], [header, headerLine, isHeaderLine], [version, workflowVersionLine, isWorkflowVersionLine], [trailer, trailerLine, isTrailerLine]] as const;
    for (const [line, schema, quick] of lines as unknown as [Record<string, unknown>, { safeParse(v: unknown): { success: boolean } }, (v: unknown) => boolean][]) {
      expect(quick(line)).toBe(true);
      let refused = 0;
      for (const path of paths(line)) {
        for (const value of BAD_VALUES) {
          const changed = replaced(line, path, value);
          if (schema.safeParse(changed).success) continue;
          refused++;
          expect({ path, value, quick: quick(changed) }).toEqual({ path, value, quick: false });
        }
      }
      expect(refused).toBeGreaterThan(30);
    }
    expect(isHeaderLine({ ...header, redactions: [] })).toBe(true);
    expect(isWorkflowVersionLine({ ...version, hash: 'ABCDEF01' })).toBe(false);
    expect(isLogLine({ ...log, stepId: null })).toBe(true);
    expect(isRunLine({ ...run, error: undefined, retryOf: undefined })).toBe(true);
  });
});
