// How an error leaves the CLI: an exit code by its kind, one stderr line with its hints worded as this shell's
// flags, and (with --json) the same as a JSON document.
import { kindOf, StudioError, toErrorBody, type ErrorHint, type ErrorKind } from '../shared/errors';

/** 2: something the person can fix in the command (README: "bad usage or bad input"); 1: the rest, as a failed run. */
const EXIT_BY_KIND: Record<ErrorKind, 1 | 2> = {
  'bad-input': 2,
  'not-found': 2,
  conflict: 2,
  refused: 2,
  unauthorized: 2,
  unprocessable: 2,
  'too-large': 2,
  'no-match': 1,
  timeout: 1,
  busy: 1,
  internal: 1,
};

/** A hint in this shell's words: the flag that does it. */
const HINT_WORDS: { [U in ErrorHint['use']]: (hint: Extract<ErrorHint, { use: U }>) => string } = {
  version: (h) => `--version ${h.value}`,
  importedCodeConsent: () => '--allow-imported-code',
  format: () => '--format NAME',
  threads: () => '--thread ID',
  since: () => '--since DATE',
};

const hintWords = (h: ErrorHint) => (HINT_WORDS[h.use] as (hint: ErrorHint) => string)(h);

/** The error's message (its first line) with its hints as flags: what the CLI prints. */
export function errorLine(err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  const hints = err instanceof StudioError ? err.hints.map(hintWords) : [];
  return hints.length ? `${message} (use ${hints.join(' or ')})` : message;
}

export function errorBody(err: unknown): { code: string; message: string } {
  return { code: toErrorBody(err).code, message: errorLine(err) };
}

export function exitCodeOf(err: unknown): number {
  return err instanceof StudioError ? EXIT_BY_KIND[kindOf(err.code)] : 1;
}
