// The one IPC channel, against a fake `electron` and a small fake StudioApi (the Electron boundary):
// only our windows' main frames are answered, only contract methods with valid arguments reach the
// service, errors keep their code on the way back, and core events reach every open window.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { StudioEvent } from '../../src-main/shared/api';
import { STUDIO_CALL_CHANNEL, STUDIO_EVENT_CHANNEL, STUDIO_SAVE_DIALOG_CHANNEL } from '../../src-main/electron/channels';
import { createFakeElectron, type FakeElectron, type FakeWindow } from './fake-electron';

let electron: FakeElectron;
let windows: typeof import('../../src-main/electron/windows');
let ipc: typeof import('../../src-main/electron/ipc');
// Loaded with the modules under test (after resetModules), so `instanceof StudioError` holds in ipc.ts.
let StudioError: typeof import('../../src-main/shared/errors').StudioError;

function fakeService() {
  const listeners = new Set<(e: StudioEvent) => void>();
  return {
    listeners,
    listWorkflows: vi.fn(async () => ({ workspace: '/w', workflows: [], problems: [] })),
    startRun: vi.fn(async () => ({ id: 'r1' })),
    listRuns: vi.fn(async () => []),
    getRun: vi.fn(async (runId: string) => {
      throw new StudioError('E_NOT_FOUND', `no run ${runId}`);
    }),
    listSnapshots: vi.fn(async () => ({ items: [], total: 0, offset: 0, limit: 500 })),
    getSnapshot: vi.fn(async (runId: string, seq: number) => ({ runId, seq, schemaVersion: 1 })),
    getSnapshotOutline: vi.fn(async (runId: string, seq: number) => ({ runId, seq, state: {} })),
    diffSnapshots: vi.fn(async () => {
      throw new Error('disk on fire');
    }),
    subscribe: vi.fn((listener: (e: StudioEvent) => void) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    close: vi.fn(async () => undefined),
  };
}

let service: ReturnType<typeof fakeService>;
let win: FakeWindow;
let dispose: () => void;

beforeEach(async () => {
  vi.resetModules();
  electron = createFakeElectron();
  vi.doMock('electron', () => electron);
  windows = await import('../../src-main/electron/windows');
  ipc = await import('../../src-main/electron/ipc');
  ({ StudioError } = await import('../../src-main/shared/errors'));
  windows.installAppHardening();
  win = windows.createMainWindow({ preload: '/app/out/preload/preload.cjs', rendererFile: '/app/out/renderer/index.html' }) as unknown as FakeWindow;
  service = fakeService();
  dispose = ipc.registerStudioIpc(service as never);
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

/** A call made by our window's page, through the preload. */
function callFromOurPage(method: unknown, args: unknown) {
  return electron.ipcMain.invoke(STUDIO_CALL_CHANNEL, { sender: win.webContents, senderFrame: win.webContents.mainFrame }, method, args);
}

describe('calls from our page', () => {
  it('registers exactly one call channel, and the export save dialog', () => {
    expect([...electron.ipcMain.handlers.keys()]).toEqual([STUDIO_CALL_CHANNEL, STUDIO_SAVE_DIALOG_CHANNEL]);
  });

  it('reach the service when the method is in the contract and its arguments are valid', async () => {
    const reply = await callFromOurPage('getSnapshot', ['run-1', 3]);
    expect(service.getSnapshot).toHaveBeenCalledWith('run-1', 3);
    expect(reply).toEqual({ ok: true, result: { runId: 'run-1', seq: 3, schemaVersion: 1 } });
    await expect(callFromOurPage('listRuns', [])).resolves.toEqual({ ok: true, result: [] });
  });

  it('reach getSnapshotOutline, with the same argument checks as getSnapshot', async () => {
    await expect(callFromOurPage('getSnapshotOutline', ['run-1', 4])).resolves.toEqual({ ok: true, result: { runId: 'run-1', seq: 4, state: {} } });
    expect(service.getSnapshotOutline).toHaveBeenCalledWith('run-1', 4);
    await expect(callFromOurPage('getSnapshotOutline', ['run-1', -1])).resolves.toMatchObject({ ok: false, error: { code: 'E_BAD_ARGUMENT' } });
    expect(service.getSnapshotOutline).toHaveBeenCalledTimes(1);
  });

  it('refuse a method the contract does not name with E_UNKNOWN_METHOD, even one the service has', async () => {
    for (const method of ['dropDatabase', 'close', 'subscribe', 'constructor', '__proto__', 42]) {
      const reply = await callFromOurPage(method, []);
      expect(reply).toMatchObject({ ok: false, error: { code: 'E_UNKNOWN_METHOD' } });
    }
    expect(service.close).not.toHaveBeenCalled();
    expect(service.subscribe).toHaveBeenCalledTimes(1); // only by registerStudioIpc itself
  });

  it('refuse bad arguments with E_BAD_ARGUMENT before the service sees them', async () => {
    const bad: [string, unknown][] = [
      ['getSnapshot', ['r', -1]],
      ['getSnapshot', ['r', '3']],
      ['getSnapshot', ['r', 1.5]],
      ['getSnapshot', ['', 1]],
      ['getSnapshot', { 0: 'r', 1: 1 }],
      ['startRun', ['orders', { input: {}, shell: 'rm -rf /' }]],
      ['diffSnapshots', [{ runId: 'r', seq: 1 }, { runId: 'r' }]],
    ];
    for (const [method, args] of bad) {
      const reply = await callFromOurPage(method, args);
      expect(reply, `${method} ${JSON.stringify(args)}`).toMatchObject({ ok: false, error: { code: 'E_BAD_ARGUMENT' } });
    }
    expect(service.getSnapshot).not.toHaveBeenCalled();
    expect(service.startRun).not.toHaveBeenCalled();
    expect(service.diffSnapshots).not.toHaveBeenCalled();
  });

  it("come back with the service's error code and message", async () => {
    await expect(callFromOurPage('getRun', ['missing'])).resolves.toEqual({
      ok: false,
      error: { code: 'E_NOT_FOUND', message: 'no run missing' },
    });
    await expect(callFromOurPage('diffSnapshots', [{ runId: 'r', seq: 1 }, { runId: 'r', seq: 2 }])).resolves.toEqual({
      ok: false,
      error: { code: 'E_INTERNAL', message: 'disk on fire' },
    });
  });
});

describe('calls from anywhere else', () => {
  it('are dropped when they come from an iframe inside our page', async () => {
    const frame = win.webContents.childFrame('file:///app/out/renderer/index.html');
    const reply = await electron.ipcMain.invoke(STUDIO_CALL_CHANNEL, { sender: win.webContents, senderFrame: frame }, 'listRuns', []);
    expect(reply).toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED_SENDER' } });
    expect(service.listRuns).not.toHaveBeenCalled();
  });

  it('are dropped when they come from web contents that are not one of our windows', async () => {
    const stranger = new electron.FakeWebContents();
    stranger.mainFrame.url = 'file:///app/out/renderer/index.html';
    const reply = await electron.ipcMain.invoke(STUDIO_CALL_CHANNEL, { sender: stranger, senderFrame: stranger.mainFrame }, 'listRuns', []);
    expect(reply).toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED_SENDER' } });
    expect(service.listRuns).not.toHaveBeenCalled();
  });

  it('are dropped when our window shows a page that is not ours, or the frame is gone', async () => {
    win.webContents.mainFrame.url = 'https://evil.example/';
    await expect(callFromOurPage('listRuns', [])).resolves.toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED_SENDER' } });
    win.webContents.mainFrame.url = 'file:///app/out/renderer/index.html';
    const gone = await electron.ipcMain.invoke(STUDIO_CALL_CHANNEL, { sender: win.webContents, senderFrame: null }, 'listRuns', []);
    expect(gone).toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED_SENDER' } });
    const detached = { ...win.webContents.mainFrame, parent: null, detached: true };
    const fromDetached = await electron.ipcMain.invoke(STUDIO_CALL_CHANNEL, { sender: win.webContents, senderFrame: detached }, 'listRuns', []);
    expect(fromDetached).toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED_SENDER' } });
    expect(service.listRuns).not.toHaveBeenCalled();
  });

  it('are dropped once the window has closed', async () => {
    const contents = win.webContents;
    win.close();
    const reply = await electron.ipcMain.invoke(STUDIO_CALL_CHANNEL, { sender: contents, senderFrame: contents.mainFrame }, 'listRuns', []);
    expect(reply).toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED_SENDER' } });
  });
});

describe('events', () => {
  const event: StudioEvent = { type: 'snapshot-added', runId: 'r1', snapshot: { seq: 4, kind: 'step-completed', stepId: 'ship', status: 'running', stepStatus: 'completed', at: '2026-01-01T00:00:00.000Z', size: 812 } };

  it('are forwarded to every open window on the event channel, as they are', () => {
    const second = windows.createMainWindow({ preload: '/p.cjs', rendererFile: '/app/out/renderer/index.html' }) as unknown as FakeWindow;
    for (const listener of service.listeners) listener(event);
    expect(win.webContents.sent).toEqual([{ channel: STUDIO_EVENT_CHANNEL, args: [event] }]);
    expect(second.webContents.sent).toEqual([{ channel: STUDIO_EVENT_CHANNEL, args: [event] }]);
  });

  it('skip windows that have closed', () => {
    const contents = win.webContents;
    win.close();
    for (const listener of service.listeners) listener({ type: 'workflows-changed' });
    expect(contents.sent).toEqual([]);
  });

  it('stop, and the channel goes away, when the IPC is disposed', () => {
    dispose();
    expect(service.listeners.size).toBe(0);
    expect(electron.ipcMain.handlers.size).toBe(0);
  });
});

describe('the export save dialog', () => {
  const choose = (sender: unknown, senderFrame: unknown, name: unknown) => electron.ipcMain.invoke(STUDIO_SAVE_DIALOG_CHANNEL, { sender, senderFrame }, name);

  it('asks the person where to save, over our window, suggesting the name without folders, and returns their choice', async () => {
    electron.dialog.nextSavePath = '/home/ada/run.ssx.ndjson.gz';
    await expect(choose(win.webContents, win.webContents.mainFrame, '../x/run.ssx.ndjson.gz')).resolves.toBe('/home/ada/run.ssx.ndjson.gz');
    expect(electron.dialog.showSaveDialog).toHaveBeenCalledWith(win, expect.objectContaining({ defaultPath: '.._x_run.ssx.ndjson.gz' }));
  });

  it('returns null when the person cancels, and never opens for a frame that is not ours', async () => {
    electron.dialog.nextSavePath = null;
    await expect(choose(win.webContents, win.webContents.mainFrame, 'run.ssx.ndjson.gz')).resolves.toBeNull();
    electron.dialog.showSaveDialog.mockClear();
    const frame = win.webContents.childFrame('file:///app/out/renderer/index.html');
    await expect(choose(win.webContents, frame, 'run.ssx.ndjson.gz')).resolves.toBeNull();
    expect(electron.dialog.showSaveDialog).not.toHaveBeenCalled();
  });

  it('is removed with the call channel', () => {
    dispose();
    expect(electron.ipcMain.handlers.has(STUDIO_SAVE_DIALOG_CHANNEL)).toBe(false);
  });
});
