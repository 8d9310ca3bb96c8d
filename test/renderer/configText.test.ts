// The run configuration editor's checks: a person types JSON or YAML and sees which field is wrong, and where.
import { describe, expect, it } from 'vitest';
import { checkConfigText, formatConfig, normaliseForDiff } from '../../src-renderer/features/config/configText';
import { checkSchema } from '../../src-renderer/features/config/schemaCheck';
import type { Json } from '../../src-main/shared/snapshot';

// The schema zod gives orders-linear's config.
const schema = {
  type: 'object',
  properties: {
    currency: { default: 'EUR', type: 'string' },
    taxRate: { default: 0.2, type: 'number', minimum: 0, maximum: 1 },
    warehouse: {
      default: { id: 'wh-1', region: 'eu-west' },
      type: 'object',
      properties: { id: { type: 'string' }, region: { type: 'string' } },
      required: ['id', 'region'],
      additionalProperties: false,
    },
  },
  required: ['currency', 'taxRate', 'warehouse'],
  additionalProperties: false,
};

describe('run configuration checks', () => {
  it('accepts a valid configuration in JSON and in YAML, and fields left to their defaults', () => {
    expect(checkConfigText('{"currency":"USD","taxRate":0.1}', 'json', schema)).toEqual({ value: { currency: 'USD', taxRate: 0.1 }, problems: [] });
    expect(checkConfigText('currency: USD\nwarehouse:\n  id: w\n  region: r\n', 'yaml', schema).problems).toEqual([]);
    expect(checkConfigText('', 'yaml', schema)).toEqual({ value: {}, problems: [] });
  });

  it('names the field and marks its value', () => {
    const text = 'currency: USD\ntaxRate: 3\n';
    const { problems } = checkConfigText(text, 'yaml', schema);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'taxRate', message: 'must be at most 1, got 3' });
    expect(text.slice(problems[0].start, problems[0].end)).toBe('3');
  });

  it('names nested, missing and unknown fields', () => {
    const { problems } = checkConfigText('{"warehouse":{"id":5},"colour":"red"}', 'json', schema);
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'warehouse.region: is required',
      'warehouse.id: expected a string, got 5',
      'colour: is not a known setting (known: currency, taxRate, warehouse)',
    ]);
    const text = '{"warehouse":{"id":5},"colour":"red"}';
    const unknown = problems[2];
    expect(text.slice(unknown.start, unknown.end)).toBe('"colour"');
  });

  it('reports syntax errors with a position', () => {
    const { problems, value } = checkConfigText('{"currency": }', 'json', schema);
    expect(value).toBeUndefined();
    expect(problems[0].message).toMatch(/^not valid JSON/);
    expect(checkConfigText('a: [1,\n', 'yaml', schema).problems[0].message).toMatch(/^not valid YAML/);
  });

  it('round-trips a configuration through both formats', () => {
    const config = { currency: 'EUR', warehouse: { id: 'wh-1', region: 'eu-west' } };
    for (const format of ['json', 'yaml'] as const) expect(checkConfigText(formatConfig(config, format), format, schema).value).toEqual(config);
  });

  it('checks arrays, enums and alternatives', () => {
    const s: Json = { type: 'array', items: { anyOf: [{ type: 'string', enum: ['a', 'b'] }, { type: 'integer' }] } };
    expect(checkSchema(['a', 3], s)).toEqual([]);
    expect(checkSchema(['c', 1.5], s).map((p) => p.path)).toEqual([[0], [1]]);
  });
});

describe('the diff with the original configuration', () => {
  const original = { currency: 'EUR', taxRate: 0.2, warehouse: { id: 'wh-1', region: 'eu-west' } };

  it('compares data, not layout: a minified or re-indented text reads as the original does', () => {
    expect(normaliseForDiff(JSON.stringify(original), 'json')).toBe(formatConfig(original, 'json'));
    expect(normaliseForDiff(JSON.stringify(original, null, 4), 'json')).toBe(formatConfig(original, 'json'));
    expect(normaliseForDiff('{currency: "EUR", taxRate: 0.2, warehouse: {id: wh-1, region: "eu-west"}}', 'yaml')).toBe(formatConfig(original, 'yaml'));
  });

  it('keeps a real change, in the original’s formatting', () => {
    expect(normaliseForDiff('{"currency":"USD","taxRate":0.2,"warehouse":{"id":"wh-1","region":"eu-west"}}', 'json')).toBe(
      formatConfig({ ...original, currency: 'USD' }, 'json'),
    );
  });

  it('leaves text that does not parse as it is, for the diff to show where', () => {
    expect(normaliseForDiff('{"currency": ', 'json')).toBe('{"currency": ');
  });
});
