// The size in bytes of a value's JSON text, without writing the text. The store measures only what changed
// between two snapshots with it (forwardDelta adds up the difference), never a whole document.

export function stringSize(s: string): number {
  // Plain ASCII without characters JSON escapes is the common case: its size is its length plus quotes.
  if (/^[\x20-\x21\x23-\x5b\x5d-\x7e]*$/.test(s)) return s.length + 2;
  return Buffer.byteLength(JSON.stringify(s), 'utf8');
}

export function jsonSize(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return stringSize(value);
    case 'number':
      return Number.isFinite(value) ? String(value).length : 4;
    case 'boolean':
      return value ? 4 : 5;
    case 'object': {
      if (value === null) return 4;
      let size = 2;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item = value[i] as unknown;
          size += (i > 0 ? 1 : 0) + (item === undefined || typeof item === 'function' ? 4 : jsonSize(item));
        }
      } else {
        let first = true;
        for (const key of Object.keys(value)) {
          const item = (value as Record<string, unknown>)[key];
          if (item === undefined || typeof item === 'function') continue;
          size += (first ? 0 : 1) + stringSize(key) + 1 + jsonSize(item);
          first = false;
        }
      }
      return size;
    }
    default:
      return 0;
  }
}
