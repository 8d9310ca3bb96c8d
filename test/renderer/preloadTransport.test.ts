// The Electron transport gives the renderer errors with codes, as the HTTP transport does.
import { describe, expect, it } from 'vitest';
import { pickTransport } from '../../src-renderer/transport/pickTransport';
import { preloadClient } from '../../src-renderer/transport/preloadTransport';

describe('preload transport', () => {
  it('turns a coded message from the bridge back into an error with a code, and passes results through', async () => {
    const bridge = {
      listRuns: async () => [{ id: 'r1' }],
      getRun: async () => {
        throw new Error('E_NO_RUN: no run with id "x"');
      },
      subscribe: () => () => undefined,
    };
    const client = preloadClient({ studio: bridge } as unknown as Window)!;
    expect(await client.listRuns()).toEqual([{ id: 'r1' }]);
    await expect(client.getRun('x')).rejects.toMatchObject({ name: 'ApiCallError', code: 'E_NO_RUN', message: 'no run with id "x"' });
    expect(typeof client.subscribe(() => undefined)).toBe('function');
    expect(preloadClient({} as Window)).toBeNull();
  });

  it("hands the window the desktop app's Open database…: what the menu asks, and the switch, its errors coded", async () => {
    const asked: (() => void)[] = [];
    const bridge = {
      listRuns: async () => [],
      subscribe: () => () => undefined,
      openDatabase: async (db: string) => {
        if (db.includes('nowhere')) throw new Error('E_DB_CONNECT: cannot connect to PostgreSQL at nowhere:5432: getaddrinfo ENOTFOUND nowhere');
        return { readOnly: false, provider: 'postgres', database: db };
      },
      onOpenDatabaseAsked: (listener: () => void) => {
        asked.push(listener);
        return () => asked.splice(asked.indexOf(listener), 1);
      },
    };
    const choice = pickTransport({ studio: bridge } as unknown as Window);
    if (!('client' in choice) || !choice.database) throw new Error('the desktop transport has no database switch');
    let times = 0;
    const stop = choice.database.onAsked(() => times++);
    asked.forEach((listener) => listener());
    expect(times).toBe(1);
    stop();
    expect(asked).toHaveLength(0);
    expect(await choice.database.open('postgres://ada@db/team')).toMatchObject({ provider: 'postgres' });
    await expect(choice.database.open('postgres://nowhere/team')).rejects.toMatchObject({ name: 'ApiCallError', code: 'E_DB_CONNECT' });
    const browser = pickTransport({ location: new URL('http://127.0.0.1/?token=t'), sessionStorage: { getItem: () => null, setItem: () => undefined }, history: { replaceState: () => undefined }, document: {} } as unknown as Window);
    expect('client' in browser && browser.database).toBeFalsy();
  });
});
