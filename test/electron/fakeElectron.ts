// A stand-in for the `electron` module, recording what the shell asks of it, so the shell's rules
// (window options, hardening, IPC checks, lifecycle) are tested on Node. Used through vi.mock('electron').
import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { vi } from 'vitest';

export function createFakeElectron() {
  let nextFrameId = 1;
  let nextContentsId = 1;

  class FakeFrame {
    readonly routingId = nextFrameId++;
    readonly processId = 1;
    constructor(
      readonly parent: FakeFrame | null,
      public url: string,
    ) {}
  }

  class FakeWebContents extends EventEmitter {
    readonly id = nextContentsId++;
    readonly mainFrame = new FakeFrame(null, '');
    readonly sent: { channel: string; args: unknown[] }[] = [];
    windowOpenHandler: ((details: { url: string; disposition?: string }) => { action: string }) | undefined;
    destroyed = false;
    setWindowOpenHandler(handler: (details: { url: string; disposition?: string }) => { action: string }): void {
      this.windowOpenHandler = handler;
    }
    send(channel: string, ...args: unknown[]): void {
      this.sent.push({ channel, args });
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    /** What the page tried; true when a listener prevented it. */
    tryNavigate(url: string): boolean {
      let prevented = false;
      this.emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      return prevented;
    }
    tryAttachWebview(): boolean {
      let prevented = false;
      this.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
      return prevented;
    }
    /** A child frame (an iframe) inside this page. */
    childFrame(url: string): FakeFrame {
      return new FakeFrame(this.mainFrame, url);
    }
  }

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    singleInstance: true,
    paths: new Map<string, string>([['userData', '/fake/user-data']]),
    readyResolve: undefined as undefined | (() => void),
    ready: undefined as undefined | Promise<void>,
    readyNow: false,
    isReady: (): boolean => app.readyNow,
    calls: [] as string[],
    whenReady(): Promise<void> {
      app.ready ??= new Promise<void>((resolve) => (app.readyResolve = resolve));
      return app.ready;
    },
    /** Test helper: the moment Electron finishes starting. */
    async becomeReady(): Promise<void> {
      app.whenReady();
      app.readyNow = true;
      app.readyResolve!();
      await new Promise((r) => setTimeout(r, 0));
    },
    requestSingleInstanceLock: vi.fn(() => {
      app.calls.push('requestSingleInstanceLock');
      return app.singleInstance;
    }),
    enableSandbox: vi.fn(() => app.calls.push('enableSandbox')),
    setPath: vi.fn((name: string, value: string) => {
      app.calls.push(`setPath:${name}`);
      app.paths.set(name, value);
    }),
    getPath: vi.fn((name: string) => app.paths.get(name) ?? `/fake/${name}`),
    getAppPath: vi.fn(() => '/fake/app'),
    /** Like Electron: emits before-quit, and quits only when no listener prevented it. */
    quit: vi.fn(() => {
      let prevented = false;
      app.emit('before-quit', { preventDefault: () => (prevented = true) });
      if (!prevented) app.calls.push('quit');
    }),
    exit: vi.fn((code?: number) => app.calls.push(`exit:${code ?? 0}`)),
  });

  class FakeBrowserWindow extends EventEmitter {
    static readonly created: FakeBrowserWindow[] = [];
    static getAllWindows(): FakeBrowserWindow[] {
      return FakeBrowserWindow.created.filter((w) => !w.destroyed);
    }
    static fromWebContents(contents: unknown): FakeBrowserWindow | null {
      return FakeBrowserWindow.created.find((w) => w.webContents === contents) ?? null;
    }
    readonly webContents = new FakeWebContents();
    loaded: { file?: string; url?: string } = {};
    destroyed = false;
    shown = false;
    focused = false;
    constructor(readonly options: any) {
      super();
      FakeBrowserWindow.created.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadFile(file: string): Promise<void> {
      this.loaded = { file };
      this.webContents.mainFrame.url = pathToFileURL(file).href;
      return Promise.resolve();
    }
    loadURL(url: string): Promise<void> {
      this.loaded = { url };
      this.webContents.mainFrame.url = url;
      return Promise.resolve();
    }
    isDestroyed(): boolean {
      return this.destroyed;
    }
    isMinimized(): boolean {
      return false;
    }
    restore(): void {}
    show(): void {
      this.shown = true;
    }
    focus(): void {
      this.focused = true;
    }
    close(): void {
      this.destroyed = true;
      this.webContents.destroyed = true;
      this.emit('closed');
    }
  }

  const ipcMain = {
    handlers: new Map<string, (event: any, ...args: any[]) => unknown>(),
    handle: vi.fn((channel: string, handler: (event: any, ...args: any[]) => unknown) => {
      if (ipcMain.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      ipcMain.handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => ipcMain.handlers.delete(channel)),
    /** Test helper: what ipcRenderer.invoke(channel, ...args) from `event`'s frame would resolve to. */
    async invoke(channel: string, event: { sender: unknown; senderFrame: unknown }, ...args: unknown[]): Promise<any> {
      const handler = ipcMain.handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return handler(event, ...args);
    },
  };

  const ipcRendererEvents = new EventEmitter();
  const ipcRenderer = {
    invoke: vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => undefined),
    on: vi.fn((channel: string, listener: (...args: any[]) => void) => {
      ipcRendererEvents.on(channel, listener);
      return ipcRenderer;
    }),
    removeListener: vi.fn((channel: string, listener: (...args: any[]) => void) => {
      ipcRendererEvents.removeListener(channel, listener);
      return ipcRenderer;
    }),
    send: vi.fn(),
    /** Test helper: a message from main arriving on `channel`. */
    deliver(channel: string, ...args: unknown[]): void {
      ipcRendererEvents.emit(channel, { sender: ipcRenderer, senderId: 0 }, ...args);
    },
    listenerCount(channel: string): number {
      return ipcRendererEvents.listenerCount(channel);
    },
  };

  const contextBridge = {
    exposed: new Map<string, unknown>(),
    exposeInMainWorld: vi.fn((key: string, api: unknown) => {
      contextBridge.exposed.set(key, api);
    }),
  };

  const defaultSession = {
    permissionRequestHandler: undefined as undefined | ((...args: any[]) => void),
    permissionCheckHandler: undefined as undefined | ((...args: any[]) => boolean),
    devicePermissionHandler: undefined as undefined | ((...args: any[]) => boolean),
    headersListener: undefined as undefined | ((details: any, callback: (response: any) => void) => void),
    setPermissionRequestHandler: vi.fn((h: (...args: any[]) => void) => (defaultSession.permissionRequestHandler = h)),
    setPermissionCheckHandler: vi.fn((h: (...args: any[]) => boolean) => (defaultSession.permissionCheckHandler = h)),
    setDevicePermissionHandler: vi.fn((h: (...args: any[]) => boolean) => (defaultSession.devicePermissionHandler = h)),
    webRequest: {
      onHeadersReceived: vi.fn((listener: (details: any, callback: (response: any) => void) => void) => {
        defaultSession.headersListener = listener;
      }),
    },
  };

  const shell = { openExternal: vi.fn(async (_url: string) => undefined) };
  const dialog = {
    showErrorBox: vi.fn((_title: string, _content: string) => undefined),
    /** Test helper: what the person picks in the next save dialog (null: cancel). */
    nextSavePath: null as string | null,
    showSaveDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: dialog.nextSavePath === null, filePath: dialog.nextSavePath ?? '' })),
    /** Test helper: what the person picks in the next open dialog (null: cancel). */
    nextOpenPaths: null as string[] | null,
    showOpenDialog: vi.fn(async (..._args: unknown[]) => ({ canceled: dialog.nextOpenPaths === null, filePaths: dialog.nextOpenPaths ?? [] })),
    /** Test helper: the index of the button the person presses in the next message box (1: Cancel, in ours). */
    nextMessageBoxResponse: 1,
    showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: dialog.nextMessageBoxResponse, checkboxChecked: false })),
  };

  // Like Electron's webUtils: a path only for a File the person dropped or picked; '' for one the page made;
  // a TypeError for anything that is not a File.
  const filesOnDisk = new WeakMap<File, string>();
  const webUtils = {
    getPathForFile: vi.fn((file: unknown) => {
      if (!(file instanceof File)) throw new TypeError('Error processing argument at index 0, conversion failure from object');
      return filesOnDisk.get(file) ?? '';
    }),
    /** Test helper: a File as the person's drop or file picker gives it, backed by `path`. */
    fileOnDisk(path: string, content = ''): File {
      const file = new File([content], path.split(/[\\/]/).pop() ?? path);
      filesOnDisk.set(file, path);
      return file;
    },
  };

  const protocol = {
    privileged: [] as { scheme: string; privileges?: Record<string, boolean> }[],
    handlers: new Map<string, (request: Request) => Response | Promise<Response>>(),
    registerSchemesAsPrivileged: vi.fn((schemes: { scheme: string; privileges?: Record<string, boolean> }[]) => {
      if (app.readyNow) throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
      protocol.privileged.push(...schemes);
    }),
    handle: vi.fn((scheme: string, handler: (request: Request) => Response | Promise<Response>) => {
      if (protocol.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
      protocol.handlers.set(scheme, handler);
    }),
    /** Test helper: what the page gets when it loads `url` from a handled scheme. */
    async request(url: string): Promise<Response> {
      const handler = protocol.handlers.get(new URL(url).protocol.slice(0, -1));
      if (!handler) throw new Error(`no handler for ${url}`);
      return handler(new Request(url));
    },
  };
  // net.fetch for the file: URLs a protocol handler reads (the only use the shell makes of it).
  const net = {
    fetch: vi.fn(async (url: string) => {
      try {
        return new Response(await readFile(fileURLToPath(url)), { status: 200 });
      } catch {
        return new Response('not found', { status: 404 });
      }
    }),
  };

  /** The application menu as built from its template; `click(label)` is the person choosing an item. */
  const Menu = {
    current: null as null | { template: any[] },
    buildFromTemplate: vi.fn((template: any[]) => ({ template })),
    setApplicationMenu: vi.fn((menu: { template: any[] } | null) => {
      Menu.current = menu;
    }),
    /** Test helper: the item labelled `label` in any submenu, clicked. */
    click(label: string): void {
      const items = (Menu.current?.template ?? []).flatMap((m: any) => (Array.isArray(m.submenu) ? m.submenu : []));
      const item = items.find((i: any) => i.label === label);
      if (!item?.click) throw new Error(`no menu item "${label}"`);
      item.click();
    },
  };

  const electron = {
    app,
    Menu,
    BrowserWindow: FakeBrowserWindow,
    ipcMain,
    ipcRenderer,
    contextBridge,
    session: { defaultSession },
    shell,
    dialog,
    webUtils,
    protocol,
    net,
    FakeWebContents,
    FakeFrame,
  };
  return { ...electron, default: electron };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
export type FakeWindow = InstanceType<FakeElectron['BrowserWindow']>;
