// The renderer's side of files in the desktop app (src-renderer/transport): the page hands the preload the File
// itself and the export options without a path; main's dialogs choose the paths. Errors keep their codes.
import { describe, expect, it, vi } from 'vitest';
import { pickTransport } from '../../src-renderer/transport/pickTransport';

function desktopWindow() {
  const studio = {
    listRuns: vi.fn(async () => []),
    subscribe: vi.fn(() => () => undefined),
    importGivenFile: vi.fn(async (_file: File, _format: string) => ({ runs: 1, snapshots: 2, skipped: 0 })),
    importWithDialog: vi.fn(async (_format: string): Promise<unknown> => null),
    exportWithDialog: vi.fn(async (_options: unknown, _name: string): Promise<unknown> => {
      throw new Error('E_BAD_ARGUMENT: exportRuns: options: say which runs: runIds, workflowId or since');
    }),
  };
  return { studio, win: { studio } as unknown as Window };
}

describe('files in the desktop app', () => {
  it('imports a dropped File by handing the File itself to the preload, never a path', async () => {
    const { studio, win } = desktopWindow();
    const choice = pickTransport(win);
    if (!('files' in choice)) throw new Error(choice.problem);
    const file = new File(['{}'], 'prod.ssx.ndjson');
    await expect(choice.files.importFile(file, 'auto')).resolves.toEqual({ runs: 1, snapshots: 2, skipped: 0 });
    expect(studio.importGivenFile).toHaveBeenCalledWith(file, 'auto');
    expect(choice.files.exportTo).toBe('save');
    // The main process asks before imported code runs (a native dialog): the window does not ask again.
    expect(choice.consentAskedBy).toBe('shell');
  });

  it("imports through main's open dialog, and exports through its save dialog with the options alone", async () => {
    const { studio, win } = desktopWindow();
    const choice = pickTransport(win);
    if (!('files' in choice)) throw new Error(choice.problem);
    await expect(choice.files.importWithDialog!('auto')).resolves.toBeNull();
    expect(studio.importWithDialog).toHaveBeenCalledWith('auto');
    await expect(choice.files.exportRuns({ runIds: ['r1'] }, 'r1.ssx.ndjson.gz')).rejects.toMatchObject({ name: 'ApiCallError', code: 'E_BAD_ARGUMENT' });
    expect(studio.exportWithDialog).toHaveBeenCalledWith({ runIds: ['r1'] }, 'r1.ssx.ndjson.gz');
  });
});
