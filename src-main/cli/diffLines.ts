// A delta as a person reads it: one line per changed path, with the values before and after, cut to a line.
const escapePointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function shown(value: unknown, width = 100): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** `+ /path: new`, `- /path: old`, `~ /path: old => new`, `→ /path: moved to /path/N`, in the delta's order. */
export function changeLines(delta: unknown): string[] {
  const lines: string[] = [];
  const visit = (d: unknown, path: string) => {
    const at = path || '/';
    if (Array.isArray(d)) {
      if (d.length === 1) lines.push(`+ ${at}: ${shown(d[0])}`);
      else if (d.length === 2) lines.push(`~ ${at}: ${shown(d[0])} => ${shown(d[1])}`);
      else if (d[2] === 0) lines.push(`- ${at}: ${shown(d[0])}`);
      else if (d[2] === 2) lines.push(`~ ${at}: text changed`);
      else lines.push(`→ ${at}: moved to ${path.slice(0, path.lastIndexOf('/'))}/${String(d[1])}`);
      return;
    }
    if (d && typeof d === 'object') {
      const o = d as Record<string, unknown>;
      const isArray = o._t === 'a';
      for (const key of Object.keys(o)) {
        if (isArray && key === '_t') continue;
        visit(o[key], `${path}/${escapePointer(isArray && key.startsWith('_') ? key.slice(1) : key)}`);
      }
    }
  };
  if (delta !== undefined) visit(delta, '');
  return lines;
}
