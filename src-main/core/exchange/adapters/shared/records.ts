// Splits a foreign export into records, each with where it came from: one JSON document, a JSON array
// (row = 1-based index), or JSON Lines / NDJSON (line = 1-based line). Also the sniffing that detect()
// uses on the first bytes of a file, which must never throw.
import { readFile } from 'node:fs/promises';
import type { Json } from '../../../../shared/snapshot';
import { jsonErrorReason } from '../../fileKind';
import { ImportError, type ImportSource } from '../../types';
import { isObject, type JsonObject } from './fields';

export interface ForeignRecord {
  value: Json;
  source: ImportSource;
}

/** Where a JSON.parse error points, as a 1-based line of the text, when the engine says a position. */
function lineOfError(text: string, err: unknown): number | undefined {
  const m = /position (\d+)/.exec(err instanceof Error ? err.message : '');
  if (!m) return undefined;
  return text.slice(0, Number(m[1])).split('\n').length;
}

/** JSON.parse's message quotes the text where it stopped: the error says where, never what (see fileKind). */
function parseError(file: string, err: unknown, line?: number): ImportError {
  return new ImportError({ file, line, expected: 'valid JSON', got: jsonErrorReason(err) }, 'the text is not valid JSON');
}

/** JSON.parse keeps `__proto__` as an own key (no prototype change); the adapters only copy with
 * spreads, Object.fromEntries and Maps, which keep it plain data too. */
export function parseRecords(file: string, text: string): ForeignRecord[] {
  const name = file;
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') throw new ImportError({ file: name, expected: 'a JSON value or JSON lines', got: 'an empty file' }, 'the file is empty');
  let whole: Json | undefined;
  let wholeError: unknown;
  // A .ndjson / .jsonl file is lines even when it holds one.
  if (!/\.(ndjson|jsonl)$/i.test(file)) {
    try {
      whole = JSON.parse(trimmed) as Json;
    } catch (err) {
      wholeError = err;
    }
  }
  if (whole !== undefined) {
    if (Array.isArray(whole)) return whole.map((value, i) => ({ value, source: { file: name, row: i + 1 } }));
    return [{ value: whole, source: { file: name } }];
  }
  // Not one document: JSON Lines, if its first non-empty line is a document of its own.
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (wholeError !== undefined) {
    try {
      JSON.parse(lines[first]);
    } catch {
      throw parseError(name, wholeError, lineOfError(trimmed, wholeError));
    }
  }
  const out: ForeignRecord[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    try {
      out.push({ value: JSON.parse(line) as Json, source: { file: name, line: i + 1 } });
    } catch (err) {
      throw parseError(name, err, i + 1);
    }
  });
  return out;
}

export async function readRecords(file: string): Promise<ForeignRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ImportError({ file }, `cannot read the file: ${err instanceof Error ? err.message : String(err)}`);
  }
  return parseRecords(file, text);
}

/** A record must be an object; the error names where it is. */
export function recordObject(record: ForeignRecord, what: string): JsonObject {
  if (isObject(record.value)) return record.value;
  throw new ImportError({ ...record.source, expected: `${what} (a JSON object)`, got: Array.isArray(record.value) ? 'an array' : typeof record.value }, `the record is not ${what}`);
}

/**
 * The first record of a sample, as detect() sees it: the whole head when it is one document, the first
 * element of an array, or the first line of JSON Lines. Undefined when the head is cut mid-record.
 */
export function firstRecord(head: string): JsonObject | undefined {
  const text = head.replace(/^\uFEFF/, '').trim();
  const candidates = [text, text.split('\n')[0]];
  for (const candidate of candidates) {
    try {
      const value = JSON.parse(candidate) as Json;
      const first = Array.isArray(value) ? value[0] : value;
      if (isObject(first)) return first;
    } catch {
      // cut short or not JSON: try the next candidate
    }
  }
  return undefined;
}

/** Whether every key is a top-level key of the first record, or, for a head cut mid-record, appears as a key in the text. */
export function looksLike(head: string, keys: string[]): boolean {
  const text = head.trimStart();
  if (!text.startsWith('{') && !text.startsWith('[')) return false;
  const record = firstRecord(head);
  if (record) return keys.every((k) => Object.hasOwn(record, k));
  return keys.every((k) => new RegExp(`"${k}"\\s*:`).test(text));
}

