// The studio window and its hardening, against a fake `electron`: what a hostile page would try
// (navigate away, open windows, ask for permissions, embed webviews) is refused.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeElectron, type FakeElectron, type FakeWindow } from './fake-electron';

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
    expect(win.loaded).toEqual({ file: '/app/out/renderer/index.html' });
    expect(windows.studioWindows()).toEqual([win]);
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

  it('recognises its own page by file, whatever the hash, and nothing else', () => {
    openWindow();
    expect(windows.isAppUrl('file:///app/out/renderer/index.html')).toBe(true);
    expect(windows.isAppUrl('file:///app/out/renderer/index.html#/runs/r1')).toBe(true);
    expect(windows.isAppUrl('file:///app/out/renderer/other.html')).toBe(false);
    expect(windows.isAppUrl('https://example.com/index.html')).toBe(false);
    expect(windows.isAppUrl('not a url')).toBe(false);
  });
});

describe('navigation and new windows', () => {
  it('prevents every navigation; an http(s) link opens in the browser instead', () => {
    const win = openWindow();
    expect(win.webContents.tryNavigate('https://example.com/docs')).toBe(true);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/docs');
  });

  it('prevents navigation to local files and scripts without opening them anywhere', () => {
    const win = openWindow();
    expect(win.webContents.tryNavigate('file:///etc/passwd')).toBe(true);
    expect(win.webContents.tryNavigate('javascript:alert(1)')).toBe(true);
    expect(win.webContents.tryNavigate('file:///app/out/renderer/index.html')).toBe(true);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('denies window.open; an https target opens in the browser, other schemes nowhere', () => {
    const win = openWindow();
    const handler = win.webContents.windowOpenHandler!;
    expect(handler({ url: 'https://github.com/' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://github.com/');
    expect(handler({ url: 'file:///etc/hosts' })).toEqual({ action: 'deny' });
    expect(handler({ url: 'smb://host/share' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('refuses to attach <webview> tags', () => {
    expect(openWindow().webContents.tryAttachWebview()).toBe(true);
  });

  it('hardens web contents it did not create itself as well', () => {
    const stray = new electron.FakeWebContents();
    electron.app.emit('web-contents-created', {}, stray);
    expect(stray.tryNavigate('https://example.com')).toBe(true);
    expect(stray.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' });
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
      { url: 'file:///app/out/renderer/index.html', responseHeaders: { 'content-type': ['text/html'], 'content-security-policy': ["default-src *"] } },
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
