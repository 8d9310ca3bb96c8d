// jsondiffpatch set up as Redux DevTools has it: array items matched by `id` (or `stepId`, `key`), so a
// moved item is a move and not a cascade of changes. Summaries list every changed path. Pure, so core and
// the renderer's diff worker share one setup.
import { create, type Delta } from 'jsondiffpatch';
import type { DiffSummary } from './api';

function objectHash(item: object, index?: number): string {
  const o = item as Record<string, unknown>;
  for (const key of ['id', 'stepId', 'key', 'name']) {
    if (typeof o[key] === 'string' || typeof o[key] === 'number') return `${key}:${String(o[key])}`;
  }
  return `$$index:${index}`;
}

/**
 * A differ that skips properties whose name matches one of `ignored` (volatile fields such as `at`);
 * a trailing `*` matches any ending ("duration*" skips durationMs).
 */
export function createDiffer(ignored: readonly string[] = []) {
  const exact = new Set(ignored.filter((n) => !n.endsWith('*')));
  const prefixes = ignored.filter((n) => n.endsWith('*')).map((n) => n.slice(0, -1));
  const keep = (name: string) => !exact.has(name) && !prefixes.some((p) => name.startsWith(p));
  return create({
    objectHash,
    arrays: { detectMove: true, includeValueOnMove: false },
    cloneDiffValues: false,
    ...(ignored.length > 0 ? { propertyFilter: (name: string) => keep(name) } : {}),
  });
}

export const differ = createDiffer();

export function diffValues(left: unknown, right: unknown): Delta {
  return differ.diff(left, right);
}

const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Walks a delta into the list of changed paths (JSON pointers) with counts by kind. */
export function summarizeDelta(delta: Delta): DiffSummary {
  const summary: DiffSummary = { added: 0, removed: 0, changed: 0, paths: [] };
  const visit = (d: unknown, path: string) => {
    if (Array.isArray(d)) {
      let op: DiffSummary['paths'][number]['op'];
      if (d.length === 1) op = 'added';
      else if (d.length === 2) op = 'changed';
      else if (d[2] === 0) op = 'removed';
      else if (d[2] === 2) op = 'changed';
      else op = 'moved';
      if (op === 'added') summary.added++;
      else if (op === 'removed') summary.removed++;
      else if (op === 'changed') summary.changed++;
      summary.paths.push({ path: path || '/', op });
      return;
    }
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
  return summary;
}
