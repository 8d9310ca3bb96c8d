// The studio window and its hardening, against a fake `electron`: what a hostile page would try
// (navigate away, open windows, ask for permissions, embed webviews) is refused.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeElectron, type FakeElectron, type FakeWindow } from './fakeElectron';

let electron: FakeElectron;
let windows: typeof import('../../src-main/electron/windows');

const sources = { preload: '/app/out/preload/preload.cjs', rendererFile: '/app/out/renderer/index.html' };

beforeEach(async () => {
  vi.resetModules();
  electron = createFakeElectron();
  vi.doMock('electron', () => electron);
  windows = await import('../../src-main/electron/windows');
  windows.installAppHardening();
});

function openWindow(): FakeWindow {
  return windows.createMainWindow(sources) as unknown as FakeWindow;
}

describe('the studio window', () => {
  it('isolates the page: context isolation, sandbox, no Node, web security, our preload', () => {
    const win = openWindow();
    expect(win.options.webPreferences).toMatchObject({
      preload: '/app/out/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(windows.studioWindows()).toEqual([win]);
  });

  it('loads its page from the app:// protocol, not from a file: URL', () => {
    const win = openWindow();
    expect(win.loaded).toEqual({ url: 'app://studio/index.html' });
  });

  it('loads the dev server instead of the file when electron-vite dev gives one', () => {
    const win = windows.createMainWindow({ ...sources, devServerUrl: 'http://localhost:5173/' }) as unknown as FakeWindow;
    expect(win.loaded).toEqual({ url: 'http://localhost:5173/' });
    expect(windows.isAppUrl('http://localhost:5173/#/runs')).toBe(true);
    expect(windows.isAppUrl('http://localhost:5174/')).toBe(false);
  });

  it('shows the window once its page is ready, and forgets it once closed', () => {
    const win = openWindow();
    expect(win.shown).toBe(false);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
    win.close();
    expect(windows.studioWindows()).toEqual([]);
  });

  it('recognises its own page by the app:// origin, whatever the path or hash, and nothing else', () => {
    openWindow();
    expect(windows.isAppUrl('app://studio/index.html')).toBe(true);
    expect(windows.isAppUrl('app://studio/index.html#/runs/r1')).toBe(true);
    expect(windows.isAppUrl('app://studio.evil/index.html')).toBe(false);
    expect(windows.isAppUrl('app://evil/index.html')).toBe(false);
    expect(windows.isAppUrl('app://user@studio/index.html')).toBe(false);
    expect(windows.isAppUrl('file:///app/out/renderer/index.html')).toBe(false);
    expect(windows.isAppUrl('https://example.com/index.html')).toBe(false);
    expect(windows.isAppUrl('not a url')).toBe(false);
  });
});

describe('navigation and new windows', () => {
  it('prevents every navigation and opens nothing, not even an https link', () => {
    const win = openWindow();
    expect(win.webContents.tryNavigate('https://example.com/docs')).toBe(true);
    expect(win.webContents.tryNavigate('file:///etc/passwd')).toBe(true);
    expect(win.webContents.tryNavigate('javascript:alert(1)')).toBe(true);
    expect(win.webContents.tryNavigate('app://studio/index.html')).toBe(true);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('denies window.open; for an https link it asks the person, naming the full URL, and opens it only on "Open in browser"', async () => {
    const win = openWindow();
    electron.dialog.nextMessageBoxResponse = 0;
    expect(win.webContents.windowOpenHandler!({ url: 'https://github.com/acme/orders?tab=readme' })).toEqual({ action: 'deny' });
    await expect(windows.pendingExternalLink(win.webContents as never)).resolves.toBe(true);
    const [parent, box] = electron.dialog.showMessageBox.mock.calls[0] as [unknown, { buttons: string[]; defaultId: number; cancelId: number; detail: string }];
    expect(parent).toBe(win);
    expect(box.detail).toContain('https://github.com/acme/orders?tab=readme');
    expect(box.buttons).toEqual(['Open in browser', 'Cancel']);
    expect([box.defaultId, box.cancelId]).toEqual([1, 1]);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://github.com/acme/orders?tab=readme');
  });

  it('opens nothing when the person cancels', async () => {
    const win = openWindow();
    electron.dialog.nextMessageBoxResponse = 1;
    win.webContents.windowOpenHandler!({ url: 'https://example.com/' });
    await expect(windows.pendingExternalLink(win.webContents as never)).resolves.toBe(false);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('asks once at a time: links a page opens while the question is up are dropped', async () => {
    const win = openWindow();
    electron.dialog.nextMessageBoxResponse = 0;
    for (let i = 0; i < 20; i++) win.webContents.windowOpenHandler!({ url: `https://spam.example/${i}` });
    await windows.pendingExternalLink(win.webContents as never);
    expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(1);
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://spam.example/0');
  });

  it('never asks about other schemes', () => {
    const handler = openWindow().webContents.windowOpenHandler!;
    for (const url of ['file:///etc/hosts', 'smb://host/share', 'javascript:alert(1)', 'app://studio/index.html']) {
      expect(handler({ url })).toEqual({ action: 'deny' });
    }
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled();
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('refuses to attach <webview> tags', () => {
    expect(openWindow().webContents.tryAttachWebview()).toBe(true);
  });

  it('hardens web contents it did not create itself as well', () => {
    const stray = new electron.FakeWebContents();
    electron.app.emit('web-contents-created', {}, stray);
    expect(stray.tryNavigate('https://example.com')).toBe(true);
    electron.dialog.nextMessageBoxResponse = 0;
    expect(stray.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(electron.dialog.showMessageBox).not.toHaveBeenCalled(); // only our windows' pages may offer a link
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('installs the hardening once however often it is asked', () => {
    windows.installAppHardening();
    expect(electron.app.listenerCount('web-contents-created')).toBe(1);
  });
});

describe('the session', () => {
  it('denies every permission request and every permission check', () => {
    windows.hardenSession(electron.session.defaultSession as never);
    const ses = electron.session.defaultSession;
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const callback = vi.fn();
      ses.permissionRequestHandler!({}, permission, callback, {});
      expect(callback).toHaveBeenCalledWith(false);
      expect(ses.permissionCheckHandler!({}, permission, 'file://', {})).toBe(false);
    }
    expect(ses.devicePermissionHandler!({ deviceType: 'hid' })).toBe(false);
  });

  it('sets a strict Content-Security-Policy header on every response, replacing any other', () => {
    windows.hardenSession(electron.session.defaultSession as never);
    const callback = vi.fn();
    electron.session.defaultSession.headersListener!(
      { url: 'app://studio/index.html', responseHeaders: { 'content-type': ['text/html'], 'content-security-policy': ["default-src *"] } },
      callback,
    );
    const { responseHeaders } = callback.mock.calls[0][0] as { responseHeaders: Record<string, string[]> };
    expect(responseHeaders['content-type']).toEqual(['text/html']);
    expect(responseHeaders['content-security-policy']).toBeUndefined();
    const csp = responseHeaders['Content-Security-Policy'][0];
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "worker-src 'self' blob:",
      "img-src 'self' data:",
      "object-src 'none'",
    ]) {
      expect(csp.split('; ')).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-eval');
  });

  it('relaxes scripts only for the dev server, never for the built app', () => {
    expect(windows.contentSecurityPolicy()).not.toMatch(/script-src[^;]*unsafe-inline/);
    const dev = windows.contentSecurityPolicy('http://localhost:5173/');
    expect(dev).toContain("script-src 'self' 'unsafe-inline' http://localhost:5173");
    expect(dev).toContain('ws://localhost:5173');
  });
});
