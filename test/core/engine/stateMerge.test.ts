// A step's state changes arrive as Immer patches and are applied to the run's state by copying only what
// they change: the snapshot before keeps its state as it was, untouched parts stay shared, and a change
// to a path another step removed is a conflict naming that path.
import { applyPatches, enablePatches, produceWithPatches, setAutoFreeze } from 'immer';
import { describe, expect, it } from 'vitest';
import { applyStatePatches, StateConflictError } from '../../../src-main/core/engine/stateMerge';
import type { StatePatch } from '../../../src-main/core/engine/stepWorker';
import type { Json } from '../../../src-main/shared/snapshot';

enablePatches();
setAutoFreeze(false);

const base = (): Record<string, Json> => ({
  items: [{ id: 'a', price: 1 }, { id: 'b', price: 2 }, { id: 'c', price: 3 }],
  order: { a: 1, tags: ['x'] },
  n: 0,
});

/** What a step does to its draft, as the patches Immer records in the worker. */
function patchesOf(state: Record<string, Json>, recipe: (draft: any) => void): StatePatch[] {
  return produceWithPatches(state, recipe)[1] as StatePatch[];
}

describe('applying a step\'s state patches', () => {
  const recipes: [string, (d: any) => void][] = [
    ['one price', (d) => void (d.items[1].price = 20)],
    ['a counter and a new key', (d) => { d.n++; d.order.b = 2; }],
    ['append, insert and remove items', (d) => { d.items.push({ id: 'd', price: 4 }); d.items.splice(1, 0, { id: 'x', price: 0 }); d.items.splice(0, 1); }],
    ['shrink a list', (d) => void (d.items.length = 1)],
    ['remove keys', (d) => { delete d.order; delete d.items[2].price; }],
    ['replace a whole subtree', (d) => void (d.order = { fresh: [1, 2, 3] })],
  ];

  for (const [what, recipe] of recipes) {
    it(`gives what Immer gives, copying only the changed path: ${what}`, () => {
      const state = base();
      const before = JSON.stringify(state);
      const patches = patchesOf(state, recipe);
      const after = applyStatePatches(state, patches);
      expect(after).toEqual(applyPatches(base(), patches as never));
      expect(JSON.stringify(state)).toBe(before);
      // Whatever the patches did not touch is the same object as before.
      for (const key of Object.keys(state)) {
        if (!patches.some((p) => p.path[0] === key)) expect(after[key]).toBe(state[key]);
      }
    });
  }

  it('returns the same state when nothing changed', () => {
    const state = base();
    expect(applyStatePatches(state, [])).toBe(state);
  });

  it('reports a change under a path that no longer exists as a conflict naming the path', () => {
    const state = base();
    delete state.order;
    const change = () => applyStatePatches(state, [{ op: 'replace', path: ['order', 'a'], value: 5 }]);
    expect(change).toThrow(StateConflictError);
    expect(change).toThrow('state/order/a');
  });

  it('never reaches a prototype: reserved keys on the path are refused, a "__proto__" member is stored as data', () => {
    const state = base();
    expect(() => applyStatePatches(state, [{ op: 'add', path: ['__proto__', 'polluted'], value: true }])).toThrow(StateConflictError);
    expect(() => applyStatePatches(state, [{ op: 'add', path: ['order', 'constructor', 'polluted'], value: true }])).toThrow(StateConflictError);
    const after = applyStatePatches(state, [{ op: 'add', path: ['order', '__proto__'], value: { polluted: true } }]);
    expect(Object.getPrototypeOf(after.order)).toBe(Object.prototype);
    expect(JSON.stringify(after.order)).toContain('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
