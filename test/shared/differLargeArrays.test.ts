// Array matching that stays fast on large arrays: past LARGE_ARRAY_CELLS, arrays whose items all have a unique
// id are aligned by id (a map and a longest increasing subsequence) instead of jsondiffpatch's LCS, and other
// large arrays are matched by position with a note. Small arrays keep jsondiffpatch's own output.
import { clone, create } from 'jsondiffpatch';
import { describe, expect, it } from 'vitest';
import { createDiffer, LARGE_ARRAY_CELLS, longestIncreasing, summarizeDelta } from '../../src-main/shared/differ';

const N = 22_000;
const item = (id: number, extra: Record<string, unknown> = {}) => ({ id: `item-${id}`, price: id, note: 'x'.repeat(20), ...extra });
const list = (n: number) => Array.from({ length: n }, (_, i) => item(i));

/** Applies a delta to a copy of `left`: the result must be `right`, or the delta is wrong. */
function patched(left: unknown, delta: unknown): unknown {
  return createDiffer().patch(clone(left), delta as never);
}

/** Counts what a delta says, by kind, over every path. */
const ops = (delta: unknown) => {
  const s = summarizeDelta(delta as never);
  const moved = s.paths.filter((p) => p.op === 'moved').length;
  return { added: s.added, removed: s.removed, changed: s.changed, moved };
};

describe('large arrays of items with unique ids', () => {
  it('aligns by id when the middle changed: one removed, one added, a few moved and edited, and the delta patches left into right', () => {
    const left = { items: list(N) };
    const items = list(N).filter((x) => x.id !== 'item-100'); // removed near the start
    items.splice(21_000, 0, item(99_999)); // added near the end
    const [moved] = items.splice(5_000, 1); // moved from the middle to near the end
    items.splice(20_000, 0, moved);
    items[11_000] = { ...items[11_000], price: -1 }; // edited in place
    const right = { items };

    const { delta, notes } = createDiffer().diffWithNotes(left, right);
    expect(notes).toEqual([]);
    expect(ops(delta)).toEqual({ added: 1, removed: 1, changed: 1, moved: 1 });
    const paths = summarizeDelta(delta).paths;
    expect(paths).toContainEqual({ path: '/items/100', op: 'removed' });
    expect(paths).toContainEqual({ path: `/items/11000/price`, op: 'changed' });
    expect(patched(left, delta)).toEqual(right);
  });

  it('shows an item that moved and changed as a move plus its own change', () => {
    const left = { items: list(N) };
    const items = list(N);
    const [moved] = items.splice(1_000, 1);
    items.splice(N - 1_000, 0, { ...moved, note: 'changed' });
    const right = { items };
    const { delta } = createDiffer().diffWithNotes(left, right);
    expect(ops(delta)).toEqual({ added: 0, removed: 0, changed: 1, moved: 1 });
    expect(patched(left, delta)).toEqual(right);
  });

  it('reverses a large array as moves of all but one item, not as removals and additions', () => {
    const left = { items: list(3_000) };
    const right = { items: list(3_000).reverse() };
    const { delta } = createDiffer().diffWithNotes(left, right);
    expect(ops(delta)).toEqual({ added: 0, removed: 0, changed: 0, moved: 2_999 });
    expect(patched(left, delta)).toEqual(right);
  });

  it('finds nothing between equal large arrays', () => {
    expect(createDiffer().diffWithNotes({ items: list(N) }, { items: list(N) }).delta).toBeUndefined();
  });
});

describe('large arrays without a unique id on every item', () => {
  it('are matched by position and the summary says so', () => {
    const plain = (n: number, shift: number) => Array.from({ length: n }, (_, i) => ({ value: i + shift }));
    const left = { rows: plain(2_000, 0) };
    const right = { rows: [{ value: -1 }, ...plain(2_000, 0)] }; // one row inserted at the top
    const { delta, notes } = createDiffer().diffWithNotes(left, right);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/array of 2,000 → 2,001 items .* compared by position/);
    // By position, every row's value changed and one was added at the end.
    expect(ops(delta)).toEqual({ added: 1, removed: 0, changed: 2_000, moved: 0 });
    expect(summarizeDelta(delta, notes).notes).toEqual(notes);
    expect(patched(left, delta)).toEqual(right);
  });

  it('treats duplicated ids as no unique id', () => {
    const left = { items: [...list(1_500), item(1)] };
    const right = { items: [...list(1_500), item(1)].reverse() };
    const { notes, delta } = createDiffer().diffWithNotes(left, right);
    expect(notes).toHaveLength(1);
    expect(patched(left, delta)).toEqual(right);
  });
});

describe('small arrays', () => {
  it('keep jsondiffpatch’s own output exactly', () => {
    const stock = create({ objectHash: (o: object, i?: number) => ((o as { id?: string }).id !== undefined ? `id:${(o as { id: string }).id}` : `$$index:${i}`), arrays: { detectMove: true, includeValueOnMove: false }, cloneDiffValues: false });
    const cases: [unknown, unknown][] = [
      [{ items: list(50) }, { items: [...list(50).slice(10), ...list(50).slice(0, 10)] }],
      [{ items: list(200) }, { items: list(200).filter((x) => x.price % 7 !== 0).concat([item(500)]) }],
      [{ items: [1, 2, 3, 4] }, { items: [4, 3, 2, 1, 5] }],
    ];
    for (const [left, right] of cases) {
      // Past the threshold these would go our way; these stay under it.
      expect((left as { items: unknown[] }).items.length ** 2).toBeLessThanOrEqual(LARGE_ARRAY_CELLS);
      const { delta, notes } = createDiffer().diffWithNotes(left, right);
      expect(notes).toEqual([]);
      expect(delta).toEqual(stock.diff(left, right));
    }
  });
});

describe('longestIncreasing', () => {
  it('finds one longest strictly increasing run', () => {
    expect(longestIncreasing([])).toEqual([]);
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];
    const run = longestIncreasing(values).map((i) => values[i]);
    expect(run).toHaveLength(6); // e.g. 1 4 5 6 8 9
    for (let k = 1; k < run.length; k++) expect(run[k]).toBeGreaterThan(run[k - 1]);
  });
});
