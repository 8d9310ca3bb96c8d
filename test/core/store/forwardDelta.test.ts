// The delta written between two snapshots, built from what changed between them: applied by the reader
// (jsondiffpatch's patch) to the first document's JSON, it must give the second's JSON exactly, whatever
// changed, its size change must be the JSON texts' exactly, and it must refuse rather than name a key that
// the patch would skip.
import { create } from 'jsondiffpatch';
import { describe, expect, it } from 'vitest';
import { applyForwardDelta, forwardDelta } from '../../../src-main/core/store/forwardDelta';

const reader = create({ arrays: { detectMove: false }, cloneDiffValues: false });
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

const bytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

/** What the reader rebuilds from the previous document and the delta; checks the size change on the way. */
function readBack(previous: Record<string, unknown>, doc: Record<string, unknown>): unknown {
  const change = forwardDelta(previous, doc);
  expect(change).toBeDefined();
  expect(bytes(previous) + change!.grew, 'the size change').toBe(bytes(doc));
  const text = JSON.stringify(change!.delta);
  if (text === '{}') return asJson(previous);
  const byJsondiffpatch = reader.patch(asJson(previous), JSON.parse(text));
  // The store's own reader gives exactly what jsondiffpatch's patch gives.
  expect(applyForwardDelta(asJson(previous), JSON.parse(text))).toEqual({ value: byJsondiffpatch });
  return byJsondiffpatch;
}

/** A small deterministic generator, so a failure names a seed that reproduces it. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomValue(r: () => number, depth: number): unknown {
  const k = r();
  if (depth <= 0 || k < 0.35) return [0, 1.5, -3, 'x', 'é"\\', true, false, null, undefined, NaN][Math.floor(r() * 10)];
  if (k < 0.65) return Array.from({ length: Math.floor(r() * 5) }, () => randomValue(r, depth - 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 5); i > 0; i--) out[['a', 'b', 'c', 'd', 'e', 'f'][Math.floor(r() * 6)]] = randomValue(r, depth - 1);
  return out;
}

/** Changes one random place of a value, copying on write as the engine does, so untouched parts stay shared. */
function mutate(r: () => number, value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || r() < 0.15 + depth * 0.1) return randomValue(r, 2);
  if (Array.isArray(value)) {
    const copy = value.slice();
    const what = r();
    if (what < 0.2) copy.push(randomValue(r, 2));
    else if (what < 0.3) copy.pop();
    else if (what < 0.4) copy.splice(Math.floor(r() * (copy.length + 1)), 0, randomValue(r, 2));
    else if (what < 0.5 && copy.length) copy.splice(Math.floor(r() * copy.length), 1);
    else if (copy.length) {
      const i = Math.floor(r() * copy.length);
      copy[i] = mutate(r, copy[i], depth + 1);
    } else copy.push(randomValue(r, 2));
    return copy;
  }
  const obj = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(obj);
  const what = r();
  if (what < 0.2 || keys.length === 0) obj[['a', 'b', 'c', 'g', 'h'][Math.floor(r() * 5)]] = randomValue(r, 2);
  else if (what < 0.3) delete obj[keys[Math.floor(r() * keys.length)]];
  else if (what < 0.35) obj[keys[Math.floor(r() * keys.length)]] = undefined;
  else {
    const key = keys[Math.floor(r() * keys.length)];
    obj[key] = mutate(r, obj[key], depth + 1);
  }
  return obj;
}

describe('forward deltas between snapshots', () => {
  it('turn a document into the next exactly, for random changes of shared structures', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      let doc = { seq: 1, state: randomValue(r, 4), steps: { a: { status: 'pending' } }, cursor: { ready: ['a'], running: [] } } as Record<string, unknown>;
      for (let i = 0; i < 20; i++) {
        const nextDoc = mutate(r, doc) as Record<string, unknown>;
        if (nextDoc === null || typeof nextDoc !== 'object' || Array.isArray(nextDoc)) continue;
        expect(readBack(doc, nextDoc), `seed ${seed}, change ${i}`).toEqual(asJson(nextDoc));
        doc = nextDoc;
      }
    }
  });

  it('writes only the change: one price in 200 items is a delta of a few dozen bytes', () => {
    const items = Array.from({ length: 200 }, (_, i) => ({ id: `item-${i}`, price: i, tags: ['a'] }));
    const before = { seq: 4, state: { items, n: 3 } };
    const changed = items.slice();
    changed[17] = { ...items[17], price: 99 };
    const after = { seq: 5, state: { items: changed, n: 4 } };
    expect(forwardDelta(before, after)?.delta).toEqual({ seq: [0, 5], state: { items: { _t: 'a', 17: { price: [0, 99] } }, n: [0, 4] } });
    expect(readBack(before, after)).toEqual(asJson(after));
    // A copy that is equal but not shared costs a walk, not a change.
    expect(forwardDelta(before, asJson(before))).toEqual({ delta: {}, grew: 0 });
  });

  it('keeps an item inserted in the middle of a list small (matched, not every later item rewritten)', () => {
    const list = Array.from({ length: 100 }, (_, i) => ({ id: i }));
    const longer = [...list.slice(0, 10), { id: 'new' }, ...list.slice(10)];
    const text = JSON.stringify(forwardDelta({ list }, { list: longer })?.delta);
    expect(text.length).toBeLessThan(60);
    expect(readBack({ list }, { list: longer })).toEqual({ list: longer });
  });

  it('leaves a delta it did not write (a move, a text diff) to jsondiffpatch, touching nothing', () => {
    const doc = { list: [1, 2, 3], text: 'abc' };
    for (const delta of [{ list: { _t: 'a', _0: ['', 2, 3] } }, { text: ['@@ -1,3 +1,3 @@\n-abc\n+abd\n', 0, 2] }, { list: { _t: 'x' } }]) {
      const copy = asJson(doc);
      expect(applyForwardDelta(copy, delta)).toBeUndefined();
      expect(copy).toEqual(doc);
    }
  });

  it('refuses a change under a key the reader would skip or follow into a prototype', () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'prototype', '_t']) {
      const changed = JSON.parse(`{"state":{${JSON.stringify(key)}:{"polluted":true}}}`) as Record<string, unknown>;
      expect(forwardDelta({ state: {} }, changed), key).toBeUndefined();
      expect(forwardDelta(changed, { state: {} }), key).toBeUndefined();
    }
    // Such a key elsewhere, unchanged, does not stop a delta of the rest.
    const held = JSON.parse('{"constructor":{"a":1}}') as Record<string, unknown>;
    expect(forwardDelta({ held, n: 1 }, { held, n: 2 })?.delta).toEqual({ n: [0, 2] });
  });
});
