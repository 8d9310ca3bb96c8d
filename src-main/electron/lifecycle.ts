// The desktop app's life: one instance, the service opened before the window, IPC registered once,
// the database closed before the process ends, a readable dialog when the service cannot open, and
// File › Open database…, which switches to another database and remembers it (without its password).
import { app, dialog, session } from 'electron';
import { dirname } from 'node:path';
import type { StudioInfo } from '../shared/api';
import { toErrorBody } from '../shared/errors';
import { registerAppScheme, serveRenderer } from './appProtocol';
import { registerStudioIpc, type StudioBackend } from './ipc';
import { installAppMenu } from './menu';
import type { StartupOptions } from './startupOptions';
import { contentSecurityPolicy, createMainWindow, hardenSession, installAppHardening, studioWindows, type WindowSources } from './windows';

export interface ClosableBackend extends StudioBackend {
  close(): Promise<void>;
}

export interface StudioAppSetup {
  startup: StartupOptions;
  window: Omit<WindowSources, 'devServerUrl'>;
  /**
   * Opens core once the app is ready (userData is final by then): on the database chosen at start, or on `database`
   * (Open database…). Throws StudioError, e.g. E_DB_TOO_NEW.
   */
  openService(database?: string): Promise<ClosableBackend>;
  /** Remembers a database opened with Open database… for the next start (without its password). */
  rememberDatabase?(database: string): void;
}

export function startStudioApp(setup: StudioAppSetup): void {
  // Before anything else: the data folder decides the single-instance lock and the database.
  if (setup.startup.userDataDir) app.setPath('userData', setup.startup.userDataDir);
  app.enableSandbox();
  installAppHardening();
  registerAppScheme(); // privileges can only be given before the app is ready

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  const sources: WindowSources = { ...setup.window, devServerUrl: setup.startup.devServerUrl };
  let service: ClosableBackend | undefined;
  let disposeIpc: (() => void) | undefined;
  let closing = false;
  let closed = false;

  /** Open database…: the new database first, so one that cannot be opened leaves the current one as it was. */
  const openDatabase = async (database: string): Promise<StudioInfo> => {
    if (closing) throw new Error('the app is quitting');
    const next = await setup.openService(database);
    const previous = service;
    service = next;
    disposeIpc?.();
    disposeIpc = registerIpc(next);
    await previous?.close().catch((err: unknown) => console.error('closing the previous database failed:', err));
    setup.rememberDatabase?.(database);
    return next.getStudioInfo();
  };
  const registerIpc = (backend: ClosableBackend) => registerStudioIpc(backend, { openDatabase });

  app.on('second-instance', () => {
    const [window] = studioWindows();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (service && studioWindows().length === 0) createMainWindow(sources);
  });

  // The database must be closed (WAL checkpointed, workers ended) before the process goes: hold the
  // quit, close, then quit again.
  app.on('before-quit', (event) => {
    if (!service || closed) return;
    event.preventDefault();
    if (closing) return;
    closing = true;
    disposeIpc?.();
    service
      .close()
      .catch((err: unknown) => console.error('closing the studio service failed:', err))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  void app.whenReady().then(async () => {
    hardenSession(session.defaultSession, sources.devServerUrl);
    serveRenderer(dirname(sources.rendererFile), contentSecurityPolicy(sources.devServerUrl));
    try {
      service = await setup.openService();
    } catch (err) {
      const body = toErrorBody(err);
      console.error(`Snapshot Studio could not start: ${body.code}: ${body.message}`);
      dialog.showErrorBox('Snapshot Studio could not start', `${body.message}\n\n(${body.code})`);
      app.exit(1);
      return;
    }
    disposeIpc = registerIpc(service);
    installAppMenu();
    createMainWindow(sources);
  });
}
