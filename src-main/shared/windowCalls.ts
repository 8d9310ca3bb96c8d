// What a window may ask through the generic call (browser mode's /api/call, the desktop app's IPC channel): not the
// methods that name paths on this machine. Files reach the core from a window only as the person chose them — an
// upload or a download in the browser, a drop or a dialog on the desktop — never as a path a page writes.
import type { StudioMethod } from './api';

/** Why a window may not make this call, or null when it may. */
export function refusedFromWindow(method: StudioMethod | string, args: unknown): string | null {
  switch (method) {
    case 'exportRuns':
      return 'exportRuns writes a path on this machine, which a window may not name: use the window\'s Export (a download in the browser, a save dialog in the desktop app)';
    case 'importFiles':
      return 'importFiles reads paths on this machine, which a window may not name: use the window\'s Import… or drop a file';
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
