// Checks a value against the JSON Schema a workflow's zod config produces (the subset zod emits: type,
// properties, required, additionalProperties, items, enum, const, bounds, lengths, pattern, anyOf/oneOf).
// A required property with a default may be left out: core applies the default, as zod does.
import type { Json } from '@shared/snapshot';

export interface SchemaProblem {
  path: (string | number)[];
  message: string;
}

type Schema = { [key: string]: Json };

const typeOf = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v;

const matchesType = (v: unknown, type: string) => type === typeOf(v) || (type === 'number' && typeof v === 'number');

const show = (v: unknown) => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
};

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);

export function checkSchema(value: unknown, schema: Json | undefined, path: (string | number)[] = []): SchemaProblem[] {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return [];
  const s = schema as Schema;
  const problems: SchemaProblem[] = [];
  const fail = (message: string, at = path) => problems.push({ path: at, message });

  const alternatives = (s.anyOf ?? s.oneOf) as Json[] | undefined;
  if (Array.isArray(alternatives)) {
    const results = alternatives.map((alt) => checkSchema(value, alt, path));
    if (results.every((r) => r.length > 0)) {
      // The closest alternative speaks for all: the one with the fewest problems.
      problems.push(...results.reduce((best, r) => (r.length < best.length ? r : best)));
    }
    return problems;
  }
  if (s.type !== undefined) {
    const types = (Array.isArray(s.type) ? s.type : [s.type]) as string[];
    if (!types.some((t) => matchesType(value, t))) {
      fail(`expected ${types.map(article).join(' or ')}, got ${show(value)}`);
      return problems;
    }
  }
  if (Array.isArray(s.enum) && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) {
    fail(`expected one of ${s.enum.map(show).join(', ')}, got ${show(value)}`);
  }
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value)) fail(`expected ${show(s.const)}, got ${show(value)}`);
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) fail(`must be at least ${s.minimum}, got ${value}`);
    if (typeof s.maximum === 'number' && value > s.maximum) fail(`must be at most ${s.maximum}, got ${value}`);
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum) fail(`must be more than ${s.exclusiveMinimum}, got ${value}`);
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum) fail(`must be less than ${s.exclusiveMaximum}, got ${value}`);
  }
  if (typeof value === 'string') {
    if (typeof s.minLength === 'number' && value.length < s.minLength) fail(`must have at least ${s.minLength} characters`);
    if (typeof s.maxLength === 'number' && value.length > s.maxLength) fail(`must have at most ${s.maxLength} characters`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) fail(`must match ${s.pattern}`);
  }
  if (Array.isArray(value) && s.items && typeof s.items === 'object') {
    value.forEach((item, i) => problems.push(...checkSchema(item, s.items, [...path, i])));
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const properties = (s.properties ?? {}) as Record<string, Json>;
    for (const key of (s.required ?? []) as string[]) {
      const prop = properties[key] as Schema | undefined;
      if (!(key in obj) && !(prop && typeof prop === 'object' && 'default' in prop)) fail(`is required`, [...path, key]);
    }
    for (const [key, v] of Object.entries(obj)) {
      if (key in properties) problems.push(...checkSchema(v, properties[key], [...path, key]));
      else if (s.additionalProperties === false) fail(`is not a known setting${Object.keys(properties).length ? ` (known: ${Object.keys(properties).join(', ')})` : ''}`, [...path, key]);
      else if (s.additionalProperties && typeof s.additionalProperties === 'object') problems.push(...checkSchema(v, s.additionalProperties, [...path, key]));
    }
  }
  return problems;
}

/** "warehouse.id", "items[2]", or "config" for the whole value: how a person names a field. */
export function fieldName(path: (string | number)[]): string {
  if (path.length === 0) return 'config';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
