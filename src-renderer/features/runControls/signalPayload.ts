// What the resume form knows of a signal's payload, pure: the shape the step declared (waitFor(signal,
// schema) gives its JSON Schema) as a one-line hint and a first value to edit, and what is wrong with the
// payload typed, checked against that schema.
import type { Json } from '@shared/snapshot';
import { checkSchema } from '../config/schemaCheck';

type Schema = { [key: string]: Json };
const isSchema = (s: Json | undefined): s is Schema => !!s && typeof s === 'object' && !Array.isArray(s);

/** The payload's shape in a line: `{ ok: boolean, by: string, note?: string }`. */
export function shapeOf(schema: Json | undefined, depth = 0): string {
  if (!isSchema(schema)) return 'any JSON';
  const alternatives = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (Array.isArray(alternatives)) return alternatives.map((a) => shapeOf(a, depth)).join(' | ');
  if (Array.isArray(schema.enum)) return schema.enum.map((e) => JSON.stringify(e)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  if (type === 'object' || (type === undefined && isSchema(schema.properties))) {
    const properties = isSchema(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    const keys = Object.keys(properties);
    if (keys.length === 0) return 'object';
    if (depth >= 2) return '{ … }';
    return `{ ${keys.map((k) => `${k}${required.has(k) ? '' : '?'}: ${shapeOf(properties[k], depth + 1)}`).join(', ')} }`;
  }
  if (type === 'array') return `${shapeOf(schema.items as Json, depth + 1)}[]`;
  return typeof type === 'string' ? (type === 'integer' ? 'number' : type) : 'any JSON';
}

/** A first payload to edit that has the declared shape: defaults where given, else an empty value of each type. */
export function exampleOf(schema: Json | undefined): Json {
  if (!isSchema(schema)) return {};
  if (schema.default !== undefined) return schema.default;
  const alternatives = (schema.anyOf ?? schema.oneOf) as Json[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) return exampleOf(alternatives[0]);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  if (schema.const !== undefined) return schema.const;
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    case 'array':
      return [];
    default: {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const required = Array.isArray(schema.required) ? (schema.required as string[]) : Object.keys(properties);
      return Object.fromEntries(required.filter((k) => k in properties).map((k) => [k, exampleOf(properties[k])]));
    }
  }
}

/** The parsed payload, or what is wrong with it: not JSON, or not what the step declared. */
export function checkPayload(text: string, schema: Json | undefined): { value?: Json; problem: string } {
  let value: Json;
  try {
    value = text.trim() === '' ? null : (JSON.parse(text) as Json);
  } catch (err) {
    return { problem: `The payload is not valid JSON: ${(err as Error).message}` };
  }
  const [first] = checkSchema(value, schema);
  if (!first) return { value, problem: '' };
  const where = first.path.length ? `${first.path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.')}: ` : '';
  return { problem: `Not the payload the step expects: ${where}${first.message}` };
}
