// Removals and insertions of an array delta applied in one pass give what jsondiffpatch's patch gives with one
// splice each (removals at the old indexes, highest first; insertions at the new ones, lowest first), for
// random lists, removals and insertions, past-the-end insertions included.
import { describe, expect, it } from 'vitest';
import { spliceAll } from '../../../src-main/core/store/forwardDelta';
import { seededRandom } from '../../support/random';

function bySplices(list: unknown[], removals: number[], inserts: [number, unknown][]): unknown[] {
  const out = list.slice();
  for (const i of [...removals].sort((a, b) => b - a)) out.splice(i, 1);
  for (const [i, v] of [...inserts].sort((a, b) => a[0] - b[0])) out.splice(i, 0, v);
  return out;
}

describe('spliceAll', () => {
  it('gives what one splice per removal and insertion gives', () => {
    const random = seededRandom(16);
    for (let n = 0; n < 2000; n++) {
      const list = Array.from({ length: Math.floor(random() * 12) }, (_, i) => `item-${i}`);
      const removals = list.map((_, i) => i).filter(() => random() < 0.3);
      const left = list.length - removals.length;
      const indexes = new Set<number>();
      const count = Math.floor(random() * 5);
      for (let k = 0; k < count; k++) indexes.add(Math.floor(random() * (left + count + 3)));
      const inserts = [...indexes].map((i) => [i, `new-${i}`] as [number, unknown]);
      const expected = bySplices(list, removals, inserts);
      expect({ list, removals, inserts, got: spliceAll(list, removals, inserts.slice()) }).toEqual({ list, removals, inserts, got: expected });
    }
  });

  it('leaves the list it was given as it was, and lets the caller refuse an insertion past the end', () => {
    const list = ['a', 'b', 'c'];
    expect(spliceAll(list, [1], [[0, 'x']])).toEqual(['x', 'a', 'c']);
    expect(list).toEqual(['a', 'b', 'c']);
    const refused: [number, number][] = [];
    spliceAll(list, [], [[7, 'x']], (index, length) => refused.push([index, length]));
    expect(refused).toEqual([[7, 3]]);
  });
});
