// The app:// protocol the window loads its page from, against a fake `electron`: registered with its privileges
// before the app is ready, serving the files of the built renderer and nothing outside that folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../support/tmp';
import { createFakeElectron, type FakeElectron } from './fakeElectron';

let electron: FakeElectron;
let appProtocol: typeof import('../../src-main/electron/appProtocol');

const root = tempDir('studio-app-protocol-');
const rendererDir = join(root, 'out', 'renderer');
mkdirSync(join(rendererDir, 'assets'), { recursive: true });
writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Snapshot Studio</title>');
writeFileSync(join(rendererDir, 'assets', 'main.js'), 'console.log("studio")');
writeFileSync(join(root, 'out', 'secret.txt'), 'not for the page');
writeFileSync(join(root, 'out', 'renderer-evil.txt'), 'not for the page either');

beforeEach(async () => {
  vi.resetModules();
  electron = createFakeElectron();
  vi.doMock('electron', () => electron);
  appProtocol = await import('../../src-main/electron/appProtocol');
});

describe('the app:// scheme', () => {
  it('is registered as privileged before the app is ready: standard, secure, fetch; never bypassing CSP', () => {
    appProtocol.registerAppScheme();
    expect(electron.protocol.privileged).toEqual([
      { scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) },
    ]);
    expect(electron.protocol.privileged[0].privileges).not.toHaveProperty('bypassCSP', true);
  });

  it('is the URL of the page', () => {
    expect(appProtocol.APP_INDEX_URL).toBe('app://studio/index.html');
  });
});

describe('serving the renderer', () => {
  beforeEach(async () => {
    await electron.app.becomeReady();
    appProtocol.serveRenderer(rendererDir, "default-src 'self'");
  });

  it('serves the files of the built renderer with their type and the CSP header', async () => {
    const page = await electron.protocol.request('app://studio/index.html');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Snapshot Studio</title>');
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe("default-src 'self'");
    const script = await electron.protocol.request('app://studio/assets/main.js?v=1#x');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('refuses every way out of the renderer folder, and reads nothing there', async () => {
    const attempts = [
      'app://studio/../secret.txt',
      'app://studio/%2e%2e/secret.txt',
      'app://studio/%2E%2E%2Fsecret.txt',
      'app://studio/assets/..%2F..%2Fsecret.txt',
      'app://studio/..%5csecret.txt',
      'app://studio/%2e%2e/renderer-evil.txt',
      'app://studio/%2Fetc%2Fpasswd',
      'app://studio/index.html%00.png',
      'app://studio/%E0%A4%A',
    ];
    for (const url of attempts) {
      const response = await electron.protocol.request(url);
      expect(response.status, url).toBeGreaterThanOrEqual(400);
      expect(await response.text(), url).not.toContain('not for the page');
    }
    const read = electron.net.fetch.mock.calls.map(([url]) => String(url));
    for (const url of read) expect(url.startsWith(`file://${rendererDir}/`), url).toBe(true);
  });

  it('answers 404 for a file the renderer does not have, a folder, and another host', async () => {
    expect((await electron.protocol.request('app://studio/missing.js')).status).toBe(404);
    expect((await electron.protocol.request('app://studio/assets/')).status).toBe(404);
    electron.net.fetch.mockRejectedValueOnce(new Error('net::ERR_FILE_NOT_FOUND'));
    expect((await electron.protocol.request('app://studio/assets/gone.js')).status).toBe(404);
    expect((await electron.protocol.request('app://evil/index.html')).status).toBe(404);
  });

  it('serves only GET and HEAD', async () => {
    const handler = electron.protocol.handlers.get('app')!;
    const response = await handler(new Request('app://studio/index.html', { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
  });
});
