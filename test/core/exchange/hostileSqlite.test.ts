// A foreign SQLite file is hostile until read: a file of a few KB whose snapshot column
// SQLite computes (a generated column, a view) could make gigabytes. Such files are refused by name before
// anything is computed; stored values are measured before they are read and refused past a limit named in
// the error; the read runs in a worker, so the thread that serves requests goes on answering; and the
// importing process stays under the import benchmark's 400 MB whatever the file holds.
import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMastraDatabase } from '../../../src-main/core/exchange/adapters/mastraDatabase';
import { importFiles, type ImportPipelineOptions } from '../../../src-main/core/exchange/importer';
import { ImportError } from '../../../src-main/core/exchange/types';
import { Store } from '../../../src-main/core/store/store';
import { databaseFingerprint } from '../../support/fingerprint';
import { importInChild } from '../../support/importChild';
import { seedSyntheticRuns } from '../../support/syntheticRuns';
import { tempDir } from '../../support/tmp';
import { fixture } from './adapters/support';

const dir = tempDir('studio-hostile-sqlite-');
const targetFile = join(dir, 'studio.db');
let target: Store;

const COLUMNS = 'workflow_name TEXT, run_id TEXT, resourceId TEXT, createdAt TEXT, updatedAt TEXT';
const HUGE_TEXT = `printf('%.*c', 500000000, 'x')`;
const row = JSON.parse(readFileSync(fixture('mastra', '1x-rows.json'), 'utf8'))[0] as { workflowName: string; runId: string; snapshot: Record<string, unknown> };

/** A Mastra database made by `build` (given an open connection), as a file of its own. */
function mastraFile(name: string, build: (db: Database.Database) => void): string {
  const file = join(dir, name);
  const db = new Database(file);
  build(db);
  db.close();
  return file;
}

/** A legitimate Mastra table with `rows` runs, each snapshot ~`items` × 70 bytes of JSONB. */
function legitimate(db: Database.Database, rows: number, items = 10): void {
  db.exec(`CREATE TABLE mastra_workflow_snapshot (${COLUMNS}, snapshot TEXT)`);
  const insert = db.prepare('INSERT INTO mastra_workflow_snapshot VALUES (?, ?, ?, ?, ?, jsonb(?))');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) {
      const snapshot = { ...row.snapshot, runId: `run-${i}`, value: { items: Array.from({ length: items }, (_, k) => ({ id: `sku-${k}`, name: 'Keyboard', price: k * 1.5, qty: 2 })) } };
      insert.run(row.workflowName, `run-${i}`, 'user-1', '2026-11-21T14:22:00.050Z', '2026-11-21T14:22:00.065Z', JSON.stringify(snapshot));
    }
  })();
}

const fingerprint = () => databaseFingerprint(target);

/** The import is refused with a message matching `message` (and naming the file); the user's database is byte for byte what it was. */
async function expectRefused(file: string, message: RegExp, options: ImportPipelineOptions = {}): Promise<ImportError> {
  const before = fingerprint();
  const err = await importFiles(target, [file], options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportError);
  expect((err as Error).message).toMatch(message);
  expect((err as Error).message.startsWith(file)).toBe(true);
  expect(fingerprint()).toBe(before);
  expect(readdirSync(dir).filter((f) => f.includes('.import-'))).toEqual([]);
  return err as ImportError;
}

beforeAll(async () => {
  target = Store.open(targetFile);
  await seedSyntheticRuns(target, 2, 3, 'local');
});
afterAll(() => target.close());

describe('a foreign SQLite file that would make SQLite compute its values', () => {
  it('refuses a generated snapshot column by name, before computing it', async () => {
    for (const [name, expression] of [
      ['printf', HUGE_TEXT],
      ['zeroblob', 'zeroblob(500000000)'],
      ['replace', `replace(hex(zeroblob(100000000)), '00', 'xxxxx')`],
    ]) {
      const file = mastraFile(`generated-${name}.db`, (db) => {
        db.exec(`CREATE TABLE mastra_workflow_snapshot (${COLUMNS}, snapshot TEXT GENERATED ALWAYS AS (${expression}) VIRTUAL)`);
        db.exec("INSERT INTO mastra_workflow_snapshot (workflow_name, run_id) VALUES ('w', 'r')");
      });
      expect(readFileSync(file).length).toBeLessThan(16 * 1024);
      await expectRefused(file, /field "mastra_workflow_snapshot\.snapshot": the generated column "snapshot" of table "mastra_workflow_snapshot" is refused/);
    }
  });

  it('refuses a generated column in another table, a view and a trigger, each by name', async () => {
    const elsewhere = mastraFile('generated-elsewhere.db', (db) => {
      legitimate(db, 2);
      db.exec(`CREATE TABLE notes (id INTEGER, body TEXT GENERATED ALWAYS AS (${HUGE_TEXT}) STORED)`);
    });
    await expectRefused(elsewhere, /the generated column "body" of table "notes" is refused/);

    const view = mastraFile('view.db', (db) => {
      db.exec(`CREATE TABLE base (${COLUMNS}); INSERT INTO base (workflow_name, run_id) VALUES ('w', 'r')`);
      db.exec(`CREATE VIEW mastra_workflow_snapshot AS SELECT *, ${HUGE_TEXT} AS snapshot FROM base`);
    });
    await expectRefused(view, /field "mastra_workflow_snapshot": a view "mastra_workflow_snapshot" is refused.*got a view/);

    const otherView = mastraFile('other-view.db', (db) => {
      legitimate(db, 2);
      db.exec(`CREATE VIEW bulky AS SELECT ${HUGE_TEXT} AS x`);
    });
    await expectRefused(otherView, /a view "bulky" is refused/);

    const trigger = mastraFile('trigger.db', (db) => {
      legitimate(db, 2);
      db.exec(`CREATE TABLE log (x); CREATE TRIGGER grow AFTER UPDATE ON mastra_workflow_snapshot BEGIN INSERT INTO log VALUES (${HUGE_TEXT}); END`);
    });
    await expectRefused(trigger, /a trigger "grow" is refused.*got a trigger on mastra_workflow_snapshot/);
  });

  it('refuses a virtual table as the Mastra table', async () => {
    const file = mastraFile('virtual.db', (db) => db.exec('CREATE VIRTUAL TABLE mastra_workflow_snapshot USING fts5(workflow_name, run_id, resourceId, createdAt, updatedAt, snapshot)'));
    await expectRefused(file, /the table mastra_workflow_snapshot is a virtual table/);
  });
});

describe('limits on what one foreign SQLite file may hold', () => {
  it('refuses more rows than a file may hold, naming the limit and the count', async () => {
    const file = mastraFile('rows.db', (db) => legitimate(db, 6));
    await expectRefused(file, /field "mastra_workflow_snapshot": the file holds more rows than an import reads from one file.*expected at most 5 rows per file, got 6 rows/, { sqliteLimits: { maxRows: 5 } });
  });

  it('refuses a value larger than the limit from its stored size, naming the row and the column', async () => {
    const file = mastraFile('large-value.db', (db) => legitimate(db, 3, 200));
    await expectRefused(file, /row 1 field "snapshot": the value is larger than an import reads \(one snapshot\) \(expected at most 4 KB, got \d+ KB\)/, { sqliteLimits: { maxValueBytes: 4096 } });
    const names = mastraFile('large-name.db', (db) => {
      legitimate(db, 2);
      db.prepare('UPDATE mastra_workflow_snapshot SET run_id = ? WHERE rowid = 2').run('r'.repeat(100_000));
    });
    await expectRefused(names, /row 2 field "run_id": the value is larger than an import reads \(the run_id column\) \(expected at most 64 KB, got 98 KB\)/);
  });

  it('refuses a file whose values together pass the limit, before reading any', async () => {
    const file = mastraFile('total.db', (db) => legitimate(db, 20));
    await expectRefused(file, /field "mastra_workflow_snapshot": the file holds more than an import reads from one file.*expected at most 10 KB of values per file/, { sqliteLimits: { maxFileBytes: 10 * 1024 } });
  });

  it('refuses a small value that would parse into millions of objects, before parsing it', async () => {
    // ~1 MB of "[[],[],…]": 350,000 arrays, ~30 MB of objects once parsed.
    const file = mastraFile('parse-bomb.db', (db) => {
      db.exec(`CREATE TABLE mastra_workflow_snapshot (${COLUMNS}, snapshot TEXT)`);
      db.prepare("INSERT INTO mastra_workflow_snapshot VALUES ('w', 'r', null, '2026-01-01', '2026-01-01', ?)").run(`[${Array(350_000).fill('[]').join(',')}]`);
    });
    await expectRefused(file, /row 1 field "snapshot": the file holds more than an import reads from one file.*expected at most 16 MB of parsed values per file/, { sqliteLimits: { maxParsedBytes: 16 * 1024 * 1024 } });
  });

  it('still reads a legitimate file within the limits', async () => {
    const file = mastraFile('legitimate.db', (db) => legitimate(db, 3));
    const store = Store.open(join(dir, 'legitimate-target.db'));
    expect(await importFiles(store, [file])).toMatchObject({ runs: 3, snapshots: 3 });
    store.close();
  });

  it('keeps the importing process under 400 MB for the files above, with the default limits', async () => {
    // A value over the default limit (8 MB) whose stored size alone refuses it, and a 7 MB value that would parse into ~2.4 million arrays.
    const big = mastraFile('default-large.db', (db) => {
      db.exec(`CREATE TABLE mastra_workflow_snapshot (${COLUMNS}, snapshot TEXT)`);
      db.prepare("INSERT INTO mastra_workflow_snapshot VALUES ('w', 'r', null, '2026-01-01', '2026-01-01', ?)").run(JSON.stringify({ blob: 'x'.repeat(9 * 1024 * 1024) }));
    });
    const bomb = mastraFile('default-bomb.db', (db) => {
      db.exec(`CREATE TABLE mastra_workflow_snapshot (${COLUMNS}, snapshot TEXT)`);
      db.prepare("INSERT INTO mastra_workflow_snapshot VALUES ('w', 'r', null, '2026-01-01', '2026-01-01', ?)").run(`[${Array(2_400_000).fill('[]').join(',')}]`);
    });
    for (const [file, message] of [
      [join(dir, 'generated-printf.db'), /the generated column "snapshot"/],
      [join(dir, 'generated-zeroblob.db'), /the generated column "snapshot"/],
      [join(dir, 'view.db'), /a view "mastra_workflow_snapshot" is refused/],
      [big, /the value is larger than an import reads/],
      [bomb, /of parsed values per file/],
    ] as const) {
      const result = await importInChild(join(dir, 'child.db'), [file]);
      expect(result.ok, file).toBe(false);
      expect(result.message).toMatch(message);
      expect(result.maxRssMb, file).toBeLessThan(400);
    }
  });
});

describe('the read runs off the thread that serves requests', () => {
  it('the event loop of the importing process keeps turning while a large file is read, and while one is refused at a limit', async () => {
    const file = mastraFile('large-legitimate.db', (db) => legitimate(db, 3000, 40));
    for (const limits of [{}, { maxParsedBytes: 4 * 1024 * 1024 }]) {
      let ticks = 0;
      const timer = setInterval(() => ticks++, 1);
      let ticksAtEnd = -1;
      const reading = readMastraDatabase(file, { limits }).then(
        (records) => ((ticksAtEnd = ticks), records.length),
        (err: unknown) => ((ticksAtEnd = ticks), err),
      );
      const outcome = await reading;
      clearInterval(timer);
      if (Object.keys(limits).length === 0) expect(outcome).toBe(3000);
      else expect(String(outcome)).toMatch(/of parsed values per file/);
      // The condition, not a duration: timers ran while the rows were being read (a read on this thread lets none run until it ends).
      expect(ticksAtEnd).toBeGreaterThanOrEqual(5);
    }
  });
});
