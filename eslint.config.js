// Lint: the recommended JavaScript and TypeScript rules, a guard that only the Electron shell touches ipcMain
// (the one validated channel lives in src-main/electron/ipc.ts), and the layers (see `layers` below).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Packages that run anywhere (no Node, no DOM): the only ones the shared contract may import. */
const PURE_PACKAGES = ['zod', 'jsondiffpatch'];
const nodeOnly = [...builtinModules.filter((m) => !m.startsWith('_')), 'electron', 'better-sqlite3', 'esbuild', 'tsx'];

// Who may import whom, as VS Code's code-layering does it: the window (src-renderer) talks to the core only
// through the contract (src-main/shared, imported as @shared/…) and a StudioClient; the core knows nothing of
// its shells (Electron, the HTTP server, the CLI); the contract depends on nothing but itself and pure packages.
// no-restricted-imports matches the import as written, not the resolved file, and that is enough here: the
// layers are sibling folders, so a relative import out of one names the other (`../../../src-main/core/…` from
// the window, `../server/…` or `../../cli/…` from the core, `../core/…` from the contract). Type-only imports
// count too: a layer that may not run a module may not lean on its types either. Dynamic import() is not
// checked by this rule; none crosses a layer.
/** The imports a layer's files may not make: `paths` by exact name, `patterns` by regular expression. */
const layer = (files, { paths = [], patterns = [] }) => ({ files, rules: { 'no-restricted-imports': ['error', { paths, patterns }] } });
const browserOnly = 'The window runs in a browser: it reaches Node only through the core, over the StudioClient (lib/studio.ts).';
const plainCore = 'The core is plain Node: Electron belongs to the shell in src-main/electron.';

const layers = [
  layer(['src-renderer/**'], {
    paths: nodeOnly.map((name) => ({ name, message: browserOnly })),
    patterns: [
      { regex: '^node:', message: browserOnly },
      { regex: '^(electron|better-sqlite3|esbuild|tsx)/', message: 'The window runs in a browser: Node-only packages stay in src-main.' },
      { regex: '(^|/)src-main/shared(/|$)', message: 'Import the shared contract as @shared/… (tsconfig.renderer.json, electron.vite.config.ts).' },
      { regex: '(^|/)src-main/(?!shared(/|$))', message: 'The window imports only the shared contract (@shared/…): the core and the shells (electron, server, cli) run on Node, behind the StudioClient.' },
    ],
  }),
  layer(['src-main/core/**'], {
    paths: [{ name: 'electron', message: plainCore }],
    patterns: [
      { regex: '^electron/', message: plainCore },
      { regex: '^(\\.\\./)+(src-main/)?(electron|server|cli)(/|$)', message: 'The core knows nothing of its shells (Electron, HTTP, argv): a shell imports the core, never the reverse.' },
      { regex: '(^|/)src-renderer(/|$)', message: 'The core knows nothing of the window.' },
    ],
  }),
  layer(['src-main/shared/**'], {
    patterns: [
      { regex: '^(\\.\\./)+(core|electron|server|cli|sdk)(/|$)|(^|/)src-(main|renderer)(/|$)', message: 'The shared contract imports nothing but itself and pure packages: the core, the shells and the window import it.' },
      { regex: `^(?!\\.|(${PURE_PACKAGES.join('|')})(/|$))`, message: `The shared contract runs in the window and on Node: it may import only pure packages (${PURE_PACKAGES.join(', ')}).` },
    ],
  }),
];

export default tseslint.config(
  // test/fixtures/layers holds files that break the layers on purpose (test/tooling/layers.test.ts lints them as if in place).
  { ignores: ['out/**', 'node_modules/**', 'test-output/**', 'bench-report/**', '.electron-native/**', '.snapshot-studio/**', 'test/fixtures/layers/**', '.fixture-cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "ImportSpecifier[imported.name='ipcMain']", message: 'ipcMain is used only in src-main/electron/ipc.ts' },
      ],
    },
  },
  {
    files: ['src-main/electron/ipc.ts', 'src-main/electron/main.ts', 'test/electron/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  ...layers,
);
