// Turns untrusted import text and records into checked values, or an ImportError that names the file,
// the line or row, the field, what was expected and what was found. Nothing here trusts its input's shape
// or nesting: a deep document is refused before anything recursive touches it.
//
// A "__proto__" key is data, kept: JSON.parse makes it an own member (no prototype changes), and every
// place that copies a document member by member defines it as one (the engine's state merge, the store's
// deltas, the import's structure sharing, redaction). Refusing it would make a run whose input or state
// holds one impossible to export and import again; dropping it would lose data silently.
import type { z } from 'zod';
import { jsonErrorReason } from './fileKind';
import { ImportError, type ImportSource } from './types';

/** Deeper than any real document, and far below what JSON.stringify's recursion survives. */
export const MAX_JSON_DEPTH = 1000;

/**
 * The index of the quote that closes the JSON string opened at `open`, or -1: the next quote not escaped by an odd
 * run of backslashes. Self-contained (no closure), so the foreign-SQLite reader's worker carries its source too.
 */
export function closingQuote(text: string, open: number): number {
  let end = open;
  for (;;) {
    end = text.indexOf('"', end + 1);
    if (end === -1) return -1;
    let before = end - 1;
    while (text.charCodeAt(before) === 92) before--;
    if ((end - 1 - before) % 2 === 0) return end;
  }
}

/** The deepest nesting of `{`/`[` outside strings, stopping as soon as it passes `limit`. */
export function nestingDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Strings are most of a line: jump to the closing quote.
      const end = closingQuote(text, i);
      if (end === -1) return deepest;
      i = end;
    } else if (c === 123 || c === 91) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return deepest;
}

/**
 * How many `{` and `[` the text holds, in strings or not, counting no further than past `limit`: more than the
 * nesting depth can be, and found with indexOf, at a fraction of nestingDepth's cost.
 */
export function openingBrackets(text: string, limit: number): number {
  let count = 0;
  for (const bracket of ['[', '{']) {
    for (let i = text.indexOf(bracket); i !== -1; i = text.indexOf(bracket, i + 1)) if (++count > limit) return count;
  }
  return count;
}

/** What a value is, without what it holds (it may be large, or not yet known to be a file this build reads). */
export function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function shown(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Walks a parsed value without recursion: refuses nesting past `maxDepth`. */
export function checkTree(value: unknown, where: ImportSource, field: string, maxDepth = MAX_JSON_DEPTH): void {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: value, path: field, depth: 0 }];
  while (stack.length) {
    const { v, path, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) {
      throw new ImportError({ ...where, field: path, expected: `nesting at most ${maxDepth} deep`, got: 'deeper' }, 'the value is nested too deeply');
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push({ v: v[i], path: `${path}[${i}]`, depth: depth + 1 });
      continue;
    }
    for (const key of Object.keys(v)) {
      const at = path ? `${path}.${key}` : key;
      stack.push({ v: (v as Record<string, unknown>)[key], path: at, depth: depth + 1 });
    }
  }
}

/**
 * JSON.parse for one import line, with the depth checked first. `echo`: whether the error may quote the
 * line (not while the file has not shown it is a format this build reads: see fileKind).
 */
export function parseJsonLine(text: string, where: ImportSource, maxDepth = MAX_JSON_DEPTH, echo = true): unknown {
  // Only a line with more brackets than the limit can nest past it (and only one longer than the limit can
  // hold that many): most lines are not measured at all.
  if (text.length > maxDepth && openingBrackets(text, maxDepth) > maxDepth && nestingDepth(text, maxDepth) > maxDepth) {
    throw new ImportError({ ...where, expected: `JSON nested at most ${maxDepth} deep`, got: `more than ${maxDepth} levels` }, 'the line is nested too deeply to read safely');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    if (!echo) {
      const why = jsonErrorReason(err);
      throw new ImportError({ ...where, expected: 'one JSON document', got: 'text that is not JSON' }, `the line is not valid JSON${why === 'not valid JSON' ? '' : ` (${why})`}`);
    }
    throw new ImportError({ ...where, expected: 'one JSON document', got: shown(text) }, `the line is not valid JSON (${(err as Error).message})`);
  }
  return value;
}

/** What a zod issue expected, in words a person reads. */
function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'a whole number' : `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'number' ? `a number ${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}` : `at least ${String(issue.minimum)} long`;
    case 'too_big':
      return issue.origin === 'number' ? `a number ${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}` : `at most ${String(issue.maximum)} long`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return `a ${issue.format} string`;
    default:
      return issue.message;
  }
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let v = value;
  for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

/** Parses `value` with `schema`; on failure throws an ImportError naming the first bad field as `${field}.path`. */
export function checkShape<T>(schema: z.ZodType<T>, value: unknown, where: ImportSource, field: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return value as T;
  const issue = parsed.error.issues[0];
  const path = [field, ...issue.path.map(String)].filter(Boolean).join('.');
  const got = issue.code === 'invalid_value' || issue.code === 'invalid_type' || issue.code === 'too_small' || issue.code === 'too_big' ? shown(valueAt(value, issue.path)) : undefined;
  throw new ImportError({ ...where, field: path, expected: expectedOf(issue), got }, 'unexpected value');
}
