// A snapshot line of format version 2 may carry a delta instead of a whole document: the change from the
// run's snapshot on the line before it, in the forward delta format the store writes (store/forwardDelta.ts:
// `[new]` added, `[0, new]` replaced, `[0, 0, 0]` removed, an object of those per changed member, and for an
// array `{"_t": "a", "<i>": …, "_<i>": [0, 0, 0]}`). The line is untrusted: only that format is accepted, every
// array index must lie within the array it changes (so no line can make a billion-item array), no key a delta
// never names (`__proto__`, `constructor`, …) may appear, and a refusal names the path inside the delta.
// The result shares every part the delta does not touch with the document before, which stays as it was.
// Applying it also counts by how many bytes the document's JSON grew, so the store can keep the delta as the
// stored change (see KnownChange) without diffing the two documents again.
import { deltaMayName, spliceAll } from '../../store/forwardDelta';
import { jsonSize, stringSize } from '../../store/jsonSize';
import { shown } from '../untrustedInput';

/** Why a delta does not apply, and where inside it (a dotted path; '' for the delta itself). */
export class DeltaRefusal {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly got: string,
  ) {}
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

const WHAT = 'a delta: [new], [0, new], [0, 0, 0], or an object of them';

/** The kind of a value, for "got" (without the value: it may be large). */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/** The commas between `n` members or items. */
const commas = (n: number) => (n > 1 ? n - 1 : 0);

const INDEX = /^(0|[1-9]\d{0,8})$/;

/**
 * One delta's application; `grew` is by how many bytes the JSON text grew (negative when it shrank). The path
 * to where it is is kept as a stack of keys and written out only for a refusal: the walk runs for every line,
 * a refusal once. (Refusals are thrown from functions of their own, so the walk stays small to compile.)
 */
class Apply {
  grew = 0;
  private readonly at: string[] = [];

  private refuse(expected: string, got: string, key?: string): never {
    throw new DeltaRefusal([...this.at, ...(key === undefined ? [] : [key])].join('.'), expected, got);
  }

  private notADelta(delta: unknown): never {
    this.refuse(WHAT, shown(delta));
  }

  private nothingThere(what: string): never {
    this.refuse(`a member that is there to ${what}`, 'nothing there');
  }

  /** A member's or item's change: a leaf (added, replaced, removed) or a nested delta. */
  change(left: unknown, had: boolean, delta: unknown): { value: unknown } | undefined {
    if (Array.isArray(delta)) {
      // [new], or [0, new]: the old value is left out (a delta carrying one would store it for nothing).
      if (delta.length === 1 || (delta.length === 2 && delta[0] === 0)) {
        const value = delta[delta.length - 1] as unknown;
        this.grew += jsonSize(value) - (had ? jsonSize(left) : 0);
        return { value };
      }
      if (delta.length !== 3 || delta[0] !== 0 || delta[1] !== 0 || delta[2] !== 0) this.notADelta(delta);
      if (!had) this.nothingThere('remove');
      this.grew -= jsonSize(left);
      return undefined;
    }
    if (!isPlainObject(delta)) this.notADelta(delta);
    if (!had) this.nothingThere('change');
    return { value: delta._t === undefined ? this.object(left, delta) : this.array(left, delta) };
  }

  object(left: unknown, delta: Record<string, unknown>): Record<string, unknown> {
    if (!isPlainObject(left)) this.refuse('an object to change (the delta is an object delta)', kindOf(left));
    // A spread defines every member, so a "__proto__" member of the document stays data.
    const out: Record<string, unknown> = { ...left };
    const before = Object.keys(left).length;
    let members = before;
    for (const key of Object.keys(delta)) {
      if (!deltaMayName(key)) this.refuse('a key a delta may name (a change under it is written as a whole document)', JSON.stringify(key), key);
      const had = Object.prototype.hasOwnProperty.call(out, key);
      this.at.push(key);
      const next = this.change(had ? out[key] : undefined, had, delta[key]);
      this.at.pop();
      if (next === undefined) {
        delete out[key];
        members--;
        this.grew -= stringSize(key) + 1;
      } else {
        out[key] = next.value;
        if (!had) {
          members++;
          this.grew += stringSize(key) + 1;
        }
      }
    }
    this.grew += commas(members) - commas(before);
    return out;
  }

  array(left: unknown, delta: Record<string, unknown>): unknown[] {
    if (delta._t !== 'a') this.refuse('"a" (an array delta)', shown(delta._t), '_t');
    if (!Array.isArray(left)) this.refuse('an array to change (the delta is an array delta)', kindOf(left));
    // As the store applies them: removals at the old indexes, then insertions at the new ones, then changes.
    let removals: number[] | undefined;
    let inserts: [number, unknown][] | undefined;
    const changes: [number, unknown, string][] = [];
    for (const key of Object.keys(delta)) {
      if (key === '_t') continue;
      const removal = key.charCodeAt(0) === 95;
      const digits = removal ? key.slice(1) : key;
      if (!INDEX.test(digits)) this.refuse('an array index ("3", or "_3" to remove)', JSON.stringify(key), key);
      const i = Number(digits);
      const v = delta[key];
      if (removal) {
        if (!Array.isArray(v) || v.length !== 3 || v[0] !== 0 || v[1] !== 0 || v[2] !== 0) this.refuse('[0, 0, 0] (a removal)', shown(v), key);
        if (i >= left.length) this.refuse(`an index below ${left.length}, the array's length`, String(i), key);
        (removals ??= []).push(i);
        this.grew -= jsonSize(left[i]);
      } else if (Array.isArray(v) && v.length === 1) (inserts ??= []).push([i, v[0]]);
      else if ((Array.isArray(v) && v.length === 2 && v[0] === 0) || isPlainObject(v)) changes.push([i, v, key]);
      else this.refuse('[new], [0, new] or a delta of the item', shown(v), key);
    }
    const out =
      removals || inserts
        ? spliceAll(left, removals ?? [], inserts ?? [], (i, length) => this.refuse(`an index at most ${length}, the array's length there`, String(i), String(i)))
        : left.slice();
    if (inserts) for (const [, v] of inserts) this.grew += jsonSize(v);
    for (const [i, v, key] of changes) {
      if (i >= out.length) this.refuse(`an index below ${out.length}, the array's length there`, String(i), key);
      this.at.push(key);
      out[i] = this.change(out[i], true, v)!.value;
      this.at.pop();
    }
    this.grew += commas(out.length) - commas(left.length);
    return out;
  }
}

/**
 * The document `delta` turns `previous` into, and by how many bytes its JSON grew; `previous` is left as it was.
 * Throws a DeltaRefusal.
 */
export function applyDeltaLine(previous: Record<string, unknown>, delta: Record<string, unknown>): { doc: Record<string, unknown>; grew: number } {
  if (delta._t !== undefined) throw new DeltaRefusal('_t', 'an object delta (the document is an object)', shown(delta._t));
  const apply = new Apply();
  const doc = apply.object(previous, delta);
  return { doc, grew: apply.grew };
}
