// The resume form's payload: the shape the step declared with waitFor(signal, schema), a first value of that
// shape, and the payload typed checked against it.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Json } from '@shared/snapshot';
import { checkPayload, exampleOf, shapeOf } from '../../src-renderer/features/runControls/signalPayload';

// What the worker sends for waitFor('approval', z.object({ ok: z.boolean(), by: z.string(), note: z.string().optional() })).
const approval = z.toJSONSchema(z.object({ ok: z.boolean(), by: z.string(), note: z.string().optional() })) as Json;

describe('a signal whose step declared its payload', () => {
  it('shows the shape in one line, optional fields marked', () => {
    expect(shapeOf(approval)).toBe('{ ok: boolean, by: string, note?: string }');
    expect(shapeOf(z.toJSONSchema(z.object({ level: z.enum(['low', 'high']), items: z.array(z.number()) })) as Json)).toBe('{ level: "low" | "high", items: number[] }');
  });

  it('starts the payload as a value of that shape, not as {}', () => {
    expect(exampleOf(approval)).toEqual({ ok: false, by: '' });
    expect(exampleOf(z.toJSONSchema(z.object({ by: z.string().default('ada') })) as Json)).toEqual({ by: 'ada' });
  });

  it('says what is wrong with a payload that does not fit, and takes one that does', () => {
    expect(checkPayload('{"ok": "yes", "by": "ada"}', approval).problem).toBe('Not the payload the step expects: ok: expected a boolean, got "yes"');
    expect(checkPayload('{"ok": true}', approval).problem).toBe('Not the payload the step expects: by: is required');
    expect(checkPayload('{"ok": true, "by": "ada"}', approval)).toEqual({ value: { ok: true, by: 'ada' }, problem: '' });
    expect(checkPayload('{"ok": tru', approval).problem).toMatch(/^The payload is not valid JSON/);
  });
});

describe('a signal without a declared payload', () => {
  it('takes any JSON and starts from {}', () => {
    expect(shapeOf(undefined)).toBe('any JSON');
    expect(exampleOf(undefined)).toEqual({});
    expect(checkPayload('[1, 2]', undefined)).toEqual({ value: [1, 2], problem: '' });
  });
});
