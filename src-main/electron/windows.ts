// The studio window and all of its hardening, in one place: secure webPreferences, a strict
// Content-Security-Policy, no navigation, no new windows, no permissions, external links in the browser.
import { app, BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { pathToFileURL } from 'node:url';

export interface WindowSources {
  /** out/preload/preload.cjs: the sandboxed preload that exposes window.studio. */
  preload: string;
  /** out/renderer/index.html, loaded with loadFile. */
  rendererFile: string;
  /** electron-vite's dev server (ELECTRON_RENDERER_URL); only honoured when the app is not packaged. */
  devServerUrl?: string;
}

const studioWindowSet = new Set<BrowserWindow>();
let appUrl: { file?: string; origin?: string } = {};

/** The windows this module created and that are still open: the only senders IPC listens to. */
export function studioWindows(): BrowserWindow[] {
  return [...studioWindowSet].filter((w) => !w.isDestroyed());
}

/** The policy for our pages. Dev mode adds what Vite's dev server needs (inline preamble, HMR socket). */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? new URL(devServerUrl) : undefined;
  const directives = [
    "default-src 'self'",
    dev ? `script-src 'self' 'unsafe-inline' ${dev.origin}` : "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "worker-src 'self' blob:",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ];
  if (dev) directives.push(`connect-src 'self' ${dev.origin} ws://${dev.host}`);
  return directives.join('; ');
}

/** True for the page this app loads (its file, or its dev server's origin), whatever its hash or query. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (appUrl.origin !== undefined) return parsed.origin === appUrl.origin;
  if (appUrl.file !== undefined) {
    return parsed.protocol === 'file:' && decodeURIComponent(parsed.pathname) === decodeURIComponent(new URL(appUrl.file).pathname);
  }
  return false;
}

/** Opens http(s) links in the person's browser; every other scheme (file:, javascript:, custom) is ignored. */
export function openExternally(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.protocol === 'https:' || parsed.protocol === 'http:') {
    void shell.openExternal(parsed.href).catch((err: unknown) => console.warn(`could not open ${parsed.href}:`, err));
  }
}

/** Applied to every web contents the app ever creates, ours or not (see installAppHardening). */
export function hardenWebContents(contents: WebContents): void {
  // The renderer is a single page: any navigation is either a link (open it outside) or an attack.
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openExternally(url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

let hardeningInstalled = false;

/** Call once, before any window exists: hardens every web contents as it is created. */
export function installAppHardening(): void {
  if (hardeningInstalled) return;
  hardeningInstalled = true;
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
}

/** Denies every permission (camera, notifications, clipboard read, HID, …) and sets the CSP header. */
export function hardenSession(session: Session, devServerUrl?: string): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  const csp = contentSecurityPolicy(devServerUrl);
  session.webRequest.onHeadersReceived((details, callback) => {
    const responseHeaders: Record<string, string[]> = {};
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') responseHeaders[name] = value;
    }
    responseHeaders['Content-Security-Policy'] = [csp];
    callback({ responseHeaders });
  });
}

/** Creates the main window and loads the renderer into it. */
export function createMainWindow(sources: WindowSources): BrowserWindow {
  appUrl = sources.devServerUrl ? { origin: new URL(sources.devServerUrl).origin } : { file: pathToFileURL(sources.rendererFile).href };
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Snapshot Studio',
    webPreferences: {
      preload: sources.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  });
  studioWindowSet.add(win);
  win.on('closed', () => studioWindowSet.delete(win));
  win.once('ready-to-show', () => win.show());
  const loading = sources.devServerUrl ? win.loadURL(sources.devServerUrl) : win.loadFile(sources.rendererFile);
  loading.catch((err: unknown) => {
    console.error('the studio window could not load its page:', err);
    if (!win.isDestroyed()) win.show(); // a visible window beats a silent, invisible app
  });
  return win;
}
