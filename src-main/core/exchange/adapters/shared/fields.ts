// Reading fields of foreign records without trusting them: own properties only (a key like
// `constructor` never reaches Object.prototype), and every mismatch an ImportError that names the file,
// the line or row, the field, what was expected and what was found.
import type { Json } from '../../../../shared/snapshot';
import { ImportError, type ImportSource } from '../../types';

export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value of an own property, or undefined: inherited names such as `constructor` are not fields. */
export function own(obj: JsonObject, key: string): Json | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/** A short description of a value for error messages: `"7a"`, `a number (12)`, `an object`, `nothing`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return `a ${typeof value} (${String(value)})`;
  if (Array.isArray(value)) return 'an array';
  return 'an object';
}

/** Field readers bound to one record's source, so each error says where the record came from. */
export class RecordReader {
  constructor(
    readonly source: ImportSource,
    /** Prefix of field names in messages, e.g. `snapshot` or `events[4]`. */
    private readonly prefix = '',
  ) {}

  at(prefix: string): RecordReader {
    return new RecordReader(this.source, this.path(prefix));
  }

  path(field: string): string {
    if (field === '') return this.prefix;
    return this.prefix ? `${this.prefix}.${field}` : field;
  }

  fail(field: string, expected: string, got: unknown, reason?: string): never {
    const name = this.path(field);
    throw new ImportError({ ...this.source, field: name, expected, got: describe(got) }, reason ?? (got === undefined ? 'missing' : 'unexpected value'));
  }

  object(obj: JsonObject, key: string): JsonObject {
    const v = own(obj, key);
    return isObject(v) ? v : this.fail(key, 'an object', v);
  }

  optObject(obj: JsonObject, key: string): JsonObject | undefined {
    const v = own(obj, key);
    if (v === undefined || v === null) return undefined;
    return isObject(v) ? v : this.fail(key, 'an object', v);
  }

  array(obj: JsonObject, key: string): Json[] {
    const v = own(obj, key);
    return Array.isArray(v) ? v : this.fail(key, 'an array', v);
  }

  optArray(obj: JsonObject, key: string): Json[] | undefined {
    const v = own(obj, key);
    if (v === undefined || v === null) return undefined;
    return Array.isArray(v) ? v : this.fail(key, 'an array', v);
  }

  string(obj: JsonObject, key: string): string {
    const v = own(obj, key);
    return typeof v === 'string' && v !== '' ? v : this.fail(key, 'a non-empty string', v);
  }

  optString(obj: JsonObject, key: string): string | undefined {
    const v = own(obj, key);
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v : this.fail(key, 'a string', v);
  }

  number(obj: JsonObject, key: string): number {
    const v = own(obj, key);
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(key, 'a number', v);
  }

  optNumber(obj: JsonObject, key: string): number | undefined {
    const v = own(obj, key);
    if (v === undefined || v === null) return undefined;
    return typeof v === 'number' && Number.isFinite(v) ? v : this.fail(key, 'a number', v);
  }

  /** A whole number written as a JSON number or, as protobuf JSON writes int64, as a decimal string. */
  int64(obj: JsonObject, key: string): number {
    const v = own(obj, key);
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    if (typeof v === 'string' && /^-?\d+$/.test(v) && Number.isSafeInteger(Number(v))) return Number(v);
    return this.fail(key, 'a whole number (or its decimal string)', v);
  }

  optInt64(obj: JsonObject, key: string): number | undefined {
    const v = own(obj, key);
    return v === undefined || v === null ? undefined : this.int64(obj, key);
  }

  /** One of the given words; the message lists them. */
  oneOf<T extends string>(obj: JsonObject, key: string, allowed: readonly T[]): T {
    const v = own(obj, key);
    if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
    return this.fail(key, `one of ${allowed.join(', ')}`, v);
  }

  /** A time as epoch milliseconds (number) or an ISO-8601 / RFC 3339 string, returned as ISO. */
  time(obj: JsonObject, key: string): string {
    const v = own(obj, key);
    const iso = toIso(v);
    return iso ?? this.fail(key, 'a time (epoch milliseconds or an ISO-8601 string)', v);
  }

  optTime(obj: JsonObject, key: string): string | undefined {
    const v = own(obj, key);
    return v === undefined || v === null ? undefined : this.time(obj, key);
  }
}

export function toIso(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  }
  return undefined;
}
