// The delta from one snapshot document to the next, in jsondiffpatch's delta format with the old values
// dropped (what jsondiffpatch's patch applies), built by walking only what changed: consecutive snapshots
// share every untouched object with the snapshot before them (the scheduler copies on write and the state
// arrives as patches), so a subtree that is the same object on both sides is skipped without a look inside.
// Costs the changed paths and the width of the containers on them, where a general diff costs the document.
import { jsonSize, stringSize } from './jsonSize';

/** A forward-only jsondiffpatch delta: `[new]` added, `[0, new]` replaced, `[0, 0, 0]` removed, or nested. */
export type ForwardDelta = Record<string, unknown>;

// Keys a delta cannot name: every member of Object.prototype (constructor, toString, __proto__, …) and
// `prototype`, which jsondiffpatch's patch skips or would reach through to the prototype, and `_t`, which
// marks an array's delta.
const PROTO_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype', '_t']);

/** Whether forwardDelta ever writes `key` as an object member's name (a change under any other is stored whole). */
export const deltaMayName = (key: string) => !PROTO_KEYS.has(key);

/** Thrown inside the walk when the delta would have to name a key such as `__proto__`. */
const CANNOT = Symbol('cannot');

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
};

/** What JSON keeps of a member: undefined and functions are dropped, as JSON.stringify drops them. */
const absent = (v: unknown) => v === undefined || typeof v === 'function';

/** The JSON size of a member as it is stored (undefined and functions in an array are null). */
const itemSize = (v: unknown) => (absent(v) ? 4 : jsonSize(v));

/**
 * The walk of one pair of documents: the delta, and by how many bytes the JSON text grew, counted from the
 * changed values only, so the store knows every snapshot's size without measuring the whole document.
 */
class Walk {
  grew = 0;

  /** `measure`: count `grew` (a writer that only wants the delta, the exporter, saves measuring values). */
  constructor(private readonly measure: boolean) {}

  /** The delta of one changed value (`a !== b`), or undefined when they are equal as JSON. */
  value(a: unknown, b: unknown): unknown {
    if (Array.isArray(a) && Array.isArray(b)) return this.array(a, b);
    if (isPlainObject(a) && isPlainObject(b)) return this.object(a, b);
    if (typeof a !== 'object' && typeof b !== 'object' && Object.is(a, b)) return undefined;
    if (this.measure) this.grew += jsonSize(b) - jsonSize(a);
    return [0, b];
  }

  object(a: Record<string, unknown>, b: Record<string, unknown>): ForwardDelta | undefined {
    let out: ForwardDelta | undefined;
    // Members JSON keeps on each side, for the commas between them.
    let countA = 0;
    let countB = 0;
    for (const key in b) {
      if (!Object.prototype.hasOwnProperty.call(b, key)) continue;
      const bv = b[key];
      const had = Object.prototype.hasOwnProperty.call(a, key) && !absent(a[key]);
      if (had) countA++;
      if (!absent(bv)) countB++;
      const av = had ? a[key] : undefined;
      if (av === bv) continue;
      let d: unknown;
      if (absent(bv)) {
        if (!had) continue;
        d = [0, 0, 0];
        if (this.measure) this.grew -= stringSize(key) + 1 + jsonSize(av);
      } else if (had) d = this.value(av, bv);
      else {
        d = [bv];
        if (this.measure) this.grew += stringSize(key) + 1 + jsonSize(bv);
      }
      if (d === undefined) continue;
      if (PROTO_KEYS.has(key)) throw CANNOT;
      (out ??= {})[key] = d;
    }
    for (const key in a) {
      if (!Object.prototype.hasOwnProperty.call(a, key) || Object.prototype.hasOwnProperty.call(b, key) || absent(a[key])) continue;
      countA++;
      if (PROTO_KEYS.has(key)) throw CANNOT;
      (out ??= {})[key] = [0, 0, 0];
      if (this.measure) this.grew -= stringSize(key) + 1 + jsonSize(a[key]);
    }
    this.grew += Math.max(0, countB - 1) - Math.max(0, countA - 1);
    return out;
  }

  /**
   * Items shared by both arrays at their start and their end are skipped; in between, items at the same
   * position are compared (a nested delta), and the rest are removed or inserted. An item inserted into or
   * removed from a list the engine copied on write costs that one item, not a rewrite of every later one.
   */
  array(a: unknown[], b: unknown[]): ForwardDelta | undefined {
    let head = 0;
    const common = Math.min(a.length, b.length);
    while (head < common && a[head] === b[head]) head++;
    let tail = 0;
    while (tail < common - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
    const aEnd = a.length - tail;
    const bEnd = b.length - tail;
    const paired = Math.min(aEnd, bEnd);
    let out: ForwardDelta | undefined;
    // jsondiffpatch's patch removes (old indexes) first, then inserts (new indexes), then changes (new
    // indexes): items before `paired` keep their index through the first two.
    for (let i = head; i < paired; i++) {
      const av = a[i];
      const bv = b[i];
      if (av === bv) continue;
      // As JSON, an undefined or function item is null.
      const d = this.value(absent(av) ? null : av, absent(bv) ? null : bv);
      if (d !== undefined) (out ??= { _t: 'a' })[i] = d;
    }
    for (let i = paired; i < aEnd; i++) {
      (out ??= { _t: 'a' })[`_${i}`] = [0, 0, 0];
      if (this.measure) this.grew -= itemSize(a[i]);
    }
    for (let i = paired; i < bEnd; i++) {
      (out ??= { _t: 'a' })[i] = [absent(b[i]) ? null : b[i]];
      if (this.measure) this.grew += itemSize(b[i]);
    }
    this.grew += Math.max(0, b.length - 1) - Math.max(0, a.length - 1);
    return out;
  }
}

/**
 * The delta that turns `previous` into `doc` as JSON (`{}` when nothing changed) and how many bytes longer
 * doc's JSON text is than previous's, or undefined when a delta cannot carry the change: jsondiffpatch's
 * patch skips keys such as `constructor` or `__proto__`, so a change under such a key is stored whole by
 * the caller. With `measure` false, `grew` means nothing: only the delta is wanted, and values are not measured.
 */
export function forwardDelta(previous: Record<string, unknown>, doc: Record<string, unknown>, measure = true): { delta: ForwardDelta; grew: number } | undefined {
  const walk = new Walk(measure);
  try {
    const delta = previous === doc ? {} : (walk.object(previous, doc) ?? {});
    return { delta, grew: walk.grew };
  } catch (err) {
    if (err === CANNOT) return undefined;
    throw err;
  }
}

// --- reading ---

const UNSAFE = new Set(['__proto__', 'constructor', 'prototype']);

/** Whether a delta holds only what forwardDelta writes (what jsondiffpatch wrote with moves off, too). */
function isForward(delta: unknown): boolean {
  if (Array.isArray(delta)) return delta.length === 1 || delta.length === 2 || (delta.length === 3 && delta[2] === 0);
  if (delta === null || typeof delta !== 'object') return false;
  const d = delta as Record<string, unknown>;
  if (d._t === 'a') {
    for (const key in d) {
      if (key === '_t') continue;
      const v = d[key];
      if (key[0] === '_') {
        if (!Array.isArray(v) || v.length !== 3 || v[2] !== 0) return false;
      } else if (!/^\d+$/.test(key) || (Array.isArray(v) && v.length === 3) || !isForward(v)) return false;
    }
    return true;
  }
  if (d._t !== undefined) return false;
  for (const key in d) if (!isForward(d[key])) return false;
  return true;
}

/**
 * `list` with the items at the indexes `removals` taken out, then each of `inserts` ([index, item]) put in at
 * its index, lowest first, as jsondiffpatch's patch does with one splice each, but in one pass: a splice costs
 * the list's length, so a delta of many removals or insertions in a long list would cost their product. An
 * index past the end inserts at the end, as splice does, unless `pastEnd` refuses it (it is given the index and
 * the length there). `inserts` is sorted in place.
 */
export function spliceAll(list: readonly unknown[], removals: readonly number[], inserts: [number, unknown][], pastEnd?: (index: number, length: number) => void): unknown[] {
  const removed = new Set(removals);
  const kept = removed.size === 0 ? list : list.filter((_, i) => !removed.has(i));
  if (inserts.length === 0) return kept === list ? list.slice() : (kept as unknown[]);
  inserts.sort((a, b) => a[0] - b[0]);
  const out: unknown[] = [];
  let k = 0;
  for (const [index, item] of inserts) {
    while (out.length < index && k < kept.length) out.push(kept[k++]);
    if (out.length < index) pastEnd?.(index, out.length);
    out.push(item);
  }
  while (k < kept.length) out.push(kept[k++]);
  return out;
}

/** `copy`: leave `left` untouched, copying only the containers on the changed paths (the rest is shared). */
function patch(left: unknown, delta: unknown, copy: boolean): unknown {
  if (Array.isArray(delta)) return delta.length === 1 ? delta[0] : delta.length === 2 ? delta[1] : undefined;
  const d = delta as Record<string, unknown>;
  if (d._t === 'a') {
    if (!Array.isArray(left)) throw new Error('an array delta for something that is not an array');
    const list = copy ? left.slice() : left;
    // As jsondiffpatch's patch: removals at old indexes (last first), insertions at new indexes, then changes.
    const removals: number[] = [];
    const inserts: [number, unknown][] = [];
    const changes: [number, unknown][] = [];
    for (const key in d) {
      if (key === '_t') continue;
      const v = d[key];
      if (key[0] === '_') removals.push(Number(key.slice(1)));
      else if ((v as unknown[]).length === 1) inserts.push([Number(key), (v as unknown[])[0]]);
      else changes.push([Number(key), v]);
    }
    const out = removals.length > 0 || inserts.length > 0 ? spliceAll(list, removals, inserts) : list;
    for (const [i, v] of changes) out[i] = patch(out[i], v, copy);
    return out;
  }
  if (left === null || typeof left !== 'object') throw new Error('an object delta for something that is not an object');
  // A spread defines each member, so a "__proto__" member of the document stays data.
  const target = copy ? { ...(left as Record<string, unknown>) } : (left as Record<string, unknown>);
  for (const key in d) {
    // Never written; skipped as jsondiffpatch's patch skips them.
    if (UNSAFE.has(key)) continue;
    const had = Object.prototype.hasOwnProperty.call(target, key);
    const value = patch(had ? target[key] : undefined, d[key], copy);
    if (value === undefined) {
      if (had) delete target[key];
    } else target[key] = value;
  }
  return target;
}

/**
 * Applies a forward delta to a document (in place: the reader's own freshly parsed copy) and gives the
 * result, as jsondiffpatch's patch would at a fraction of its cost; undefined, with the document untouched,
 * when the delta holds anything else (a move, a text diff), which the caller leaves to jsondiffpatch.
 */
export function applyForwardDelta(doc: unknown, delta: unknown): { value: unknown } | undefined {
  return isForward(delta) ? { value: patch(doc, delta, false) } : undefined;
}

/**
 * As applyForwardDelta, leaving `doc` as it was: the result is a new document sharing every part the delta
 * does not touch with `doc`, so a run's consecutive documents cost their changes, not copies.
 */
export function applyForwardDeltaShared(doc: unknown, delta: unknown): { value: unknown } | undefined {
  return isForward(delta) ? { value: patch(doc, delta, true) } : undefined;
}
