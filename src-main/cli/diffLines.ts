// A delta as a person reads it: one line per changed path, with the values before and after, cut to a line.
import type { Delta } from 'jsondiffpatch';
import { changeOp, forEachChange } from '../shared/differ';

function shown(value: unknown, width = 100): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** `+ /path: new`, `- /path: old`, `~ /path: old => new`, `→ /path: moved to /path/N`, in the delta's order. */
export function changeLines(delta: Delta): string[] {
  const lines: string[] = [];
  forEachChange(delta, (path, leaf) => {
    const at = path || '/';
    const op = changeOp(leaf);
    if (op === 'added') lines.push(`+ ${at}: ${shown(leaf[0])}`);
    else if (op === 'removed') lines.push(`- ${at}: ${shown(leaf[0])}`);
    else if (op === 'moved') lines.push(`→ ${at}: moved to ${path.slice(0, path.lastIndexOf('/'))}/${String(leaf[1])}`);
    else lines.push(leaf.length === 2 ? `~ ${at}: ${shown(leaf[0])} => ${shown(leaf[1])}` : `~ ${at}: text changed`);
  });
  return lines;
}
