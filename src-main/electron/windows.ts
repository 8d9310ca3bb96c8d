// The studio window and all of its hardening, in one place: secure webPreferences, its page from app://, a strict
// Content-Security-Policy, no navigation, no new windows, no permissions, and a link the page opens goes to the
// browser only after the person saw its address and agreed.
import { app, BrowserWindow, dialog, shell, type Session, type WebContents } from 'electron';
import { APP_HOST, APP_INDEX_URL, APP_SCHEME } from './appProtocol';

export interface WindowSources {
  /** out/preload/preload.cjs: the sandboxed preload that exposes window.studio. */
  preload: string;
  /** out/renderer/index.html: its folder is served on app://studio (appProtocol.ts), which the window loads. */
  rendererFile: string;
  /** electron-vite's dev server (ELECTRON_RENDERER_URL); only honoured when the app is not packaged. */
  devServerUrl?: string;
}

const studioWindowSet = new Set<BrowserWindow>();
/** The dev server's origin under `electron-vite dev`; otherwise the page is app://studio. */
let devOrigin: string | undefined;

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

/** True for the page this app loads (app://studio, or the dev server's origin), whatever its path, query or hash. */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (devOrigin !== undefined) return parsed.origin === devOrigin;
  return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && !parsed.username && !parsed.password;
}

/** The question over each window whose page asked to open a link, while it is up: one at a time per page. */
const linkQuestions = new WeakMap<WebContents, Promise<boolean>>();

/** While the person is being asked about a link this page opened: whether they opened it. */
export function pendingExternalLink(contents: WebContents): Promise<boolean> | undefined {
  return linkQuestions.get(contents);
}

/** Shows the full address of an http(s) link one of our pages opened, and opens it in the browser only if the person
 * says so. A page can call window.open without a click, so the person's answer is what counts; links opened while
 * the question is up are dropped, so a page cannot bury them in dialogs. */
function offerExternalLink(contents: WebContents, url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return;
  const window = studioWindows().find((w) => w.webContents === contents);
  if (!window || linkQuestions.has(contents)) return;
  const question = dialog
    .showMessageBox(window, {
      type: 'question',
      title: 'Open link in browser?',
      message: 'Snapshot Studio wants to open this address in your browser:',
      detail: parsed.href,
      buttons: ['Open in browser', 'Cancel'],
      defaultId: 1,
      cancelId: 1,
      noLink: true,
    })
    .then(async ({ response }) => {
      if (response !== 0) return false;
      await shell.openExternal(parsed.href);
      return true;
    })
    .catch((err: unknown) => {
      console.warn(`could not open ${parsed.href}:`, err);
      return false;
    })
    .finally(() => linkQuestions.delete(contents));
  linkQuestions.set(contents, question);
}

/** Applied to every web contents the app ever creates, ours or not (see installAppHardening). */
export function hardenWebContents(contents: WebContents): void {
  // The renderer is a single page: a navigation is either a mistake or an attack, never something to follow.
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    offerExternalLink(contents, url);
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
  devOrigin = sources.devServerUrl ? new URL(sources.devServerUrl).origin : undefined;
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
  const loading = win.loadURL(sources.devServerUrl ?? APP_INDEX_URL);
  loading.catch((err: unknown) => {
    console.error('the studio window could not load its page:', err);
    if (!win.isDestroyed()) win.show(); // a visible window beats a silent, invisible app
  });
  return win;
}
