// The one IPC channel, against a fake `electron` and a small fake StudioApi (the Electron boundary):
// only our windows' main frames are answered, only contract methods with valid arguments reach the
// service, errors keep their code on the way back, and core events reach every open window.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExportOptions, ImportOptions, StudioEvent } from '../../src-main/shared/api';
import {
  STUDIO_CALL_CHANNEL,
  STUDIO_EVENT_CHANNEL,
  STUDIO_EXPORT_CHANNEL,
  STUDIO_IMPORT_DIALOG_CHANNEL,
  STUDIO_IMPORT_FILE_CHANNEL,
} from '../../src-main/electron/channels';
import { tempDir } from '../support/tmp';
import { createFakeElectron, type FakeElectron, type FakeWindow } from './fakeElectron';

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
    // Like the core: an export writes the file it is given, an import reads the files it is given.
    exportRuns: vi.fn(async (options: ExportOptions) => {
      writeFileSync(options.out, '{"format":"snapshot-studio-export"}\n');
      return { file: options.out, runs: 1, snapshots: 3, redacted: 0 };
    }),
    importFiles: vi.fn(async (_options: ImportOptions) => ({ runs: 1, snapshots: 3, skipped: 0 })),
    replay: vi.fn(async () => ({ runs: [] })),
    consentToImportedCode: vi.fn(async (runId: string) => ({
      runId,
      workflowId: 'orders',
      version: 'abcdef012345',
      file: 'orders.workflow.ts',
      warning: 'This runs code that came with an import (orders.workflow.ts) on this machine, with your permissions.',
      consent: 'one-time-consent',
    })),
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
  it('registers the call channel and the three file channels (export, import of a given file, import through a dialog)', () => {
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual(
      [STUDIO_CALL_CHANNEL, STUDIO_EXPORT_CHANNEL, STUDIO_IMPORT_FILE_CHANNEL, STUDIO_IMPORT_DIALOG_CHANNEL].sort(),
    );
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
    const frame = win.webContents.childFrame('app://studio/index.html');
    const reply = await electron.ipcMain.invoke(STUDIO_CALL_CHANNEL, { sender: win.webContents, senderFrame: frame }, 'listRuns', []);
    expect(reply).toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED_SENDER' } });
    expect(service.listRuns).not.toHaveBeenCalled();
  });

  it('are dropped when they come from web contents that are not one of our windows', async () => {
    const stranger = new electron.FakeWebContents();
    stranger.mainFrame.url = 'app://studio/index.html';
    const reply = await electron.ipcMain.invoke(STUDIO_CALL_CHANNEL, { sender: stranger, senderFrame: stranger.mainFrame }, 'listRuns', []);
    expect(reply).toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED_SENDER' } });
    expect(service.listRuns).not.toHaveBeenCalled();
  });

  it('are dropped when our window shows a page that is not ours, or the frame is gone', async () => {
    win.webContents.mainFrame.url = 'https://evil.example/';
    await expect(callFromOurPage('listRuns', [])).resolves.toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED_SENDER' } });
    win.webContents.mainFrame.url = 'app://studio/index.html';
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

describe('paths on this machine, over the call channel', () => {
  it('refuses exportRuns with E_REFUSED and writes nothing', async () => {
    const dir = tempDir('studio-ipc-export-');
    const out = join(dir, 'stolen.ssx.ndjson');
    await expect(callFromOurPage('exportRuns', [{ runIds: ['r1'], out }])).resolves.toMatchObject({ ok: false, error: { code: 'E_REFUSED' } });
    expect(service.exportRuns).not.toHaveBeenCalled();
    expect(existsSync(out)).toBe(false);
  });

  it('refuses importFiles and replay of files with E_REFUSED, before the core reads anything', async () => {
    await expect(callFromOurPage('importFiles', [{ files: ['/etc/shadow'] }])).resolves.toMatchObject({ ok: false, error: { code: 'E_REFUSED' } });
    await expect(callFromOurPage('replay', [{ files: ['/etc/shadow'] }])).resolves.toMatchObject({ ok: false, error: { code: 'E_REFUSED' } });
    expect(service.importFiles).not.toHaveBeenCalled();
    expect(service.replay).not.toHaveBeenCalled();
  });

  it('refuses importFiles of a file: or sqlite: URL, a socket or a parameter that names a file; lets a postgres:// URL of a host through', async () => {
    const refused = [
      ['file:///etc/shadow'],
      ['sqlite:///home/ada/checkpoints.db'],
      ['postgres://reader@%2Fvar%2Frun%2Fpostgresql/agents'],
      ['postgres://reader@db.internal/agents?sslkey=/home/ada/.ssh/id_rsa'],
      ['postgres://reader@db.internal/agents', '/etc/shadow'],
    ];
    for (const files of refused) {
      await expect(callFromOurPage('importFiles', [{ files }]), files.join(' ')).resolves.toMatchObject({ ok: false, error: { code: 'E_REFUSED' } });
    }
    expect(service.importFiles).not.toHaveBeenCalled();
    const options = { files: ['postgresql://reader:pw@db.internal:5432/agents?sslmode=require'], format: 'langgraph', threads: ['order-17'], since: '2026-11-30', schema: 'app' };
    await expect(callFromOurPage('importFiles', [options])).resolves.toMatchObject({ ok: true });
    expect(service.importFiles).toHaveBeenCalledWith(options);
  });

  it('still lets replay of imported runs by id through', async () => {
    await expect(callFromOurPage('replay', [{ runIds: ['r1'] }])).resolves.toMatchObject({ ok: true });
    expect(service.replay).toHaveBeenCalledTimes(1);
  });
});

describe('export, to the file the person chose', () => {
  const exportFrom = (sender: unknown, senderFrame: unknown, options: unknown, name: unknown) =>
    electron.ipcMain.invoke(STUDIO_EXPORT_CHANNEL, { sender, senderFrame }, options, name);
  const exportFromOurPage = (options: unknown, name: unknown) => exportFrom(win.webContents, win.webContents.mainFrame, options, name);

  it('shows a save dialog over our window, suggesting the name without folders, and writes there', async () => {
    const dir = tempDir('studio-ipc-export-');
    electron.dialog.nextSavePath = join(dir, 'chosen.ssx.ndjson');
    const reply = await exportFromOurPage({ runIds: ['r1'] }, '../x/run.ssx.ndjson.gz');
    expect(electron.dialog.showSaveDialog).toHaveBeenCalledWith(win, expect.objectContaining({ defaultPath: '.._x_run.ssx.ndjson.gz' }));
    expect(reply).toEqual({ ok: true, result: { file: join(dir, 'chosen.ssx.ndjson'), runs: 1, snapshots: 3, redacted: 0 } });
    expect(service.exportRuns).toHaveBeenCalledWith({ runIds: ['r1'], out: join(dir, 'chosen.ssx.ndjson') });
    expect(readdirSync(dir)).toEqual(['chosen.ssx.ndjson']);
  });

  it('writes only to the chosen path, whatever `out` the page slips into the options', async () => {
    const dir = tempDir('studio-ipc-export-');
    electron.dialog.nextSavePath = join(dir, 'chosen.ssx.ndjson');
    await exportFromOurPage({ runIds: ['r1'], out: join(dir, 'planted.ssx.ndjson') }, 'run.ssx.ndjson');
    expect(readdirSync(dir)).toEqual(['chosen.ssx.ndjson']);
  });

  it('writes nothing and answers null when the person cancels', async () => {
    electron.dialog.nextSavePath = null;
    await expect(exportFromOurPage({ runIds: ['r1'] }, 'run.ssx.ndjson')).resolves.toEqual({ ok: true, result: null });
    expect(service.exportRuns).not.toHaveBeenCalled();
  });

  it('refuses bad options before showing the dialog', async () => {
    electron.dialog.nextSavePath = '/tmp/never.ssx.ndjson';
    await expect(exportFromOurPage({ runIds: 'r1' }, 'run.ssx.ndjson')).resolves.toMatchObject({ ok: false, error: { code: 'E_BAD_ARGUMENT' } });
    await expect(exportFromOurPage(null, 'run.ssx.ndjson')).resolves.toMatchObject({ ok: false, error: { code: 'E_BAD_ARGUMENT' } });
    expect(electron.dialog.showSaveDialog).not.toHaveBeenCalled();
    expect(service.exportRuns).not.toHaveBeenCalled();
  });

  it('never opens the dialog for a frame that is not ours', async () => {
    electron.dialog.nextSavePath = '/tmp/never.ssx.ndjson';
    const frame = win.webContents.childFrame('app://studio/index.html');
    await expect(exportFrom(win.webContents, frame, { runIds: ['r1'] }, 'run.ssx.ndjson')).resolves.toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED_SENDER' } });
    expect(electron.dialog.showSaveDialog).not.toHaveBeenCalled();
    expect(service.exportRuns).not.toHaveBeenCalled();
  });
});

describe('import, of the files the person gave', () => {
  const fromOurPage = (channel: string, ...args: unknown[]) =>
    electron.ipcMain.invoke(channel, { sender: win.webContents, senderFrame: win.webContents.mainFrame }, ...args);

  it('imports the file the preload found behind a dropped or picked File', async () => {
    const reply = await fromOurPage(STUDIO_IMPORT_FILE_CHANNEL, '/home/ada/prod.ssx.ndjson', 'auto');
    expect(reply).toEqual({ ok: true, result: { runs: 1, snapshots: 3, skipped: 0 } });
    expect(service.importFiles).toHaveBeenCalledWith({ files: ['/home/ada/prod.ssx.ndjson'], format: 'auto' });
  });

  it('refuses a file channel call from a frame that is not ours, or without a path', async () => {
    const frame = win.webContents.childFrame('app://studio/index.html');
    const fromFrame = await electron.ipcMain.invoke(STUDIO_IMPORT_FILE_CHANNEL, { sender: win.webContents, senderFrame: frame }, '/etc/shadow', 'auto');
    expect(fromFrame).toMatchObject({ ok: false, error: { code: 'E_UNTRUSTED_SENDER' } });
    await expect(fromOurPage(STUDIO_IMPORT_FILE_CHANNEL, '', 'auto')).resolves.toMatchObject({ ok: false, error: { code: 'E_BAD_ARGUMENT' } });
    await expect(fromOurPage(STUDIO_IMPORT_FILE_CHANNEL, ['/a', '/b'], 'auto')).resolves.toMatchObject({ ok: false, error: { code: 'E_BAD_ARGUMENT' } });
    expect(service.importFiles).not.toHaveBeenCalled();
  });

  it('shows an open dialog over our window and imports what the person chose', async () => {
    electron.dialog.nextOpenPaths = ['/home/ada/a.ssx.ndjson', '/home/ada/b.json'];
    const reply = await fromOurPage(STUDIO_IMPORT_DIALOG_CHANNEL, 'auto');
    expect(electron.dialog.showOpenDialog).toHaveBeenCalledWith(win, expect.objectContaining({ properties: expect.arrayContaining(['openFile']) }));
    expect(reply).toEqual({ ok: true, result: { runs: 1, snapshots: 3, skipped: 0 } });
    expect(service.importFiles).toHaveBeenCalledWith({ files: ['/home/ada/a.ssx.ndjson', '/home/ada/b.json'], format: 'auto' });
  });

  it('imports nothing and answers null when the person cancels the open dialog', async () => {
    electron.dialog.nextOpenPaths = null;
    await expect(fromOurPage(STUDIO_IMPORT_DIALOG_CHANNEL, 'auto')).resolves.toEqual({ ok: true, result: null });
    expect(service.importFiles).not.toHaveBeenCalled();
  });

  it('are removed with the call channel', () => {
    dispose();
    for (const channel of [STUDIO_EXPORT_CHANNEL, STUDIO_IMPORT_FILE_CHANNEL, STUDIO_IMPORT_DIALOG_CHANNEL]) {
      expect(electron.ipcMain.handlers.has(channel)).toBe(false);
    }
  });
});

describe('consent to run imported code', () => {
  it('shows the warning in a native message box, Cancel by default, and gives the consent when the person chooses to run it', async () => {
    electron.dialog.nextMessageBoxResponse = 0;
    const reply = await callFromOurPage('consentToImportedCode', ['r1']);
    expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(1);
    const [parent, box] = electron.dialog.showMessageBox.mock.calls[0] as [unknown, { buttons: string[]; defaultId: number; cancelId: number; detail: string }];
    expect(parent).toBe(win);
    expect(box.buttons).toEqual(['Run imported code', 'Cancel']);
    expect(box.defaultId).toBe(1);
    expect(box.cancelId).toBe(1);
    expect(box.detail).toContain('This runs code that came with an import (orders.workflow.ts)');
    expect(reply).toMatchObject({ ok: true, result: { runId: 'r1', consent: 'one-time-consent' } });
  });

  it('answers E_CONSENT_DECLINED, without the consent, when the person cancels', async () => {
    electron.dialog.nextMessageBoxResponse = 1;
    const reply = await callFromOurPage('consentToImportedCode', ['r1']);
    expect(reply).toMatchObject({ ok: false, error: { code: 'E_CONSENT_DECLINED' } });
    expect(JSON.stringify(reply)).not.toContain('one-time-consent');
  });
});
