// A step's changes to the state arrive as patches (paths from the state's root, recorded by Immer in the
// worker) and are applied to the run's current state, sharing every untouched part with it. Parallel
// steps each start from the state as it was when they started; a path two of them both changed ends with
// the value of the step that completed last. A patch whose path no longer exists (another step removed
// its parent) is a conflict, reported with both paths.
import type { Json } from '../../shared/snapshot';
import type { StatePatch } from './stepWorker';

export class StateConflictError extends Error {
  constructor(readonly path: string, cause: string) {
    super(`the step changed state${path}, which no longer exists in the run's state (another step changed it meanwhile): ${cause}`);
    this.name = 'StateConflictError';
  }
}

export function pointer(path: (string | number)[]): string {
  return path.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

type Container = Record<string, Json> | Json[];

const isContainer = (v: unknown): v is Container => v !== null && typeof v === 'object';

// As Immer refuses them: a path must not go through a key that reaches an object's prototype.
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Applies Immer's patches (add, replace, remove; `-` appends to an array) to a copy of `current`: every
 * object on a changed path is copied once, everything else is shared with `current`, which is left as it
 * was. Immer's applyPatches does the same through drafts, at several times the cost on every step.
 */
export function applyStatePatches(current: Record<string, Json>, patches: StatePatch[]): Record<string, Json> {
  if (patches.length === 0) return current;
  const copies = new Set<object>();
  const copyOf = (v: Container): Container => {
    if (copies.has(v)) return v;
    const copy = Array.isArray(v) ? v.slice() : { ...v };
    copies.add(copy);
    return copy;
  };
  let root: Json = current;
  for (const patch of patches) {
    const { path, op } = patch;
    const fail = (cause: string) => new StateConflictError(pointer(path), cause);
    if (path.length === 0) {
      if (op !== 'replace' || !isContainer(patch.value) || Array.isArray(patch.value)) throw fail('the state can only be replaced by an object');
      root = patch.value;
      continue;
    }
    if (!isContainer(root)) throw fail('the state is not an object');
    let parent = copyOf(root) as Record<string, Json>;
    root = parent;
    for (let i = 0; i < path.length - 1; i++) {
      const key = String(path[i]);
      if (RESERVED.has(key)) throw fail(`the path goes through "${key}", which a patch may not change`);
      const child = Object.prototype.hasOwnProperty.call(parent, key) ? parent[key] : undefined;
      if (!isContainer(child)) throw fail(`nothing at ${pointer(path.slice(0, i + 1))} to change`);
      parent = parent[key] = copyOf(child) as Record<string, Json>;
    }
    const key = path[path.length - 1];
    if (Array.isArray(parent)) {
      const index = Number(key);
      if (op === 'add') {
        if (key === '-') parent.push(patch.value as Json);
        else parent.splice(index, 0, patch.value as Json);
      } else if (op === 'remove') parent.splice(index, 1);
      else parent[index] = patch.value as Json;
    } else if (op === 'remove') delete parent[key];
    // An own member even for "__proto__", as JSON.parse makes it: never the object's prototype.
    else if (key === '__proto__') Object.defineProperty(parent, key, { value: patch.value as Json, writable: true, enumerable: true, configurable: true });
    else parent[key] = patch.value as Json;
  }
  return root as Record<string, Json>;
}
