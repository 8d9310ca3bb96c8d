// Plain-text tables and progress lines for people; --json output bypasses all of this.
import type { StudioEvent } from '../shared/api';

export function table(headers: string[], rows: (string | number | null | undefined)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

/** One stderr line for an import's progress: the file read so far, then the copy into the database. */
export function importProgressLine(e: Extract<StudioEvent, { type: 'import-progress' }>): string {
  if (e.phase === 'copying') {
    const total = e.totalSnapshots ?? e.snapshots;
    return `copying into the database: ${total ? Math.floor((e.snapshots / total) * 100) : 100}% (${e.snapshots} of ${total} snapshots)`;
  }
  return `importing ${e.file}: ${e.totalBytes ? Math.floor((e.bytesRead / e.totalBytes) * 100) : 0}% (${e.snapshots} snapshots)`;
}
