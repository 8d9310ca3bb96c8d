// What a window may ask through the generic call (browser mode's /api/call, the desktop app's IPC channel): not the
// methods that name paths on this machine. Files reach the core from a window only as the person chose them — an
// upload or a download in the browser, a drop or a dialog on the desktop — never as a path a page writes. An
// import from a window names a production database by its postgres:// URL instead, read over the network
// (databaseUrls.ts says which URLs: no socket, no parameter that names a file).
import type { StudioMethod } from './api';
import { isPostgresUrl, windowDatabaseUrlProblem } from './databaseUrls';

/** Why a window's importFiles may not read its sources, or null when every one is a database URL a window may name. */
function importFromWindowProblem(args: unknown): string | null {
  const options = Array.isArray(args) ? (args[0] as { files?: unknown } | undefined) : undefined;
  const sources = options && typeof options === 'object' ? options.files : undefined;
  if (!Array.isArray(sources) || sources.length === 0) return 'importFiles from a window takes {"files": ["postgres://…"]}: the URL of a database';
  for (const source of sources as unknown[]) {
    if (typeof source !== 'string' || !isPostgresUrl(source)) {
      return 'importFiles reads paths on this machine, which a window may not name: use the window\'s Import… (a file you choose, or a postgres:// database URL) or drop a file';
    }
    const problem = windowDatabaseUrlProblem(source);
    if (problem) return `importFiles from a window: ${problem}`;
  }
  return null;
}

/** Why a window may not make this call, or null when it may. */
export function refusedFromWindow(method: StudioMethod | string, args: unknown): string | null {
  switch (method) {
    case 'exportRuns':
      return 'exportRuns writes a path on this machine, which a window may not name: use the window\'s Export (a download in the browser, a save dialog in the desktop app)';
    case 'importFiles':
      return importFromWindowProblem(args);
    case 'replay': {
      const options = Array.isArray(args) ? (args[0] as { files?: unknown } | undefined) : undefined;
      return options && typeof options === 'object' && options.files !== undefined
        ? 'replay of files reads paths on this machine, which a window may not name: import the file first, then replay its runs by id'
        : null;
    }
    default:
      return null;
  }
}
