// An import refuses what it cannot read by saying what it expected and what kind of file it found, never
// by quoting the file: a file someone picked by mistake, or was made to pick, may
// hold a secret. Paths that are not files are called what they are.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExchangeFormat } from '../../../src-main/shared/api';
import { importFiles } from '../../../src-main/core/exchange/importer';
import { ImportError } from '../../../src-main/core/exchange/types';
import { Store } from '../../../src-main/core/store/store';
import { tempDir } from '../../support/tmp';
import { fixture } from './adapters/support';

const dir = tempDir('studio-file-kinds-');
let store: Store;
beforeAll(() => {
  store = Store.open(join(dir, 'studio.db'));
});
afterAll(() => store.close());

/** A password file's shape: none of its bytes may appear in an error. */
const SECRET = 'root:$6$Zq9saltsalt$3xAmPLEhAsHvAlUe:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n';
const SECRET_PARTS = ['root', '$6$', 'Zq9', 'daemon', '19000', '99999'];

async function refusal(files: string[], format?: ExchangeFormat): Promise<string> {
  const err = await importFiles(store, files, format ? { format } : {}).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportError);
  return (err as Error).message;
}

function write(name: string, content: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** Nothing outside printable ASCII, and none of the file's bytes. */
function expectNoContent(message: string, parts: string[]): void {
  expect(message).toMatch(/^[\x20-\x7e]*$/);
  for (const part of parts) expect(message).not.toContain(part);
}

describe('a file of no format this build reads', () => {
  it('a damaged SQLite database: SQLite says what is wrong, no bytes of it are shown', async () => {
    const good = readFileSync(fixture('mastra', '1x-mastra.db'));
    // The header kept, the pages after it overwritten: SQLite refuses to read the schema.
    const damaged = Buffer.concat([good.subarray(0, 100), Buffer.alloc(good.length - 100, 0xa5)]);
    const file = write('damaged.db', damaged);
    const message = await refusal([file]);
    expect(message).toMatch(/damaged\.db: the SQLite database is damaged \(expected a native export \(\.ssx\.ndjson\), mastra, langgraph, kaiban, refluxo, temporal, got an SQLite database that is damaged: (database disk image is malformed|file is not a database)\)/);
    expectNoContent(message, ['\u00a5']);

    const other = write('other.db', '');
    new Database(other).exec('CREATE TABLE secrets (pin TEXT); INSERT INTO secrets VALUES (\'4711\')').close();
    const noTable = await refusal([other]);
    expect(noTable).toMatch(/other\.db: this SQLite database holds no Mastra workflow snapshots and no LangGraph checkpoints \(expected .*, got an SQLite database without a mastra_workflow_snapshot table, nor LangGraph's checkpoints and writes tables\)/);
    expectNoContent(noTable, ['4711', 'secrets']);
  });

  it('a damaged Mastra database read as Mastra: named as damaged, by SQLite', async () => {
    const good = readFileSync(fixture('mastra', '1x-mastra.db'));
    // The schema kept (page 1), the table's pages overwritten.
    const damaged = Buffer.concat([good.subarray(0, 4096), Buffer.alloc(good.length - 4096, 0xa5)]);
    const message = await refusal([write('damaged-mastra.db', damaged)]);
    expect(message).toMatch(/damaged-mastra\.db.*got an SQLite database that is damaged: database disk image is malformed/);
    expectNoContent(message, ['\u00a5']);
  });

  it('an empty file, binary data, text, JSON of another shape, gzip: the kind, never the content', async () => {
    const known = /\(expected a native export \(\.ssx\.ndjson\), mastra, langgraph, kaiban, refluxo, temporal, got /;
    const cases: [string, string | Buffer, string][] = [
      ['empty.json', '', 'an empty file'],
      ['random.bin', Buffer.from([0x00, 0x9f, 0x92, 0x96, 0xff, 0x13, 0x37, ...Buffer.from('rootsecret')]), 'binary data, not JSON'],
      ['shadow', SECRET, 'text, not JSON'],
      ['config.json', '{"apiKey": "sk-root-19000", "daemon": true}', 'JSON of a shape none of these formats has'],
      ['shadow.gz', gzipSync(SECRET), 'gzip-compressed text, not JSON'],
      ['archive.zip', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('root daemon')]), 'a ZIP archive, not JSON'],
      ['blank.txt', '\n\n   \n', 'text that is only blank'],
    ];
    for (const [name, content, kind] of cases) {
      const message = await refusal([write(name, content)]);
      expect(message).toContain(`${join(dir, name)}: unknown format: say which format it is`);
      expect(message).toMatch(known);
      expect(message.endsWith(`got ${kind})`), message).toBe(true);
      expectNoContent(message.replace(dir, ''), [...SECRET_PARTS, 'sk-', 'apiKey']);
    }
  });

  it('a password file read as each format in turn: still never quoted', async () => {
    const file = write('shadow-forced', SECRET);
    for (const format of ['native', 'mastra', 'kaiban', 'refluxo', 'temporal'] as const) {
      const message = await refusal([file], format);
      expect(message).toContain(file);
      expectNoContent(message.replace(dir, ''), SECRET_PARTS);
    }
    // JSON of another shape read as a format: the fields it lacks are named, its values are not shown.
    const json = write('config-forced.json', '{"apiKey": "sk-root-19000", "daemon": {"password": "hunter2"}}');
    for (const format of ['native', 'mastra', 'kaiban', 'refluxo', 'temporal'] as const) {
      const message = await refusal([json], format);
      expectNoContent(message.replace(dir, ''), ['sk-root', 'hunter2']);
    }
  });

  it('a file that is a format this build reads keeps its precise errors', async () => {
    const rows = JSON.parse(readFileSync(fixture('mastra', '1x-rows.json'), 'utf8'));
    rows[0].snapshot.status = 'exploded';
    const message = await refusal([write('status.json', JSON.stringify(rows))]);
    expect(message).toMatch(/field "snapshot\.status": unexpected value \(expected one of .*, got "exploded"\)/);
  });
});

describe('a path that is not a file', () => {
  it('a folder, a character device, a named pipe: each called what it is', async () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    expect(await refusal([folder])).toBe(`${folder}: cannot import a folder (expected a file, got a folder)`);
    expect(await refusal(['/dev/null'])).toBe('/dev/null: can only import files (expected a file, got a character device, not a file)');
    const fifo = join(dir, 'a-pipe');
    execFileSync('mkfifo', [fifo]);
    // Refused from what it is: opening a pipe to read its first bytes would wait for a writer forever.
    expect(await refusal([fifo])).toBe(`${fifo}: can only import files (expected a file, got a named pipe, not a file)`);
  });
});
