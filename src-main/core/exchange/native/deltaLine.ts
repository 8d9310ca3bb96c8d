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
import { kindOf, shown } from '../untrustedInput';
import { isRecord } from './quickCheck';

/** Why a delta does not apply, and where inside it (a dotted path; '' for the delta itself). */
export class DeltaRefusal {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly got: string,
  ) {}
}

const WHAT = 'a delta: [new], [0, new], [0, 0, 0], or an object of them';

/** The commas between `n` members or items. */
const commas = (n: number) => (n > 1 ? n - 1 : 0);

/** An array index a delta may name: at most nine digits, no leading zero (the exporter writes only these too). */
export const DELTA_INDEX = /^(0|[1-9]\d{0,8})$/;

/** The bytes of a value's JSON text: a number or a short string (what a delta mostly holds) without a walk. */
function sizeOf(v: unknown): number {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v).length : 4;
  if (typeof v === 'string') return stringSize(v);
  return jsonSize(v);
}

/** One object or array to change: its new copy (already in its parent), what changes it, and where it is. */
interface Frame {
  out: Record<string, unknown> | unknown[];
  left: Record<string, unknown> | unknown[];
  delta: Record<string, unknown>;
  parent: Frame | undefined;
  key: string;
}

/** The dotted path to `key` of `frame` (for a refusal). */
function pathOf(frame: Frame | undefined, key?: string): string {
  const keys: string[] = key === undefined ? [] : [key];
  for (let f = frame; f?.parent; f = f.parent) keys.unshift(f.key);
  return keys.join('.');
}

function refuse(frame: Frame | undefined, expected: string, got: string, key?: string): never {
  throw new DeltaRefusal(pathOf(frame, key), expected, got);
}

/**
 * One delta's application, as a walk over a stack of frames rather than a recursion: each object or array
 * the delta changes is copied once and changed in place. `grew` is by how many bytes the JSON text grew.
 */
class Apply {
  grew = 0;
  private readonly frames: Frame[] = [];

  /** The new value of a member or item: a leaf's, or a copy of `left` whose changes are queued. */
  private value(frame: Frame, key: string, left: unknown, had: boolean, delta: unknown): { value: unknown } | undefined {
    if (Array.isArray(delta)) {
      // [new], or [0, new]: the old value is left out (a delta carrying one would store it for nothing).
      if (delta.length === 1 || (delta.length === 2 && delta[0] === 0)) {
        const value = delta[delta.length - 1] as unknown;
        this.grew += sizeOf(value) - (had ? sizeOf(left) : 0);
        return { value };
      }
      if (delta.length !== 3 || delta[0] !== 0 || delta[1] !== 0 || delta[2] !== 0) refuse(frame, WHAT, shown(delta), key);
      if (!had) refuse(frame, 'a member that is there to remove', 'nothing there', key);
      this.grew -= sizeOf(left);
      return undefined;
    }
    if (!isRecord(delta)) refuse(frame, WHAT, shown(delta), key);
    if (!had) refuse(frame, 'a member that is there to change', 'nothing there', key);
    return { value: this.open(frame, key, left, delta) };
  }

  /** A copy of `left` for `delta` to change, queued; refuses a delta of the wrong kind for it. */
  open(parent: Frame | undefined, key: string, left: unknown, delta: Record<string, unknown>): Record<string, unknown> | unknown[] {
    let out: Record<string, unknown> | unknown[];
    if (delta._t === undefined) {
      if (!isRecord(left)) refuse(parent, 'an object to change (the delta is an object delta)', kindOf(left), parent ? key : undefined);
      // A spread defines every member, so a "__proto__" member of the document stays data.
      out = { ...left };
    } else {
      if (delta._t !== 'a') refuse(parent, '"a" (an array delta)', shown(delta._t), parent ? `${key}._t` : '_t');
      if (!Array.isArray(left)) refuse(parent, 'an array to change (the delta is an array delta)', kindOf(left), parent ? key : undefined);
      out = left;
    }
    this.frames.push({ out, left: left as Record<string, unknown> | unknown[], delta, parent, key });
    return out;
  }

  /** Applies the queued frames until none is left; gives the root's copy. */
  run(): void {
    for (let frame = this.frames.pop(); frame; frame = this.frames.pop()) {
      if (Array.isArray(frame.left)) this.array(frame);
      else this.object(frame);
    }
  }

  private object(frame: Frame): void {
    const out = frame.out as Record<string, unknown>;
    const delta = frame.delta;
    const before = Object.keys(frame.left).length;
    let members = before;
    for (const key of Object.keys(delta)) {
      if (!deltaMayName(key)) refuse(frame, 'a key a delta may name (a change under it is written as a whole document)', JSON.stringify(key), key);
      const had = Object.prototype.hasOwnProperty.call(out, key);
      const next = this.value(frame, key, had ? out[key] : undefined, had, delta[key]);
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
  }

  /** A removal `_<index>` of `left`: its index, checked. */
  private removal(frame: Frame, left: unknown[], key: string): number {
    const digits = key.slice(1);
    if (!DELTA_INDEX.test(digits)) refuse(frame, 'an array index ("3", or "_3" to remove)', JSON.stringify(key), key);
    const i = Number(digits);
    const v = frame.delta[key];
    if (!Array.isArray(v) || v.length !== 3 || v[0] !== 0 || v[1] !== 0 || v[2] !== 0) refuse(frame, '[0, 0, 0] (a removal)', shown(v), key);
    if (i >= left.length) refuse(frame, `an index below ${left.length}, the array's length`, String(i), key);
    this.grew -= sizeOf(left[i]);
    return i;
  }

  /** `left` with its removals and insertions made (rarer than changes in place: a method of their own). */
  private spliced(frame: Frame, left: unknown[], removals: number[], inserts: [number, unknown][]): unknown[] {
    for (const [, v] of inserts) this.grew += sizeOf(v);
    return spliceAll(left, removals, inserts, (i, length) => refuse(frame, `an index at most ${length}, the array's length there`, String(i), String(i)));
  }

  private array(frame: Frame): void {
    const left = frame.left as unknown[];
    const delta = frame.delta;
    // As the store applies them: removals at the old indexes, then insertions at the new ones, then changes.
    let removals: number[] | undefined;
    let inserts: [number, unknown][] | undefined;
    const changes: [number, unknown, string][] = [];
    for (const key of Object.keys(delta)) {
      if (key === '_t') continue;
      if (key.charCodeAt(0) === 95) {
        (removals ??= []).push(this.removal(frame, left, key));
        continue;
      }
      if (!DELTA_INDEX.test(key)) refuse(frame, 'an array index ("3", or "_3" to remove)', JSON.stringify(key), key);
      const v = delta[key];
      if (Array.isArray(v) && v.length === 1) (inserts ??= []).push([Number(key), v[0]]);
      else if ((Array.isArray(v) && v.length === 2 && v[0] === 0) || isRecord(v)) changes.push([Number(key), v, key]);
      else refuse(frame, '[new], [0, new] or a delta of the item', shown(v), key);
    }
    const out = removals || inserts ? this.spliced(frame, left, removals ?? [], inserts ?? []) : left.slice();
    for (const [i, v, key] of changes) {
      if (i >= out.length) refuse(frame, `an index below ${out.length}, the array's length there`, String(i), key);
      out[i] = this.value(frame, key, out[i], true, v)!.value;
    }
    this.grew += commas(out.length) - commas(left.length);
    // The copy made when the frame was opened was the array itself: put the new one where it goes.
    if (frame.parent) (frame.parent.out as Record<string, unknown>)[frame.key] = out;
    frame.out = out;
  }
}

/**
 * The document `delta` turns `previous` into, and by how many bytes its JSON grew; `previous` is left as it was.
 * Throws a DeltaRefusal.
 */
export function applyDeltaLine(previous: Record<string, unknown>, delta: Record<string, unknown>): { doc: Record<string, unknown>; grew: number } {
  if (delta._t !== undefined) throw new DeltaRefusal('_t', 'an object delta (the document is an object)', shown(delta._t));
  const apply = new Apply();
  const doc = apply.open(undefined, '', previous, delta) as Record<string, unknown>;
  apply.run();
  return { doc, grew: apply.grew };
}
