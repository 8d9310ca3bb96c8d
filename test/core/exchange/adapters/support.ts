// Fixtures of the foreign formats and helpers the adapter tests share: the head a detector sees, temp
// files for records a test makes up, and a check that an import error names where and what.
import { openSync, readSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ImportError } from '../../../../src-main/core/exchange/types';
import { repoRoot, tempDir } from '../../../support/tmp';

export const fixturesDir = join(repoRoot, 'test/fixtures/foreign');

export function fixture(format: 'mastra' | 'kaiban' | 'refluxo' | 'temporal', name: string): string {
  return join(fixturesDir, format, name);
}

export const FIXTURES = {
  mastra: ['0x-rows.json', '0x-suspended.ndjson', '0x-resumed.json', '1x-rows.json', '1x-suspended.ndjson', '1x-resumed.json', '1x-mastra.db'].map((f) => fixture('mastra', f)),
  kaiban: ['order-1-initial.json', 'order-1-suspended.json', 'order-1-completed.json', 'order-2-failed.json'].map((f) => fixture('kaiban', f)),
  refluxo: ['exec-7f3c.ndjson', 'exec-9d21-failed.json'].map((f) => fixture('refluxo', f)),
  temporal: ['order-completed.json', 'order-failed.json', 'order-failed-short.json'].map((f) => fixture('temporal', f)),
};

/** What the import pipeline hands detect(): the name and the first 64 KB as text. */
export function sample(file: string): { file: string; head: string } {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return { file, head: buf.subarray(0, n).toString('utf8') };
  } finally {
    closeSync(fd);
  }
}

/** Call at the top of a test file: writes files for its tests into a folder removed after the file. */
export function scratchFiles(): (name: string, text: string) => string {
  const dir = tempDir('adapters-');
  return (name, text) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
}

/** The read must fail with an ImportError naming the file, the place, the field, and what was expected and found. */
export async function expectImportError(
  reading: Promise<unknown>,
  want: { file: string; line?: number; row?: number; field: string; expected: RegExp; got: string },
): Promise<ImportError> {
  const err = await reading.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportError);
  const e = err as ImportError;
  expect(e.code).toBe('E_IMPORT');
  expect(e.where.file).toBe(want.file);
  expect(e.where.line).toBe(want.line);
  expect(e.where.row).toBe(want.row);
  expect(e.where.field).toBe(want.field);
  expect(e.where.expected).toMatch(want.expected);
  expect(e.where.got).toBe(want.got);
  expect(e.message).toContain(want.file);
  expect(e.message).toContain(`"${want.field}"`);
  return e;
}

/** A document without what tells two reads of the same point apart (the file it came from). */
export function withoutSource<T extends { metadata: Record<string, unknown> }>(doc: T): T {
  const { source: _source, ...metadata } = doc.metadata;
  return { ...doc, metadata };
}
