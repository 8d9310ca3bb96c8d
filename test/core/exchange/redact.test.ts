// Which keys export redacts: secret-looking ones at any depth, whatever their case or separators, and
// the ones the person names; counts of tokens and other look-alikes stay.
import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACT_KEYS, Redactor, REDACTED } from '../../../src-main/core/exchange/redact';
import type { Json } from '../../../src-main/shared/snapshot';

describe('redaction of exported data', () => {
  it('replaces secret-looking keys at any depth, in any case or spelling, and counts them', () => {
    const r = new Redactor(DEFAULT_REDACT_KEYS);
    const out = r.redact({
      user: { name: 'ada', PASSWORD: 'p1', db_password: 'p2' },
      headers: [{ Authorization: 'Bearer x', Cookie: 'sid=1', 'Set-Cookie': 'sid=2', 'X-Api-Key': 'k' }],
      oauth: { access_token: 't1', refreshToken: 't2', client_secret: 's', privateKey: 'pk' },
      stats: { tokenCount: 12, maxTokens: 100, secretary: 'bob' },
      empty: { password: null },
    });
    expect(out).toEqual({
      user: { name: 'ada', PASSWORD: REDACTED, db_password: REDACTED },
      headers: [{ Authorization: REDACTED, Cookie: REDACTED, 'Set-Cookie': REDACTED, 'X-Api-Key': REDACTED }],
      oauth: { access_token: REDACTED, refreshToken: REDACTED, client_secret: REDACTED, privateKey: REDACTED },
      stats: { tokenCount: 12, maxTokens: 100, secretary: 'bob' },
      empty: { password: null },
    });
    expect(r.count).toBe(10);
    expect([...r.keys].sort()).toEqual(['Authorization', 'Cookie', 'PASSWORD', 'Set-Cookie', 'X-Api-Key', 'access_token', 'client_secret', 'db_password', 'privateKey', 'refreshToken'].sort());
  });

  it('replaces a whole object or array under a secret key, and adds the keys the person names', () => {
    const r = new Redactor([...DEFAULT_REDACT_KEYS, 'email', 'Card-Number']);
    expect(r.redact({ credentials: { user: 'a', pass: 'b' }, email: 'x@y', cardNumber: '4242', emails: ['kept'] })).toEqual({
      credentials: REDACTED,
      email: REDACTED,
      cardNumber: REDACTED,
      emails: ['kept'],
    });
  });

  it('redacts nothing when told not to, and keeps a "__proto__" key a plain key', () => {
    const off = new Redactor([]);
    const value = { password: 'p' };
    expect(off.redact(value)).toBe(value);
    const on = new Redactor(['token']);
    const hostile = JSON.parse('{"__proto__":{"token":"t","polluted":true}}') as Record<string, never>;
    const out = on.redact(hostile) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ token: REDACTED, polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never changes what it is given, and copies only the parts that hold a secret (a run shares the rest between snapshots)', () => {
    const r = new Redactor(DEFAULT_REDACT_KEYS);
    const clean = { items: [{ id: 'sku-1', qty: 2 }], totals: { sum: 3 } };
    const value = { clean, list: [1, { n: 1 }, { apiKey: 'k', keep: { a: 1 } }], deep: { auth: { password: 'p' }, other: { b: 2 } } };
    const before = JSON.parse(JSON.stringify(value)) as unknown;
    const out = r.redact(value as unknown as Json) as unknown as typeof value;
    expect(value).toEqual(before);
    expect(out).toEqual({ clean, list: [1, { n: 1 }, { apiKey: REDACTED, keep: { a: 1 } }], deep: { auth: { password: REDACTED }, other: { b: 2 } } });
    expect(out.clean).toBe(clean);
    expect(out.list[1]).toBe(value.list[1]);
    expect((out.list[2] as { keep: unknown }).keep).toBe((value.list[2] as { keep: unknown }).keep);
    expect(out.deep.other).toBe(value.deep.other);
    expect(r.redact(clean)).toBe(clean);
    expect(r.count).toBe(2);
  });
});
