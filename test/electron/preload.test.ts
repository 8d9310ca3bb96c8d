// The sandboxed preload, against a fake contextBridge and ipcRenderer: the page gets window.studio (every
// contract method plus subscribe) and nothing that would let it talk to main on its own.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { StudioEvent } from '../../src-main/shared/api';
import { studioMethods } from '../../src-main/shared/schemas';
import {
  STUDIO_CALL_CHANNEL,
  STUDIO_EVENT_CHANNEL,
  STUDIO_EXPORT_CHANNEL,
  STUDIO_IMPORT_DIALOG_CHANNEL,
  STUDIO_IMPORT_FILE_CHANNEL,
} from '../../src-main/electron/channels';
import { createFakeElectron, type FakeElectron } from './fakeElectron';

let electron: FakeElectron;
let studio: Record<string, unknown>;

beforeEach(async () => {
  vi.resetModules();
  electron = createFakeElectron();
  vi.doMock('electron', () => electron);
  await import('../../src-main/electron/preload');
  studio = electron.contextBridge.exposed.get('studio') as Record<string, unknown>;
});

describe('what the page sees', () => {
  it('is exactly one global, window.studio', () => {
    expect([...electron.contextBridge.exposed.keys()]).toEqual(['studio']);
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledTimes(1);
  });

  it('has one function per contract method, plus subscribe, the three file helpers and Open database…, and nothing else', () => {
    expect(Object.keys(studio).sort()).toEqual([...studioMethods, 'subscribe', 'importGivenFile', 'importWithDialog', 'exportWithDialog', 'openDatabase', 'onOpenDatabaseAsked'].sort());
    for (const value of Object.values(studio)) expect(typeof value).toBe('function');
  });

  it('never hands out ipcRenderer or a way to reach other channels', () => {
    for (const value of Object.values(studio)) expect(value).not.toBe(electron.ipcRenderer);
    for (const name of ['ipcRenderer', 'invoke', 'send', 'on', 'call']) expect(studio).not.toHaveProperty(name);
  });
});

describe('calling a method', () => {
  it('invokes the one channel with the method name and its arguments, and resolves to the result', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, result: { seq: 2 } });
    const getSnapshot = studio.getSnapshot as (runId: string, seq: number) => Promise<unknown>;
    await expect(getSnapshot('run-1', 2)).resolves.toEqual({ seq: 2 });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(STUDIO_CALL_CHANNEL, 'getSnapshot', ['run-1', 2]);
  });

  it('rejects with an Error that carries the code, in the message too (contextBridge keeps only the message)', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: false, error: { code: 'E_BAD_ARGUMENT', message: 'getSnapshot: seq: too small' } });
    const error = await (studio.getSnapshot as (r: string, s: number) => Promise<unknown>)('r', -1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'StudioError', code: 'E_BAD_ARGUMENT', message: 'E_BAD_ARGUMENT: getSnapshot: seq: too small' });
  });

  it('rejects plainly when main gives no reply at all (a dropped call)', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce(undefined);
    await expect((studio.listRuns as () => Promise<unknown>)()).rejects.toMatchObject({ code: 'E_IPC' });
  });
});

describe('subscribe', () => {
  it('passes each event to the listener without the IPC event object, until unsubscribed', () => {
    const received: unknown[][] = [];
    const unsubscribe = (studio.subscribe as (l: (...a: unknown[]) => void) => () => void)((...args) => received.push(args));
    const event: StudioEvent = { type: 'workflows-changed' };
    electron.ipcRenderer.deliver(STUDIO_EVENT_CHANNEL, event);
    expect(received).toEqual([[event]]);
    unsubscribe();
    expect(electron.ipcRenderer.listenerCount(STUDIO_EVENT_CHANNEL)).toBe(0);
    electron.ipcRenderer.deliver(STUDIO_EVENT_CHANNEL, event);
    expect(received).toHaveLength(1);
  });

  it('refuses something that is not a function', () => {
    expect(() => (studio.subscribe as (l: unknown) => void)('nope')).toThrow(TypeError);
  });
});

describe('files', () => {
  type Import = (file: unknown, format?: unknown) => Promise<unknown>;

  it('imports a dropped or picked File: its path comes from webUtils and goes to main on the import channel', async () => {
    const file = electron.webUtils.fileOnDisk('/home/ada/prod.ssx.ndjson');
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, result: { runs: 2, snapshots: 9, skipped: 0 } });
    await expect((studio.importGivenFile as Import)(file, 'auto')).resolves.toEqual({ runs: 2, snapshots: 9, skipped: 0 });
    expect(electron.webUtils.getPathForFile).toHaveBeenCalledWith(file);
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(STUDIO_IMPORT_FILE_CHANNEL, '/home/ada/prod.ssx.ndjson', 'auto');
  });

  it('refuses anything that is not a File with a path on disk, and sends nothing to main', async () => {
    const importGivenFile = studio.importGivenFile as Import;
    const notFiles: unknown[] = [
      '/etc/shadow',
      ['/etc/shadow'],
      { name: 'shadow', path: '/etc/shadow' },
      new Blob(['x']),
      new File(['made by the page'], 'shadow'), // a File the page built itself has no path
      null,
      undefined,
    ];
    for (const value of notFiles) {
      await expect(importGivenFile(value, 'auto'), String(value)).rejects.toMatchObject({ code: expect.stringMatching(/^E_(BAD_ARGUMENT|NO_PATH)$/) });
    }
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled();
  });

  it('asks main for an open dialog on its own channel, passing only the format', async () => {
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, result: null });
    await expect((studio.importWithDialog as (format: string) => Promise<unknown>)('auto')).resolves.toBeNull();
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(STUDIO_IMPORT_DIALOG_CHANNEL, 'auto');
  });

  it('asks main to export through its save dialog, sending options without a path', async () => {
    const exportWithDialog = studio.exportWithDialog as (options: unknown, name: string) => Promise<unknown>;
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, result: { file: '/home/ada/run.ssx.ndjson.gz', runs: 1, snapshots: 2, redacted: 0 } });
    await expect(exportWithDialog({ runIds: ['r1'], out: '/etc/cron.d/x' }, 'run.ssx.ndjson.gz')).resolves.toMatchObject({ runs: 1 });
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(STUDIO_EXPORT_CHANNEL, { runIds: ['r1'] }, 'run.ssx.ndjson.gz');
    electron.ipcRenderer.invoke.mockResolvedValueOnce({ ok: true, result: null });
    await expect(exportWithDialog({ runIds: ['r1'] }, 'run.ssx.ndjson.gz')).resolves.toBeNull();
  });

  it('gives the page no way to learn a path: no pathForFile, no chooseExportFile', () => {
    expect(studio).not.toHaveProperty('pathForFile');
    expect(studio).not.toHaveProperty('chooseExportFile');
  });
});
