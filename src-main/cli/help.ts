// --help: the list of commands and each command's options. Usages longer than the column put their summary on the
// next line, at the same column, so the summaries stay aligned whatever the longest usage.
import type { Command } from './command';

const COMMON_HELP = `  --db PATH|URL    SQLite file, or a postgres:// URL (default $SNAPSHOT_STUDIO_DB, else ./.snapshot-studio/studio.db)
  --workspace DIR  folder of *.workflow.ts files (default: the bundled examples)
  --read-only      open the database read-only: reads answer, anything that would write is refused (E_READ_ONLY)
  --json           print exactly one JSON document on stdout (an error too: {"error": {"code", "message"}})
  -h, --help       this help`;

/** The widest usage that keeps its summary on its own line. */
const USAGE_COLUMN = 44;

/** Two columns: each summary starts at the same column; a usage too long for it has its summary on the next line. */
export function twoColumns(rows: [string, string][], indent = '  '): string {
  const width = Math.min(USAGE_COLUMN, Math.max(...rows.map(([left]) => left.length)));
  const pad = ' '.repeat(indent.length + width + 2);
  return rows
    .map(([left, right]) => (left.length <= width ? `${indent}${left.padEnd(width)}  ${right}` : `${indent}${left}\n${pad}${right}`))
    .join('\n');
}

export function globalHelp(commands: Record<string, Command>): string {
  const rows = Object.values(commands).map((c): [string, string] => [c.usage, c.summary]);
  return `snapshot-studio: debug workflow runs from their snapshots\n\nUsage: snapshot-studio <command> [options]\n\nCommands:\n${twoColumns(rows)}\n\nOptions of every command:\n${COMMON_HELP}\n\nA run id may be shortened to any prefix that starts no other run's id.\n`;
}

export function commandHelp(c: Command): string {
  return `Usage: snapshot-studio ${c.usage} [options]\n\n${c.summary}\n\nOptions:\n${c.optionsHelp ? `${c.optionsHelp}\n` : ''}${COMMON_HELP}\n`;
}
