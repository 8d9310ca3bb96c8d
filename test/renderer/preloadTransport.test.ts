// The Electron transport gives the renderer errors with codes, as the HTTP transport does.
import { describe, expect, it } from 'vitest';
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
});
