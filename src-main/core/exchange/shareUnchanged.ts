// Gives an imported snapshot back the structural sharing the engine's snapshots had: every part equal to
// the previous snapshot of the run (same keys in the same order, same values) becomes that snapshot's own
// object. Parsed from text, consecutive documents share nothing, so the store's delta encoding, its JSON
// size and its prototype-key check would walk every document whole; with the unchanged parts shared they
// stop at them (identity), as they do for the engine's writes.

/**
 * `next` with each part equal to `previous`'s at the same path replaced by `previous`'s object (key order
 * counts: it is part of the stored text); `previous` itself when the two are equal. `next` is changed in
 * place. Neither may change afterwards: they share objects, and the store caches facts about objects.
 */
export function shareUnchanged<T>(previous: unknown, next: T): T {
  if (previous === next || previous === null || next === null || typeof previous !== 'object' || typeof next !== 'object') return next;
  if (Array.isArray(next)) {
    if (!Array.isArray(previous)) return next;
    let same = previous.length === next.length;
    for (let i = 0; i < next.length && i < previous.length; i++) {
      const shared: unknown = shareUnchanged(previous[i], next[i]);
      next[i] = shared;
      if (shared !== previous[i]) same = false;
    }
    return same ? (previous as T) : next;
  }
  if (Array.isArray(previous)) return next;
  const prev = previous as Record<string, unknown>;
  const out = next as Record<string, unknown>;
  const prevKeys = Object.keys(prev);
  const keys = Object.keys(out);
  let same = prevKeys.length === keys.length;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (prevKeys[i] !== key) same = false;
    // Assigning "__proto__" would set the prototype, not the member: that member keeps its own object (it is data, kept as it came).
    if (key === '__proto__' || !Object.prototype.hasOwnProperty.call(prev, key)) {
      same = false;
      continue;
    }
    const shared = shareUnchanged(prev[key], out[key]);
    out[key] = shared;
    if (shared !== prev[key]) same = false;
  }
  return same ? (previous as T) : next;
}
