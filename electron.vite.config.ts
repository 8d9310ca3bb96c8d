// Builds the three Electron parts: main (src-main/electron/main.ts), the sandboxed preload (CommonJS,
// as sandboxed preloads must be) and the renderer (src-renderer), which `serve` also hands to browsers.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: { entry: resolve('src-main/electron/main.ts'), formats: ['es'] },
      rollupOptions: { output: { entryFileNames: 'main.js' } },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require nothing but 'electron': the contract's method table comes bundled, zod with it.
      externalizeDeps: { exclude: ['zod'] },
      outDir: 'out/preload',
      lib: { entry: resolve('src-main/electron/preload.ts'), formats: ['cjs'] },
      rollupOptions: { output: { entryFileNames: 'preload.cjs' } },
    },
  },
  renderer: {
    root: resolve('src-renderer'),
    base: './',
    plugins: [react()],
    // The shared contract as @shared/…, as tsconfig.renderer.json says to TypeScript.
    resolve: { alias: { '@shared': resolve('src-main/shared') } },
    build: {
      outDir: resolve('out/renderer'),
      emptyOutDir: true,
      rollupOptions: { input: resolve('src-renderer/index.html') },
    },
  },
});
