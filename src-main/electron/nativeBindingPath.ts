// Where `npm start` puts better-sqlite3 compiled for Electron, beside (never instead of) the Node build
// that `npm install` made for `npm test`. Shared by main.ts and scripts/ (npm start).
import { join } from 'node:path';

export const NATIVE_BINDING_ENV = 'SNAPSHOT_STUDIO_NATIVE_BINDING';

export function electronNativeDir(projectRoot: string, electronVersion: string): string {
  return join(projectRoot, '.electron-native', electronVersion);
}

export function electronNativeBindingPath(projectRoot: string, electronVersion: string): string {
  return join(electronNativeDir(projectRoot, electronVersion), 'better_sqlite3.node');
}
