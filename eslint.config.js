// Lint: the recommended JavaScript and TypeScript rules, plus a guard that only the Electron shell
// touches ipcMain (the one validated channel lives in src-main/electron/ipc.ts).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'test-output/**', 'bench-report/**', '.electron-native/**', '.snapshot-studio/**'] },
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
);
