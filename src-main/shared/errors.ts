// The one list of error codes, each with its kind. Errors carry a code a program can branch on and a message
// written for a person in words every shell can show; what a person can do about one in a shell's own terms
// (a CLI flag, a button) comes from its hints. Each shell maps a kind to its own form (exit code, HTTP status,
// a log line), so a new code has a kind by construction and never falls to a default.

/**
 * bad-input: the request itself is wrong (arguments, a body, a usage) · not-found: what it names does not exist ·
 * no-match: it was fine and matched nothing to do · conflict: the state of a run or of the data forbids it now ·
 * refused: not allowed from here or without a consent · unauthorized: no valid token · unprocessable: a file or
 * document that does not check out (an import) · too-large / timeout / busy: a request body over a limit, too slow,
 * or more than the server holds at once · internal: a fault on this side, or stored data this build cannot read.
 */
export type ErrorKind =
  | 'bad-input'
  | 'not-found'
  | 'no-match'
  | 'conflict'
  | 'refused'
  | 'unauthorized'
  | 'unprocessable'
  | 'too-large'
  | 'timeout'
  | 'busy'
  | 'internal';

/** Every error code, and its kind. */
export const ERROR_KINDS = {
  E_USAGE: 'bad-input',
  E_BAD_ARGUMENT: 'bad-input',
  E_BAD_CONFIG: 'bad-input',
  E_BAD_JSON: 'bad-input',
  E_BAD_PATH: 'bad-input',
  E_METHOD: 'bad-input',
  E_CONTENT_TYPE: 'bad-input',
  E_NEEDS_SIGNAL: 'bad-input',
  E_EXPORT_OUT: 'bad-input',
  E_NO_PATH: 'bad-input',
  E_AMBIGUOUS_ID: 'bad-input',
  E_DB_CONNECT: 'bad-input',
  E_UNKNOWN_METHOD: 'not-found',
  E_UNKNOWN_WORKFLOW: 'not-found',
  E_NO_RUN: 'not-found',
  E_NO_SNAPSHOT: 'not-found',
  E_NO_VERSION: 'not-found',
  E_NO_NAMED_SNAPSHOT: 'not-found',
  E_NOT_FOUND: 'not-found',
  E_NOTHING_TO_EXPORT: 'no-match',
  E_NOT_RUNNING: 'conflict',
  E_NOT_RESUMABLE: 'conflict',
  E_ALREADY_RUNNING: 'conflict',
  E_NOT_WAITING: 'conflict',
  E_SEQ_CONFLICT: 'conflict',
  E_REFUSED: 'refused',
  E_IMPORTED_RUN: 'refused',
  E_IMPORTED_CODE: 'refused',
  E_CONSENT_DECLINED: 'refused',
  E_DB_TOO_NEW: 'refused',
  E_DB_FOREIGN: 'refused',
  E_READ_ONLY: 'refused',
  E_HOST: 'refused',
  E_ORIGIN: 'refused',
  E_CROSS_SITE: 'refused',
  E_UNTRUSTED_SENDER: 'refused',
  E_TOKEN: 'unauthorized',
  E_IMPORT: 'unprocessable',
  E_BODY_TOO_LARGE: 'too-large',
  E_BODY_TIMEOUT: 'timeout',
  E_BUSY: 'busy',
  E_SNAPSHOT_CORRUPT: 'internal',
  E_SNAPSHOT_ENCODING: 'internal',
  E_SCHEMA_VERSION: 'internal',
  E_SCHEMA_TOO_NEW: 'internal',
  E_IPC: 'internal',
  E_INTERNAL: 'internal',
} as const satisfies Record<`E_${string}`, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_KINDS;

export function kindOf(code: ErrorCode): ErrorKind {
  return ERROR_KINDS[code];
}

/**
 * What a person can do about an error, named by the contract's terms; each shell words it its own way (the CLI
 * as `--version latest`, a window as its button). The message already says it in plain words.
 */
export type ErrorHint =
  /** Run with this workflow version instead (RetryOptions.version, ForkOptions.version). */
  | { use: 'version'; value: 'latest' | 'original' }
  /** Give the consent to run the code that came with an import (consentToImportedCode). */
  | { use: 'importedCodeConsent' }
  /** Name the format of the file (ImportOptions.format). */
  | { use: 'format' }
  /** Import fewer threads of a source (ImportOptions.threads). */
  | { use: 'threads' }
  /** Import only what a source holds since a time (ImportOptions.since). */
  | { use: 'since' };

export class StudioError extends Error {
  readonly code: ErrorCode;
  readonly hints: readonly ErrorHint[];
  constructor(code: ErrorCode, message: string, options: { hints?: readonly ErrorHint[] } = {}) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
    this.hints = options.hints ?? [];
  }
}

export function toErrorBody(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof StudioError) return { code: err.code, message: err.message };
  if (err instanceof Error) return { code: 'E_INTERNAL', message: err.message };
  return { code: 'E_INTERNAL', message: String(err) };
}
