// A delta line applied by the import gives the document the exporter diffed it from, counts how many bytes its
// JSON grew, and leaves the document before untouched: for random documents changed in random ways (members
// added, replaced, removed; items inserted, removed, changed; nesting several levels deep).
import { describe, expect, it } from 'vitest';
import { applyDeltaLine } from '../../../src-main/core/exchange/native/deltaLine';
import { forwardDelta } from '../../../src-main/core/store/forwardDelta';
import { seededRandom } from '../../support/random';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

describe('applyDeltaLine', () => {
  it('rebuilds the next document and its size from the delta forwardDelta writes, the one before untouched', () => {
    const random = seededRandom(8);
    const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
    const leaf = (): Json => pick<() => Json>([() => Math.floor(random() * 1000), () => `s${Math.floor(random() * 99)}é"\\`, () => null, () => random() < 0.5, () => random() * 10])();
    const value = (depth: number): Json => {
      if (depth > 3 || random() < 0.4) return leaf();
      if (random() < 0.5) return Array.from({ length: Math.floor(random() * 5) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, (_, i) => [`k${i}${pick(['', 'x', 'ü'])}`, value(depth + 1)]));
    };
    /** A copy of `v` changed here and there, sharing what it does not change (as the engine's documents do). */
    const changed = (v: Json, depth: number): Json => {
      if (Array.isArray(v)) {
        const out = v.map((item) => (random() < 0.3 ? changed(item, depth + 1) : item));
        if (random() < 0.3 && out.length) out.splice(Math.floor(random() * out.length), 1);
        if (random() < 0.3) out.splice(Math.floor(random() * (out.length + 1)), 0, value(depth + 1));
        return out;
      }
      if (v !== null && typeof v === 'object') {
        const out: { [key: string]: Json } = {};
        for (const [k, item] of Object.entries(v)) {
          if (random() < 0.15) continue;
          out[k] = random() < 0.3 ? changed(item, depth + 1) : item;
        }
        if (random() < 0.3) out[`new${Math.floor(random() * 9)}`] = value(depth + 1);
        return out;
      }
      return random() < 0.5 ? leaf() : v;
    };
    let checked = 0;
    for (let n = 0; n < 3000; n++) {
      const before = { state: value(0), steps: value(0), seq: n } as Record<string, Json>;
      const after = changed(before, 0) as Record<string, Json>;
      const change = forwardDelta(before, after);
      if (!change) continue;
      const frozen = JSON.stringify(before);
      const line = JSON.parse(JSON.stringify(change.delta)) as Record<string, unknown>;
      const { doc, grew } = applyDeltaLine(JSON.parse(frozen) as Record<string, unknown>, line);
      expect(doc).toEqual(JSON.parse(JSON.stringify(after)));
      expect(grew).toBe(Buffer.byteLength(JSON.stringify(after)) - Buffer.byteLength(frozen));
      // The document before, as given, is unchanged.
      const given = JSON.parse(frozen) as Record<string, unknown>;
      applyDeltaLine(given, line);
      expect(JSON.stringify(given)).toBe(frozen);
      checked++;
    }
    expect(checked).toBeGreaterThan(2500);
  });
});
