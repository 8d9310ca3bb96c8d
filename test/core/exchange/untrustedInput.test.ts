// The nesting of an import line is measured before JSON.parse or anything recursive sees it: brackets inside
// strings, escaped quotes and runs of backslashes must not fool it.
import { describe, expect, it } from 'vitest';
import { nestingDepth } from '../../../src-main/core/exchange/untrustedInput';

describe('the nesting depth of a line', () => {
  it('counts brackets outside strings only, however strings escape their quotes', () => {
    const cases: [unknown, number][] = [
      [{ a: [1] }, 2],
      [{ 'a"[': [[1]] }, 3],
      [{ 'k\\': 'v\\', list: [['\\"[[', '\\\\"]]']] }, 3],
      [['[[[', '{{{', ']]]', '}}}'], 1],
      ['no nesting "[" at all', 0],
      [{ deep: JSON.parse(`${'['.repeat(50)}${']'.repeat(50)}`) as unknown }, 51],
    ];
    for (const [value, depth] of cases) expect({ text: JSON.stringify(value), depth: nestingDepth(JSON.stringify(value), 1000) }).toEqual({ text: JSON.stringify(value), depth });
  });

  it('stops as soon as the limit is passed, and ends at an unterminated string', () => {
    expect(nestingDepth('['.repeat(100_000), 1000)).toBe(1001);
    expect(nestingDepth('[["unterminated [[[[', 1000)).toBe(2);
  });
});
