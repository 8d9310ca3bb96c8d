// Errors that carry a code a program can branch on and a message written for a person.
export class StudioError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'StudioError';
    this.code = code;
  }
}

export function toErrorBody(err: unknown): { code: string; message: string } {
  if (err instanceof StudioError) return { code: err.code, message: err.message };
  if (err instanceof Error) return { code: 'E_INTERNAL', message: err.message };
  return { code: 'E_INTERNAL', message: String(err) };
}
