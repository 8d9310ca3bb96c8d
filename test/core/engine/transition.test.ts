import { describe, expect, it } from 'vitest';
import { isSettled, next, startSnapshot } from '../../../src-main/core/engine/transition';
import type { StepGraph } from '../../../src-main/core/engine/stepGraph';

const graph: StepGraph = { fetch: [], parse: ['fetch'], save: ['parse'] };
const at = (n: number) => `2026-01-01T00:00:0${n}.000Z`;
const start = () => startSnapshot(graph, { runId: 'r', workflowId: 'wf', workflowVersion: 'v', input: { url: 'x' }, config: {}, at: at(0) });

describe('scheduler', () => {
  it('starts a run with every step pending and the roots ready', () => {
    const doc = start();
    expect(doc).toMatchObject({ schemaVersion: 2, seq: 1, kind: 'run-started', status: 'running', cursor: { ready: ['fetch'], running: [] } });
    expect(Object.values(doc.steps).every((s) => s.status === 'pending' && s.attempts === 0)).toBe(true);
  });

  it('moves a step through started and completed, handing its output to the next step as input', () => {
    const s1 = start();
    const s2 = next(graph, s1, { type: 'step-started', stepId: 'fetch', at: at(1) });
    expect(s2).toMatchObject({ seq: 2, kind: 'step-started', stepId: 'fetch', cursor: { ready: [], running: ['fetch'] } });
    expect(s2.steps.fetch).toMatchObject({ status: 'running', attempts: 1, startedAt: at(1) });
    const s3 = next(graph, s2, { type: 'step-completed', stepId: 'fetch', at: at(2), output: { body: 'hi' }, state: { seen: 1 } });
    expect(s3).toMatchObject({ seq: 3, kind: 'step-completed', state: { seen: 1 }, cursor: { ready: ['parse'], running: [] } });
    const s4 = next(graph, s3, { type: 'step-started', stepId: 'parse', at: at(3) });
    expect(s4.steps.parse.input).toEqual({ fetch: { body: 'hi' } });
    // Transitions are pure: earlier snapshots are not changed.
    expect(s1.steps.fetch.status).toBe('pending');
    expect(s2.state).toEqual({});
  });

  it('ends completed with the outputs of the final steps as result', () => {
    let doc = start();
    for (const [i, id] of ['fetch', 'parse', 'save'].entries()) {
      doc = next(graph, doc, { type: 'step-started', stepId: id, at: at(i) });
      doc = next(graph, doc, { type: 'step-completed', stepId: id, at: at(i), output: { step: id }, state: {} });
    }
    expect(isSettled(doc)).toBe(true);
    const end = next(graph, doc, { type: 'run-ended', at: at(9) });
    expect(end).toMatchObject({ seq: 8, kind: 'run-completed', status: 'completed', result: { save: { step: 'save' } } });
  });

  it('stops scheduling after a failure and ends failed with the step named in the error', () => {
    let doc = next(graph, start(), { type: 'step-started', stepId: 'fetch', at: at(1) });
    doc = next(graph, doc, { type: 'step-failed', stepId: 'fetch', at: at(2), error: { name: 'Error', message: 'timeout' } });
    expect(doc.cursor.ready).toEqual([]);
    expect(isSettled(doc)).toBe(true);
    const end = next(graph, doc, { type: 'run-ended', at: at(3) });
    expect(end).toMatchObject({ kind: 'run-failed', status: 'failed', error: { message: 'step "fetch" failed: timeout' } });
    expect(end.steps.parse.status).toBe('pending');
  });

  it('refuses to start a step that is not pending', () => {
    const doc = next(graph, start(), { type: 'step-started', stepId: 'fetch', at: at(1) });
    expect(() => next(graph, doc, { type: 'step-started', stepId: 'fetch', at: at(2) })).toThrow(/cannot start from status running/);
  });
});
