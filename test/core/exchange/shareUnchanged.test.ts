// An imported snapshot shares the unchanged parts of the one before it, and stays equal to what was read.
import { describe, expect, it } from 'vitest';
import { shareUnchanged } from '../../../src-main/core/exchange/shareUnchanged';

describe('sharing the unchanged parts of consecutive imported snapshots', () => {
  it('reuses equal parts, keeps changed ones, and the result equals the new document', () => {
    const previous = { a: { x: [1, { y: 2 }] }, b: { n: 1 }, c: [{ id: 1 }, { id: 2 }], d: 'same' };
    const next = JSON.parse('{"a":{"x":[1,{"y":2}]},"b":{"n":2},"c":[{"id":1},{"id":3}],"d":"same","e":{}}') as typeof previous & { e: object };
    const text = JSON.stringify(next);
    const shared = shareUnchanged(previous, next);
    expect(JSON.stringify(shared)).toBe(text);
    expect(shared.a).toBe(previous.a);
    expect(shared.b).not.toBe(previous.b);
    expect(shared.c).not.toBe(previous.c);
    expect(shared.c[0]).toBe(previous.c[0]);
    expect(shared.c[1]).not.toBe(previous.c[1]);
  });

  it('does not share parts whose keys come in another order: the order is part of the stored text', () => {
    const previous = { s: { a: 1, b: 2 } };
    const next = { s: { b: 2, a: 1 } };
    const shared = shareUnchanged(previous, next);
    expect(shared.s).not.toBe(previous.s);
    expect(JSON.stringify(shared)).toBe('{"s":{"b":2,"a":1}}');
  });

  it('gives the previous document back when nothing changed, and tells arrays from objects', () => {
    const previous = { list: [1, 2], map: { 0: 1, 1: 2 } };
    expect(shareUnchanged(previous, { list: [1, 2], map: { 0: 1, 1: 2 } })).toBe(previous);
    const swapped = shareUnchanged(previous, { list: { 0: 1, 1: 2 }, map: [1, 2] });
    expect(JSON.stringify(swapped)).toBe('{"list":{"0":1,"1":2},"map":[1,2]}');
  });
});
