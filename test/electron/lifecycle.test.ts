// The desktop app's life, against a fake `electron`: one instance, the service before the window, a
// readable dialog when the database cannot be opened, and the database closed before the process ends.
import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { STUDIO_CALL_CHANNEL } from '../../src-main/electron/channels';
import type { ClosableBackend } from '../../src-main/electron/lifecycle';
import { studioMethods } from '../../src-main/shared/schemas';
import { createFakeElectron, type FakeElectron } from './fakeElectron';

let electron: FakeElectron;
let lifecycle: typeof import('../../src-main/electron/lifecycle');
let StudioError: typeof import('../../src-main/shared/errors').StudioError;

const window = { preload: '/app/out/preload/preload.cjs', rendererFile: '/app/out/renderer/index.html' };

/** Every contract method as a spy, plus what the shell itself uses: subscribe and close. */
function fakeService() {
  const methods = Object.fromEntries(studioMethods.map((m) => [m, vi.fn(async () => undefined)]));
  return {
    ...methods,
    subscribe: vi.fn(() => () => undefined),
    close: vi.fn(async (): Promise<void> => undefined),
  } as unknown as ClosableBackend & { close: Mock<() => Promise<void>> };
}

beforeEach(async () => {
  vi.resetModules();
  electron = createFakeElectron();
  vi.doMock('electron', () => electron);
  lifecycle = await import('../../src-main/electron/lifecycle');
  ({ StudioError } = await import('../../src-main/shared/errors'));
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

describe('starting', () => {
  it('opens the service once ready, then registers IPC and opens one hardened window', async () => {
    const service = fakeService();
    const openService = vi.fn(async () => service);
    lifecycle.startStudioApp({ startup: {}, window, openService });
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    expect(openService).not.toHaveBeenCalled();
    await electron.app.becomeReady();
    expect(openService).toHaveBeenCalledTimes(1);
    expect(electron.ipcMain.handlers.has(STUDIO_CALL_CHANNEL)).toBe(true);
    expect(electron.BrowserWindow.created).toHaveLength(1);
    expect(electron.BrowserWindow.created[0].loaded).toEqual({ url: 'app://studio/index.html' });
    expect(electron.session.defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(electron.session.defaultSession.webRequest.onHeadersReceived).toHaveBeenCalled();
  });

  it('registers the app:// scheme before the app is ready, and serves the renderer folder on it once ready', async () => {
    lifecycle.startStudioApp({ startup: {}, window, openService: async () => fakeService() });
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledTimes(1);
    expect(electron.protocol.handle).not.toHaveBeenCalled();
    await electron.app.becomeReady();
    expect(electron.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect((await electron.protocol.request('app://studio/index.html')).status).toBe(404); // /app/out/renderer is not on this disk
    expect(electron.net.fetch).toHaveBeenCalledWith('file:///app/out/renderer/index.html');
  });

  it('uses the data folder it was given before taking the single-instance lock', () => {
    lifecycle.startStudioApp({ startup: { userDataDir: '/tmp/studio-test' }, window, openService: async () => fakeService() });
    expect(electron.app.getPath('userData')).toBe('/tmp/studio-test');
    expect(electron.app.calls.indexOf('setPath:userData')).toBeLessThan(electron.app.calls.indexOf('requestSingleInstanceLock'));
  });

  it('quits at once when another instance is already running, without opening anything', async () => {
    electron.app.singleInstance = false;
    const openService = vi.fn(async () => fakeService());
    lifecycle.startStudioApp({ startup: {}, window, openService });
    await electron.app.becomeReady();
    expect(electron.app.calls).toContain('quit');
    expect(openService).not.toHaveBeenCalled();
    expect(electron.BrowserWindow.created).toHaveLength(0);
  });

  it('focuses the open window when a second instance is started', async () => {
    lifecycle.startStudioApp({ startup: {}, window, openService: async () => fakeService() });
    await electron.app.becomeReady();
    electron.app.emit('second-instance');
    expect(electron.BrowserWindow.created[0].focused).toBe(true);
  });

  it('shows why when the database is from a newer build, then quits with code 1 and no window', async () => {
    const openService = vi.fn(async () => {
      throw new StudioError('E_DB_TOO_NEW', '/data/studio.db was written by a newer Snapshot Studio (database version 9; this build knows up to 1).');
    });
    lifecycle.startStudioApp({ startup: {}, window, openService });
    await electron.app.becomeReady();
    expect(electron.dialog.showErrorBox).toHaveBeenCalledTimes(1);
    const [title, content] = electron.dialog.showErrorBox.mock.calls[0];
    expect(title).toBe('Snapshot Studio could not start');
    expect(content).toContain('written by a newer Snapshot Studio');
    expect(content).toContain('E_DB_TOO_NEW');
    expect(electron.app.calls).toContain('exit:1');
    expect(electron.BrowserWindow.created).toHaveLength(0);
    expect(electron.ipcMain.handlers.size).toBe(0);
  });
});

describe('quitting', () => {
  it('closes the service before the process ends, then quits', async () => {
    const service = fakeService();
    let finishClose!: () => void;
    service.close.mockImplementation(() => new Promise<void>((resolve) => (finishClose = resolve)));
    lifecycle.startStudioApp({ startup: {}, window, openService: async () => service });
    await electron.app.becomeReady();

    electron.app.quit();
    expect(service.close).toHaveBeenCalledTimes(1);
    expect(electron.app.calls).not.toContain('quit');
    electron.app.quit(); // a second request while closing changes nothing
    expect(service.close).toHaveBeenCalledTimes(1);

    finishClose();
    await new Promise((r) => setTimeout(r, 0));
    expect(electron.app.calls).toContain('quit');
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it('quits when the last window closes (except on macOS, where apps stay open)', async () => {
    lifecycle.startStudioApp({ startup: {}, window, openService: async () => fakeService() });
    await electron.app.becomeReady();
    electron.app.emit('window-all-closed');
    if (process.platform === 'darwin') expect(electron.app.quit).not.toHaveBeenCalled();
    else expect(electron.app.quit).toHaveBeenCalled();
  });

  it('reopens a window on activate when none is open', async () => {
    lifecycle.startStudioApp({ startup: {}, window, openService: async () => fakeService() });
    await electron.app.becomeReady();
    electron.BrowserWindow.created[0].close();
    electron.app.emit('activate');
    expect(electron.BrowserWindow.created).toHaveLength(2);
  });
});
