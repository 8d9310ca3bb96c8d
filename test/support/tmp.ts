// Temporary folders for tests: real files on disk, removed after each test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const examplesDir = join(repoRoot, 'resources/examples');

export function tempDir(prefix = 'studio-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
