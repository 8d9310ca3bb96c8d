// Redaction of secret-looking keys in exported data. A key matches a rule when, lower-cased and stripped of
// everything but letters and digits, it ends with the rule: "apiKey", "X-Api-Key" and "stripe_api_key" all
// end with "apikey"; "tokenCount" and "maxTokens" do not end with "token", so counts of tokens stay.
import type { Json } from '../../shared/snapshot';

export const DEFAULT_REDACT_KEYS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'token',
  'apikey',
  'authorization',
  'cookie',
  'privatekey',
  'accesskey',
  'credentials',
  'sessionid',
] as const;

export const REDACTED = '[redacted]';

const MAX_VERDICTS = 10_000;

function normalise(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A member defined as data, so a "__proto__" key stays a plain key (an assignment would set the prototype). */
function define(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export class Redactor {
  private readonly rules: string[];
  /** How many values were replaced. */
  count = 0;
  /** The keys (as spelled in the data) whose values were replaced. */
  readonly keys = new Set<string>();
  /** Each key's verdict: the same few keys come back in every document (data with ever new keys fills it only so far). */
  private readonly verdicts = new Map<string, boolean>();

  constructor(rules: readonly string[]) {
    this.rules = [...new Set(rules.map(normalise).filter(Boolean))];
  }

  /** The rules as given to the header: what was looked for, never what was found. */
  get patterns(): string[] {
    return [...this.rules];
  }

  matches(key: string): boolean {
    if (this.rules.length === 0) return false;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      const k = normalise(key);
      verdict = this.rules.some((r) => k.endsWith(r));
      if (this.verdicts.size < MAX_VERDICTS) this.verdicts.set(key, verdict);
    }
    return verdict;
  }

  /** `value` with every matching key's value, at any depth, replaced: a copy where anything was, else `value` itself. */
  redact<T extends Json | undefined>(value: T): T {
    if (this.rules.length === 0 || value === null || typeof value !== 'object') return value;
    return (Array.isArray(value) ? this.redactArray(value) : this.redactObject(value as Record<string, Json>)) as T;
  }

  private redactArray(list: Json[]): Json[] {
    let out: Json[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const v = this.redact(list[i]);
      if (v !== list[i]) (out ??= list.slice())[i] = v;
    }
    return out ?? list;
  }

  private redactObject(value: Record<string, Json>): Record<string, Json> {
    const keys = Object.keys(value);
    let out: Record<string, Json> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const v = value[key];
      let next: Json;
      if (!this.matches(key) || v === null || v === REDACTED) next = this.redact(v);
      else {
        this.count++;
        this.keys.add(key);
        next = REDACTED;
      }
      if (next !== v && !out) {
        out = {};
        for (let j = 0; j < i; j++) define(out, keys[j], value[keys[j]]);
      }
      if (out) define(out, key, next);
    }
    return out ?? value;
  }
}
