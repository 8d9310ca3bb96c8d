// Keys named __proto__ or constructor in foreign JSON are data: they change no prototype and survive
// the import as plain own properties.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FOREIGN_ADAPTERS } from '../../../../src-main/core/exchange/adapters';
import type { ForeignFormat, ImportedRun } from '../../../../src-main/core/exchange/types';
import { fixture, scratchFiles } from './support';

const write = scratchFiles();
const adapter = (format: ForeignFormat) => FOREIGN_ADAPTERS.find((a) => a.format === format)!;
const POISON = '{"polluted": true}';
/** Puts `"__proto__": {"polluted": true}` and `"constructor": {...}` inside the JSON object that follows `anchor`. */
const poison = (text: string, anchor: string) => {
  const at = text.indexOf(anchor);
  expect(at).toBeGreaterThanOrEqual(0);
  const brace = text.indexOf('{', at + anchor.length);
  const rest = text.slice(brace + 1);
  const comma = rest.trimStart().startsWith('}') ? '' : ',';
  return `${text.slice(0, brace + 1)}"__proto__": ${POISON}, "constructor": {"prototype": ${POISON}}${comma} ${rest}`;
};
const ownValue = (obj: object, key: string) => Object.getOwnPropertyDescriptor(obj, key)?.value;

function expectNoPollution(run: ImportedRun) {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  for (const doc of run.snapshots) {
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(doc.state)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(doc.steps)).toBe(Object.prototype);
  }
}

afterEach(() => {
  delete (Object.prototype as Record<string, unknown>).polluted;
});

describe('__proto__ and constructor keys in foreign records', () => {
  it('Mastra: in the workflow state, and as step ids', async () => {
    let text = readFileSync(fixture('mastra', '1x-resumed.json'), 'utf8');
    text = poison(text, '"value":');
    text = text.replace('"context": {', `"context": {"__proto__": {"status": "success", "output": ${POISON}, "startedAt": 1, "endedAt": 2}, "constructor": {"status": "skipped"},`);
    const [run] = await adapter('mastra').read([write('mastra.json', text)]);
    expectNoPollution(run);
    const doc = run.snapshots[0];
    expect(ownValue(doc.state, '__proto__')).toEqual({ polluted: true });
    expect(ownValue(doc.steps, '__proto__')).toMatchObject({ status: 'completed', output: { polluted: true } });
    expect(ownValue(doc.steps, 'constructor')).toMatchObject({ status: 'skipped' });
    expect(run.workflow.steps.map((s) => s.id)).toEqual(expect.arrayContaining(['__proto__', 'constructor']));
    expect(ownValue(doc.metadata.original as object, 'snapshot')).toBeDefined();
    expect(JSON.parse(JSON.stringify(doc)).state.__proto__).toEqual({ polluted: true });
  });

  it('KaibanJS: in the execution context and the step results', async () => {
    let text = readFileSync(fixture('kaiban', 'order-1-completed.json'), 'utf8');
    text = poison(text, '"executionContext":');
    text = poison(text, '"stepResults":').replace(`"__proto__": ${POISON}`, `"__proto__": {"status": "completed", "output": ${POISON}}`).replace(`"constructor": {"prototype": ${POISON}}`, '"constructor": {"status": "completed"}');
    const [run] = await adapter('kaiban').read([write('kaiban.json', text)]);
    expectNoPollution(run);
    const doc = run.snapshots[0];
    expect(ownValue(doc.state, '__proto__')).toEqual({ polluted: true });
    expect(ownValue(doc.steps, '__proto__')).toMatchObject({ status: 'completed', output: { polluted: true } });
  });

  it('refluxo: in the context (state) and the metadata', async () => {
    let text = readFileSync(fixture('refluxo', 'exec-9d21-failed.json'), 'utf8');
    text = poison(text, '"metadata":');
    text = text.replace('"context": {', `"context": {"__proto__": [{"output": ${POISON}, "timestamp": 1772442000001, "attempt": 1}],`);
    const [run] = await adapter('refluxo').read([write('refluxo.json', text)]);
    expectNoPollution(run);
    const doc = run.snapshots[0];
    expect(ownValue(doc.state, '__proto__')).toEqual([{ output: { polluted: true }, timestamp: 1772442000001, attempt: 1 }]);
    expect(ownValue(doc.steps, '__proto__')).toMatchObject({ status: 'completed', output: { polluted: true } });
    expect(ownValue(doc.metadata.original as object, 'metadata')).toMatchObject({});
    expect(ownValue((doc.metadata.original as { metadata: object }).metadata, '__proto__')).toEqual({ polluted: true });
  });

  it('Temporal: in a decoded payload, a memo field and a signal name', async () => {
    const h = JSON.parse(readFileSync(fixture('temporal', 'order-completed.json'), 'utf8'));
    const json = (v: string) => ({ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(v).toString('base64') });
    h.events[0].workflowExecutionStartedEventAttributes.input.payloads[0] = json(`{"__proto__": ${POISON}, "orderId": "A-2"}`);
    h.events[0].workflowExecutionStartedEventAttributes.memo.fields = JSON.parse(`{"__proto__": ${JSON.stringify(json(POISON))}}`);
    h.events[21].workflowExecutionSignaledEventAttributes.signalName = '__proto__';
    const text = JSON.stringify(h).replace('"memo":{"fields":{', `"memo":{"fields":{"__proto__":${JSON.stringify(json(POISON))},`);
    const [run] = await adapter('temporal').read([write('temporal.json', text)]);
    expectNoPollution(run);
    expect(ownValue(run.input as object, '__proto__')).toEqual({ polluted: true });
    const last = run.snapshots.at(-1)!;
    expect(ownValue(last.state.memo as object, '__proto__')).toEqual({ polluted: true });
    expect(ownValue(last.state.signals as object, '__proto__')).toEqual({ approved: true, by: 'ops@acme' });
  });
});
