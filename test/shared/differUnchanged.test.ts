// The differ skips pairs of objects and arrays it found equal in one walk before jsondiffpatch runs, so two
// large snapshots with few changes cost a walk, not a diff context per member. Whatever it skips, the delta
// must be the one jsondiffpatch alone makes with the same options, key for key and in the same order.
import { create } from 'jsondiffpatch';
import { describe, expect, it } from 'vitest';
import { createDiffer, objectHash, VOLATILE_FIELDS } from '../../src-main/shared/differ';
import { seededRandom } from '../support/random';

/** jsondiffpatch with the differ's options and nothing of ours: what every delta must equal. */
function stock(ignored: readonly string[]) {
  const keep = (name: string) => !ignored.some((n) => (n.endsWith('*') ? name.startsWith(n.slice(0, -1)) : name === n));
  return create({ objectHash, arrays: { detectMove: true, includeValueOnMove: false }, cloneDiffValues: false, propertyFilter: keep });
}

const random = seededRandom;

const NAMES = ['id', 'name', 'price', 'tags', 'note', 'at', 'durationMs', 'items', 'steps', 'output'];

function tree(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth === 0 || r < 0.3) return [null, true, 1, 2.5, 'a', 'b', 'text'][Math.floor(rnd() * 7)];
  if (r < 0.55) return Array.from({ length: Math.floor(rnd() * 6) }, (_, i) => (rnd() < 0.5 ? { id: `i${i}`, v: tree(rnd, depth - 1) } : tree(rnd, depth - 1)));
  return Object.fromEntries(Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => [NAMES[Math.floor(rnd() * NAMES.length)], tree(rnd, depth - 1)]));
}

/** A copy of `value` with a few changes: a value replaced, a member removed or added, array items moved. */
function mutate(rnd: () => number, value: unknown, rate: number): unknown {
  if (value === null || typeof value !== 'object') return rnd() < rate ? tree(rnd, 1) : value;
  if (Array.isArray(value)) {
    const out = value.map((v) => mutate(rnd, v, rate));
    if (rnd() < rate && out.length > 1) out.push(out.shift());
    if (rnd() < rate) out.splice(Math.floor(rnd() * (out.length + 1)), 0, tree(rnd, 1));
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (rnd() >= rate / 2) out[k] = mutate(rnd, v, rate);
  if (rnd() < rate) out[NAMES[Math.floor(rnd() * NAMES.length)]] = tree(rnd, 1);
  return out;
}

/** The delta as text: equal texts mean the same members in the same order. */
const text = (delta: unknown) => JSON.stringify(delta);

describe('skipping unchanged subtrees', () => {
  it('gives jsondiffpatch’s own delta for a thousand random pairs of documents, with and without volatile fields ignored', () => {
    for (const ignored of [[], VOLATILE_FIELDS]) {
      for (let seed = 1; seed <= 1_000; seed++) {
        const rnd = random(seed);
        const left = { state: tree(rnd, 5), steps: tree(rnd, 3) };
        // Parsed from text, as snapshots are: no object is shared between the two sides.
        const right = JSON.parse(JSON.stringify(mutate(rnd, left, 0.05 + (seed % 5) * 0.05))) as unknown;
        const { delta } = createDiffer(ignored).diffWithNotes(left, right);
        expect(text(delta), `seed ${seed}, ignored ${ignored.join(',')}`).toBe(text(stock(ignored).diff(left, right)));
      }
    }
  });

  it('finds the changes of a large state with few of them, and nothing in its unchanged items', () => {
    const items = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`item-${i}`, { name: `Item ${i}`, price: i, tags: ['a', 'b'], at: 't0' }]));
    const changed = Object.fromEntries(Object.entries(items).map(([id, item], i) => [id, i % 100 === 0 ? { ...item, price: -1 } : { ...item, at: 't1' }]));
    const left = JSON.parse(JSON.stringify({ state: { items } })) as unknown;
    const right = JSON.parse(JSON.stringify({ state: { items: changed } })) as unknown;
    const { delta } = createDiffer(['at']).diffWithNotes(left, right);
    expect(Object.keys((delta as { state: { items: object } }).state.items)).toHaveLength(50);
    expect(text(delta)).toBe(text(stock(['at']).diff(left, right)));
    // Without `at` ignored, every item changed.
    expect(Object.keys((createDiffer().diffWithNotes(left, right).delta as { state: { items: object } }).state.items)).toHaveLength(5_000);
  });

  it('compares what is not a plain object or array by jsondiffpatch’s rules (dates by time), never as equal members', () => {
    const left = { when: new Date('2026-01-01T00:00:00Z'), list: [1, 2], nested: { a: 1 } };
    const right = { when: new Date('2026-01-02T00:00:00Z'), list: { 0: 1, 1: 2 }, nested: { a: 1, b: undefined } };
    expect(text(createDiffer().diffWithNotes(left, right).delta)).toBe(text(stock([]).diff(left, right)));
  });

  it('still says a change under a member named "__proto__", and nothing for an equal one', () => {
    const left = JSON.parse('{"a":{"__proto__":{"x":1}},"b":{"__proto__":{"y":1}}}') as unknown;
    const right = JSON.parse('{"a":{"__proto__":{"x":2}},"b":{"__proto__":{"y":1}}}') as unknown;
    const { notes } = createDiffer().diffWithNotes(left, right);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^\/a\/__proto__ .* changed: \{"x":1\} → \{"x":2\}/);
  });

  it('falls back to jsondiffpatch alone on nesting deeper than the stack', () => {
    let left: unknown = 1;
    let right: unknown = 2;
    for (let i = 0; i < 50_000; i++) {
      left = { d: left };
      right = { d: right };
    }
    const { delta } = createDiffer().diffWithNotes(left, right);
    let leaf = delta as unknown;
    for (let i = 0; i < 50_000; i++) leaf = (leaf as { d: unknown }).d;
    expect(leaf).toEqual([1, 2]);
  });
});

describe('arrays holding null beside objects', () => {
  it('are compared, not refused with a TypeError (null has no id to match by)', () => {
    const left = { a: [null, { id: 'x', v: 1 }, 2] };
    const right = { a: [{ id: 'x', v: 2 }, null, 3] };
    const differ = createDiffer();
    const { delta } = differ.diffWithNotes(left, right);
    expect(differ.patch(JSON.parse(JSON.stringify(left)), delta)).toEqual(right);
  });
});
