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

function normalise(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export class Redactor {
  private readonly rules: string[];
  /** How many values were replaced. */
  count = 0;
  /** The keys (as spelled in the data) whose values were replaced. */
  readonly keys = new Set<string>();

  constructor(rules: readonly string[]) {
    this.rules = [...new Set(rules.map(normalise).filter(Boolean))];
  }

  /** The rules as given to the header: what was looked for, never what was found. */
  get patterns(): string[] {
    return [...this.rules];
  }

  matches(key: string): boolean {
    if (this.rules.length === 0) return false;
    const k = normalise(key);
    return this.rules.some((r) => k.endsWith(r));
  }

  /** A copy of `value` with every matching key's value, at any depth, replaced. */
  redact<T extends Json | undefined>(value: T): T {
    if (this.rules.length === 0 || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((v) => this.redact(v)) as T;
    // fromEntries defines properties, so even a "__proto__" key stays a plain key.
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => {
        if (!this.matches(key) || v === null || v === REDACTED) return [key, this.redact(v)];
        this.count++;
        this.keys.add(key);
        return [key, REDACTED];
      }),
    ) as T;
  }
}
