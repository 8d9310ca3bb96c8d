// A run configuration as text a person edits, JSON or YAML: parsed, checked against the workflow's config
// schema, each problem with the text range it concerns (for the editor's markers) and the field it names.
import { isMap, isNode, isScalar, parseDocument, stringify } from 'yaml';
import type { Json } from '@shared/snapshot';
import { checkSchema, fieldName } from './schemaCheck';

export type ConfigFormat = 'json' | 'yaml';

export interface ConfigProblem {
  field: string;
  message: string;
  /** Offsets into the text. */
  start: number;
  end: number;
}

export interface CheckedConfig {
  value?: Json;
  problems: ConfigProblem[];
}

export function formatConfig(value: Json, format: ConfigFormat): string {
  if (format === 'json') return `${JSON.stringify(value, null, 2)}\n`;
  return stringify(value);
}

/**
 * The text as the diff against the original shows it: reformatted the way the original is (formatConfig), so
 * a configuration only reformatted (minified, re-indented, quoted differently in YAML) compares as data and
 * shows no change. Text that does not parse is left as it is: the diff then shows where it went wrong.
 */
export function normaliseForDiff(text: string, format: ConfigFormat): string {
  const { value, problems } = checkConfigText(text, format, undefined);
  if (value === undefined || problems.length > 0) return text;
  return formatConfig(value, format);
}

function jsonSyntaxProblem(text: string, err: Error): ConfigProblem {
  const position = /position (\d+)/.exec(err.message);
  const start = position ? Number(position[1]) : 0;
  return { field: 'config', message: `not valid JSON: ${err.message}`, start, end: Math.min(text.length, start + 1) };
}

export function checkConfigText(text: string, format: ConfigFormat, schema: Json | undefined): CheckedConfig {
  if (text.trim() === '') return { value: {}, problems: [] };
  if (format === 'json') {
    try {
      JSON.parse(text);
    } catch (err) {
      return { problems: [jsonSyntaxProblem(text, err as Error)] };
    }
  }
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => ({ field: 'config', message: `not valid YAML: ${e.message.split('\n')[0]}`, start: e.pos[0], end: e.pos[1] })),
    };
  }
  const value = (doc.toJS() ?? {}) as Json;
  const problems = checkSchema(value, schema).map((p): ConfigProblem => {
    // The node of the field, or of the nearest parent present (a missing field marks the object that lacks it).
    let node: unknown;
    for (let n = p.path.length; n >= 0 && !node; n--) node = n === 0 ? doc.contents : doc.getIn(p.path.slice(0, n), true);
    let range = isNode(node) && node.range ? node.range : [0, text.length];
    // A setting that should not be there: mark its key.
    if (p.message.startsWith('is not a known')) {
      const parent = p.path.length === 1 ? doc.contents : doc.getIn(p.path.slice(0, -1), true);
      const pair = isMap(parent) ? parent.items.find((i) => isScalar(i.key) && i.key.value === p.path.at(-1)) : undefined;
      if (pair && isScalar(pair.key) && pair.key.range) range = pair.key.range;
    }
    return { field: fieldName(p.path), message: p.message, start: range[0], end: Math.max(range[0] + 1, range[1]) };
  });
  return { value, problems };
}
