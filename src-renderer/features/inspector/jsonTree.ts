// The JSON tree's model: a document and the set of expanded paths flattened into the rows in view, each
// with its JSON pointer. Pure, so the tree can be virtualized and tested without a DOM.

export interface TreeRow {
  /** JSON pointer of the value ("" is the document itself). */
  path: string;
  /** Object key or array index; null for the root. */
  key: string | number | null;
  depth: number;
  value: unknown;
  expandable: boolean;
  expanded: boolean;
  /** Children count of an object or array. */
  size: number;
}

const escapeSegment = (key: string | number) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

export function childPath(parent: string, key: string | number): string {
  return `${parent}/${escapeSegment(key)}`;
}

function entriesOf(value: unknown): [string | number, unknown][] {
  if (Array.isArray(value)) return value.map((v, i) => [i, v]);
  if (value && typeof value === 'object') return Object.entries(value);
  return [];
}

const isContainer = (v: unknown): v is object => v !== null && typeof v === 'object';

/** Rows for the children of the root and, depth first, of every expanded path. */
export function flattenTree(root: unknown, expanded: ReadonlySet<string>): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (value: unknown, path: string, depth: number) => {
    for (const [key, child] of entriesOf(value)) {
      const p = childPath(path, key);
      const expandable = isContainer(child) && entriesOf(child).length > 0;
      const open = expandable && expanded.has(p);
      rows.push({ path: p, key, depth, value: child, expandable, expanded: open, size: isContainer(child) ? entriesOf(child).length : 0 });
      if (open) walk(child, p, depth + 1);
    }
  };
  walk(root, '', 0);
  return rows;
}

/** A one-line view of a value: primitives as JSON, containers as a short preview. */
export function previewValue(value: unknown, maxLength = 120): string {
  if (Array.isArray(value)) return value.length === 0 ? '[]' : `Array(${value.length})`;
  if (isContainer(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    const shown = keys.slice(0, 4).join(', ');
    return `{${shown}${keys.length > 4 ? ', …' : ''}}`;
  }
  const text = JSON.stringify(value) ?? String(value);
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

export function valueKind(value: unknown): 'string' | 'number' | 'literal' | 'container' {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (isContainer(value)) return 'container';
  return 'literal';
}

/** The value at a JSON pointer within a document. */
export function valueAtPath(root: unknown, path: string): unknown {
  if (path === '') return root;
  let node: unknown = root;
  for (const raw of path.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isContainer(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}
