// Small parsers for CLI values: JSON given inline or as @file, and run:seq snapshot references.
import { readFileSync } from 'node:fs';
import { StudioError } from '../shared/errors';
import type { SnapshotRef } from '../shared/api';
import type { Json } from '../shared/snapshot';

export class UsageError extends StudioError {
  constructor(message: string) {
    super('E_USAGE', message);
  }
}

/** Parses `--flag JSON` or `--flag @file.json`, naming the flag (and file) when it is not JSON. */
export function parseJsonArg(flag: string, value: string | undefined): Json | undefined {
  if (value === undefined) return undefined;
  let text = value;
  let where = `--${flag}`;
  if (value.startsWith('@')) {
    const file = value.slice(1);
    where = `--${flag} ${file}`;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(`${where}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  try {
    return JSON.parse(text) as Json;
  } catch (err) {
    throw new UsageError(`${where}: not valid JSON (${(err as Error).message})`);
  }
}

/** Parses `runId:seq`. */
export function parseSnapshotRef(value: string | undefined, what: string): SnapshotRef {
  const m = /^(.+):(\d+)$/.exec(value ?? '');
  if (!m) throw new UsageError(`${what} must be <runId>:<seq>, e.g. mwq1x2-ab12cd:3; got ${JSON.stringify(value ?? '')}`);
  return { runId: m[1], seq: Number(m[2]) };
}
