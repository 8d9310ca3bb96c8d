// The nesting of an import line is measured before JSON.parse or anything recursive sees it: brackets inside
// strings, escaped quotes and runs of backslashes must not fool it.
import { describe, expect, it } from 'vitest';
import { nestingDepth, openingBrackets, parseJsonLine } from '../../../src-main/core/exchange/untrustedInput';

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

describe('an import line too deep to read', () => {
  const where = { file: 'f.ssx.ndjson', line: 3 };
  const deep = (n: number) => `{"a":${'['.repeat(n)}${']'.repeat(n)}}`;

  it('is refused past the limit, however many brackets strings hold, and read up to it', () => {
    expect(() => parseJsonLine(deep(1000), where)).toThrow(/nested too deeply/);
    expect(parseJsonLine(deep(999), where)).toEqual(JSON.parse(deep(999)));
    // Thousands of brackets, all in strings: counted, then measured, and read.
    const inStrings = JSON.stringify({ text: '[{'.repeat(5000), list: [['x']] });
    expect(openingBrackets(inStrings, 1000)).toBe(1001);
    expect(parseJsonLine(inStrings, where)).toEqual(JSON.parse(inStrings));
    // A line that is not JSON and nests past the limit says so, as before.
    expect(() => parseJsonLine('['.repeat(5000), where)).toThrow(/nested too deeply/);
    expect(() => parseJsonLine('[[[1]', where, 1000)).toThrow(/not valid JSON/);
    expect(() => parseJsonLine(deep(10), where, 10)).toThrow(/nested too deeply/);
  });

  it('counts brackets only as far as past the limit', () => {
    expect(openingBrackets('{"a":[1,{"b":[]}]}', 10)).toBe(4);
    expect(openingBrackets('['.repeat(100_000), 1000)).toBe(1001);
  });
});
