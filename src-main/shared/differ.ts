// jsondiffpatch set up as Redux DevTools has it: array items matched by `id` (or `stepId`, `key`), so a
// moved item is a move and not a cascade of changes. Summaries list every changed path. Pure, so core and
// the renderer's diff worker share one setup.
//
// jsondiffpatch matches array items with an LCS whose time and memory grow with the product of the two
// lengths, which hangs on arrays of tens of thousands of items. Past LARGE_ARRAY_CELLS a filter of ours
// takes over: when every item has a unique key it aligns the two arrays by key with a map and a longest
// increasing subsequence (n log n; for unique keys the same alignment an LCS finds); otherwise it matches
// items by position and says so in a note.
import { create, type Delta, type DiffContext, type Filter } from 'jsondiffpatch';
import type { DiffSummary } from './api';

export function objectHash(item: object, index?: number): string {
  // jsondiffpatch asks for the hash of any item whose typeof is "object", null included.
  if (item === null) return `$$index:${index}`;
  const o = item as Record<string, unknown>;
  for (const key of ['id', 'stepId', 'key', 'name']) {
    if (typeof o[key] === 'string' || typeof o[key] === 'number') return `${key}:${String(o[key])}`;
  }
  return `$$index:${index}`;
}

/**
 * Arrays whose differing middles (after their common head and tail) would need an LCS table of more than
 * this many cells are aligned by our filter instead. Below it jsondiffpatch's output is kept exactly.
 */
export const LARGE_ARRAY_CELLS = 1_000_000;

const ARRAY_MOVE = 3;

/** The key an item is matched by, or undefined when it has none (an object without id, or a duplicate). */
function itemKey(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object') return `${typeof item}:${String(item)}`;
  const hash = objectHash(item);
  return hash.startsWith('$$index:') ? undefined : hash;
}

/** Keys of every item, or null when some item has none or two items share one. */
function uniqueKeys(items: readonly unknown[]): string[] | null {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    const key = itemKey(item);
    if (key === undefined || seen.has(key)) return null;
    seen.add(key);
    keys.push(key);
  }
  return keys;
}

/** Indexes (into `values`) of one longest strictly increasing subsequence, in order: patience sorting. */
export function longestIncreasing(values: readonly number[]): number[] {
  const tails: number[] = []; // tails[k]: index of the smallest tail of an increasing run of length k + 1
  const previous = new Array<number>(values.length).fill(-1);
  for (let i = 0; i < values.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (values[tails[mid]] < values[i]) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[i] = tails[lo - 1];
    tails[lo] = i;
  }
  const out: number[] = [];
  for (let i = tails.length ? tails[tails.length - 1] : -1; i !== -1; i = previous[i]) out.push(i);
  return out.reverse();
}

type ArrayDelta = { _t: 'a'; [index: string]: unknown };

/** Creates a filter for the diff pipe; `notes` collects what a person should know about how a diff was made. */
function largeArraysFilter(notes: string[]): Filter<DiffContext> {
  const filter: Filter<DiffContext> = (context) => {
    if (!context.leftIsArray || !Array.isArray(context.right)) return;
    const left = context.left as unknown[];
    const right = context.right as unknown[];
    const same = (a: unknown, b: unknown) => a === b || (itemKey(a) !== undefined && itemKey(a) === itemKey(b));
    let head = 0;
    while (head < left.length && head < right.length && same(left[head], right[head])) head++;
    let tail = 0;
    while (tail + head < left.length && tail + head < right.length && same(left[left.length - 1 - tail], right[right.length - 1 - tail])) tail++;
    const middle1 = left.length - head - tail;
    const middle2 = right.length - head - tail;
    if (middle1 * middle2 <= LARGE_ARRAY_CELLS) return; // jsondiffpatch's own matching, output as always

    const child = (l: unknown, r: unknown, index: number) => {
      const ChildContext = context.constructor as new (left: unknown, right: unknown) => DiffContext;
      context.push(new ChildContext(l, r), index);
    };
    for (let i = 0; i < head; i++) child(left[i], right[i], i);
    for (let t = 0; t < tail; t++) child(left[left.length - 1 - t], right[right.length - 1 - t], right.length - 1 - t);

    const result: ArrayDelta = { _t: 'a' };
    const keys1 = uniqueKeys(left.slice(head, head + middle1));
    const keys2 = uniqueKeys(right.slice(head, head + middle2));
    if (keys1 && keys2) {
      // Items of both sides, in right order, as their left positions: the longest increasing run stays put.
      const leftAt = new Map(keys1.map((key, i) => [key, i]));
      const common = keys2.flatMap((key, j) => (leftAt.has(key) ? [{ i: leftAt.get(key)!, j }] : []));
      const kept = longestIncreasing(common.map((c) => c.i)).map((k) => common[k]);
      const keptLeft = new Set(kept.map((c) => c.i));
      const keptRight = new Set(kept.map((c) => c.j));
      for (const { i, j } of kept) child(left[head + i], right[head + j], head + j);
      const rightAt = new Map(keys2.map((key, j) => [key, j]));
      for (let i = 0; i < middle1; i++) {
        if (keptLeft.has(i)) continue;
        const j = rightAt.get(keys1[i]);
        if (j === undefined) {
          result[`_${head + i}`] = [left[head + i], 0, 0];
        } else {
          // Moved: stored as [value left out, new position, 3], its own changes diffed at the new position.
          result[`_${head + i}`] = ['', head + j, ARRAY_MOVE];
          child(left[head + i], right[head + j], head + j);
        }
      }
      for (let j = 0; j < middle2; j++) {
        if (!keptRight.has(j) && !leftAt.has(keys2[j])) result[head + j] = [right[head + j]];
      }
    } else {
      for (let k = 0; k < Math.min(middle1, middle2); k++) child(left[head + k], right[head + k], head + k);
      for (let i = middle2; i < middle1; i++) result[`_${head + i}`] = [left[head + i], 0, 0];
      for (let j = middle1; j < middle2; j++) result[head + j] = [right[head + j]];
      notes.push(
        `An array of ${left.length.toLocaleString('en')} → ${right.length.toLocaleString('en')} items without a unique id on every item was compared by position: a moved or inserted item shows as changes of the items after it.`,
      );
    }
    context.setResult((Object.keys(result).length > 1 ? result : undefined) as Delta).exit();
  };
  filter.filterName = 'largeArrays';
  return filter;
}

/** A plain object or array: the only values whose equality unchangedPairs decides by their members. */
const isPlain = (v: object) => {
  if (Array.isArray(v)) return true;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/**
 * Every pair of plain objects or arrays at the same place in `left` and `right` (array items by position)
 * whose members are equal, ignoring properties `keep` refuses (none when it is undefined), as jsondiffpatch
 * compares them. One walk over
 * both documents: jsondiffpatch then skips such a pair at once instead of making a diff context for each of
 * its members, which is most of its time on a large document with few changes (two 5 MB snapshots).
 */
function unchangedPairs(left: unknown, right: unknown, keep: ((name: string) => boolean) | undefined): WeakMap<object, object> {
  const pairs = new WeakMap<object, object>();
  const equal = (a: unknown, b: unknown): boolean => {
    if (a === b) return true;
    if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || !isPlain(a) || !isPlain(b)) return false;
    let same = true;
    // Every member is visited even after a difference, so equal subtrees under a changed one are found too.
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b)) return false;
      if (a.length !== b.length) same = false;
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (!equal(a[i], b[i])) same = false;
    } else {
      const x = a as Record<string, unknown>;
      const y = b as Record<string, unknown>;
      const names = Object.keys(x);
      let kept = 0;
      for (const name of names) {
        if (keep && !keep(name)) continue;
        kept++;
        if (!Object.prototype.hasOwnProperty.call(y, name) || !equal(x[name], y[name])) same = false;
      }
      // Every kept name of x is in y: the same names when y has no other kept one.
      if (same) {
        const others = Object.keys(y);
        same = keep ? others.filter(keep).length === kept : others.length === kept;
      }
    }
    if (same) pairs.set(a, b);
    return same;
  };
  try {
    equal(left, right);
  } catch (err) {
    // Nesting deeper than the stack: jsondiffpatch (which does not recurse) compares it all, unhelped.
    if (!(err instanceof RangeError)) throw err;
  }
  return pairs;
}

/** Whether unchangedPairs found `left` and `right` equal (a missing value is never found, though get() says undefined). */
const foundEqual = (pairs: WeakMap<object, object>, left: unknown, right: unknown) =>
  left !== null && typeof left === 'object' && right !== null && typeof right === 'object' && pairs.get(left) === right;

/** Ends the diff of a pair unchangedPairs found equal, before jsondiffpatch looks at its members. */
function unchangedFilter(current: () => WeakMap<object, object> | undefined): Filter<DiffContext> {
  const filter: Filter<DiffContext> = (context) => {
    const pairs = current();
    if (pairs && foundEqual(pairs, context.left, context.right)) context.setResult(undefined).exit();
  };
  filter.filterName = 'unchanged';
  return filter;
}

/**
 * jsondiffpatch's own "objects" filter, but without a diff context for a member whose two values are the
 * same value or a pair unchangedPairs found equal: an object of 22,000 items of which 220 changed gets 220
 * contexts, not 22,000. Their results would be undefined, which the delta leaves out; the rest is as there.
 */
function objectsFilter(current: () => WeakMap<object, object> | undefined): Filter<DiffContext> {
  const filter: Filter<DiffContext> = (context) => {
    const unchanged = current();
    if (!unchanged || context.leftIsArray || context.leftType !== 'object') return;
    const left = context.left as Record<string, unknown>;
    const right = context.right as Record<string, unknown>;
    const propertyFilter = context.options?.propertyFilter;
    const same = (l: unknown, r: unknown) => l === r || foundEqual(unchanged, l, r);
    const ChildContext = context.constructor as new (left: unknown, right: unknown) => DiffContext;
    for (const name in left) {
      if (!Object.prototype.hasOwnProperty.call(left, name) || (propertyFilter && !propertyFilter(name, context))) continue;
      if (!same(left[name], right[name])) context.push(new ChildContext(left[name], right[name]), name);
    }
    for (const name in right) {
      if (!Object.prototype.hasOwnProperty.call(right, name) || (propertyFilter && !propertyFilter(name, context))) continue;
      if (typeof left[name] === 'undefined' && typeof right[name] !== 'undefined') context.push(new ChildContext(undefined, right[name]), name);
    }
    if (!context.children || context.children.length === 0) context.setResult(undefined);
    context.exit();
  };
  filter.filterName = 'objectsSkippingUnchanged';
  return filter;
}

const hasOwnProto = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, '__proto__');

/** The JSON pointer of the value a diff context compares, from the names of its parents. */
function pointerOf(context: DiffContext): string {
  const names: string[] = [];
  for (let c: DiffContext | undefined = context; c?.parent; c = c.parent as DiffContext | undefined) {
    names.unshift(String(c.childName ?? ''));
  }
  return names.map((n) => `/${n.replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/**
 * jsondiffpatch builds a delta by assignment, so a change under a member named "__proto__" (data, as JSON.parse
 * makes it) would vanish from the delta: it is said in a note instead, never dropped without a word.
 */
function protoMembersFilter(notes: string[]): Filter<DiffContext> {
  const filter: Filter<DiffContext> = (context) => {
    if (!hasOwnProto(context.left) && !hasOwnProto(context.right)) return;
    const value = (v: unknown) => (hasOwnProto(v) ? JSON.stringify(Object.getOwnPropertyDescriptor(v, '__proto__')!.value) : undefined);
    const [was, is] = [value(context.left), value(context.right)];
    if (was !== is) {
      notes.push(`${pointerOf(context)}/__proto__ (a member named "__proto__") changed: ${was ?? '(absent)'} → ${is ?? '(absent)'}; the tree cannot show a member of that name.`);
    }
  };
  filter.filterName = 'protoMembers';
  return filter;
}

/**
 * Fields that change on every snapshot (times, durations) and say nothing about what a step did: what the window's
 * Diff and the CLI's `diff` leave out unless asked. A trailing `*` matches any ending.
 */
export const VOLATILE_FIELDS: readonly string[] = ['at', 'startedAt', 'endedAt', 'since', 'duration*'];

/**
 * A differ that skips properties whose name matches one of `ignored` (volatile fields such as `at`);
 * a trailing `*` matches any ending ("duration*" skips durationMs).
 */
export function createDiffer(ignored: readonly string[] = []) {
  const exact = new Set(ignored.filter((n) => !n.endsWith('*')));
  const prefixes = ignored.filter((n) => n.endsWith('*')).map((n) => n.slice(0, -1));
  const kept = new Map<string, boolean>(); // names repeat in every item of a list: each is decided once
  const keep = (name: string) => {
    let yes = kept.get(name);
    if (yes === undefined) kept.set(name, (yes = !exact.has(name) && !prefixes.some((p) => name.startsWith(p))));
    return yes;
  };
  const instance = create({
    objectHash,
    arrays: { detectMove: true, includeValueOnMove: false },
    cloneDiffValues: false,
    ...(ignored.length > 0 ? { propertyFilter: (name: string) => keep(name) } : {}),
  });
  const notes: string[] = [];
  let unchanged: WeakMap<object, object> | undefined;
  instance.processor.pipes.diff.before('trivial', unchangedFilter(() => unchanged));
  instance.processor.pipes.diff.before('arrays', largeArraysFilter(notes));
  instance.processor.pipes.diff.before('objects', protoMembersFilter(notes));
  instance.processor.pipes.diff.before('objects', objectsFilter(() => unchanged));
  const diff = instance.diff.bind(instance);
  instance.diff = (left, right) => {
    unchanged = unchangedPairs(left, right, ignored.length > 0 ? keep : undefined);
    try {
      return diff(left, right);
    } finally {
      unchanged = undefined;
    }
  };
  return Object.assign(instance, {
    /** The delta, and notes on how it was made (e.g. a large array compared by position). */
    diffWithNotes(left: unknown, right: unknown): { delta: Delta; notes: string[] } {
      notes.length = 0;
      const delta = instance.diff(left, right);
      return { delta, notes: [...new Set(notes)] };
    },
  });
}

export const differ = createDiffer();

export function diffValues(left: unknown, right: unknown): Delta {
  return differ.diff(left, right);
}

/** The delta and the notes on how it was made, with the default differ. */
export function diffWithNotes(left: unknown, right: unknown): { delta: Delta; notes: string[] } {
  return differ.diffWithNotes(left, right);
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Calls `change` for every change in a delta, in document order: its JSON pointer ('' for the whole) and its
 * jsondiffpatch leaf — [new] added, [old, new] changed, [old, 0, 0] removed, [diff, 0, 2] text, ['', to, 3] moved.
 */
export function forEachChange(delta: Delta, change: (path: string, leaf: unknown[]) => void): void {
  const visit = (d: unknown, path: string) => {
    if (Array.isArray(d)) return change(path, d);
    if (d && typeof d === 'object') {
      const o = d as Record<string, unknown>;
      const isArray = o._t === 'a';
      for (const key of Object.keys(o)) {
        if (isArray && key === '_t') continue;
        const segment = isArray && key.startsWith('_') ? key.slice(1) : key;
        visit(o[key], `${path}/${escapePointer(segment)}`);
      }
    }
  };
  if (delta !== undefined) visit(delta, '');
}

/** What a delta's leaf does. */
export function changeOp(leaf: unknown[]): DiffSummary['paths'][number]['op'] {
  if (leaf.length === 1) return 'added';
  if (leaf.length === 2 || leaf[2] === 2) return 'changed';
  return leaf[2] === 0 ? 'removed' : 'moved';
}

/** Walks a delta into the list of changed paths (JSON pointers) with counts by kind. */
export function summarizeDelta(delta: Delta, notes: readonly string[] = []): DiffSummary {
  const summary: DiffSummary = { added: 0, removed: 0, changed: 0, paths: [] };
  if (notes.length > 0) summary.notes = [...notes];
  forEachChange(delta, (path, leaf) => {
    const op = changeOp(leaf);
    if (op === 'added') summary.added++;
    else if (op === 'removed') summary.removed++;
    else if (op === 'changed') summary.changed++;
    summary.paths.push({ path: path || '/', op });
  });
  return summary;
}
