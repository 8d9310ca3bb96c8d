import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Renderer modules under test import the shared contract as @shared/… (electron.vite.config.ts, tsconfig.test.json).
  resolve: { alias: { '@shared': resolve('src-main/shared') } },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    globalSetup: ['test/support/global-setup.ts', 'test/support/pgServer.ts'],
    // Every snapshot the suite writes is read back through its delta chain and compared (store/queries.ts).
    env: { SNAPSHOT_STUDIO_VERIFY_WRITES: '1' },
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    // Two cores here: Chromium and child processes share them with the test workers.
    maxWorkers: 2,
  },
});
