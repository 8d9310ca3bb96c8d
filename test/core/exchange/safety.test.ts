// A bad export file is refused with an error naming the file, the line, the field, what was expected and
// what was found; nothing crashes and the database file is byte for byte what it was before.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { importFiles, type ImportPipelineOptions, type ImportProgress } from '../../../src-main/core/exchange/importer';
import { exportRuns } from '../../../src-main/core/exchange/native/exporter';
import { ImportError } from '../../../src-main/core/exchange/types';
import { Store } from '../../../src-main/core/store/store';
import { databaseFingerprint } from '../../support/fingerprint';
import { readExportLines, seedSyntheticRuns, writeExportLines } from '../../support/syntheticRuns';
import { tempDir } from '../../support/tmp';

const dir = tempDir('studio-exchange-safety-');
const base = join(dir, 'base.ssx.ndjson');
const targetFile = join(dir, 'target.db');
let target: Store;
let lines: Record<string, unknown>[];

beforeAll(async () => {
  const source = Store.open(join(dir, 'source.db'));
  await seedSyntheticRuns(source, 3, 5);
  await exportRuns(source.read, { since: '2000-01-01', out: base, redact: false });
  source.close();
  lines = readExportLines(base);
  target = Store.open(targetFile);
  await seedSyntheticRuns(target, 1, 3, 'local');
});
afterAll(() => target.close());

const fingerprint = () => databaseFingerprint(target);

/** Imports `file` expecting a refusal matching `message`; checks the database did not change and no staging file is left. */
async function expectRefused(files: string[], message: RegExp, options: ImportPipelineOptions = {}): Promise<ImportError> {
  const before = fingerprint();
  const err = await importFiles(target, files, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImportError);
  expect((err as ImportError).code).toBe('E_IMPORT');
  expect((err as Error).message).toMatch(message);
  expect(fingerprint()).toBe(before);
  expect(readdirSync(dir).filter((f) => f.includes('.import-'))).toEqual([]);
  return err as ImportError;
}

/** A copy of the base file's lines with one snapshot document changed. */
function withSnapshot(change: (doc: Record<string, unknown>) => void): Record<string, unknown>[] {
  const copy = structuredClone(lines);
  const snap = copy.find((l) => l.type === 'snapshot')!;
  change(snap.document as Record<string, unknown>);
  return copy;
}

/** A gzip export of `runs` synthetic runs of `snapshots` each, ids `${name}-0`…, from a database of their own. */
async function exportedRuns(name: string, runs: number, snapshots: number): Promise<string> {
  const other = Store.open(join(dir, `${name}-source.db`));
  await seedSyntheticRuns(other, runs, snapshots, name);
  const file = join(dir, `${name}.ssx.ndjson.gz`);
  await exportRuns(other.read, { since: '2000-01-01', out: file });
  other.close();
  return file;
}

const snapshotLineNo = () => lines.findIndex((l) => l.type === 'snapshot') + 1;

describe('importing a damaged or hostile native file', () => {
  it('refuses a truncated gzip file, naming it', async () => {
    const gz = gzipSync(readFileSync(base));
    const file = join(dir, 'truncated.ssx.ndjson.gz');
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    await expectRefused([file], /truncated\.ssx\.ndjson\.gz:\d+: the gzip stream is truncated/);
  });

  it('refuses a file whose checksum does not match its lines', async () => {
    const file = join(dir, 'tampered.ssx.ndjson');
    writeExportLines(file, withSnapshot((d) => ((d.state as Record<string, unknown>).counter = 999)), { fixChecksum: false });
    await expectRefused([file], new RegExp(`tampered\\.ssx\\.ndjson:${lines.length} field "trailer\\.sha256": the checksum does not match`));
  });

  it('refuses a file without its trailer', async () => {
    const file = join(dir, 'cut.ssx.ndjson');
    writeExportLines(file, lines.slice(0, -1));
    await expectRefused([file], new RegExp(`cut\\.ssx\\.ndjson:${lines.length}: the file ends without its trailer.*expected a trailer line, got end of file`));
  });

  it('refuses a trailer whose counts do not match the lines', async () => {
    const file = join(dir, 'lost.ssx.ndjson');
    const copy = lines.filter((l, i) => !(l.type === 'log' && i === lines.findIndex((x) => x.type === 'log')));
    writeExportLines(file, copy);
    await expectRefused([file], /field "trailer\.counts\.logs".*expected 2, got 3/);
  });

  it('refuses a line longer than the limit before reading it whole', async () => {
    const file = join(dir, 'long.ssx.ndjson');
    writeExportLines(file, withSnapshot((d) => ((d.state as Record<string, unknown>).blob = 'x'.repeat(10_000))));
    await expectRefused([file], new RegExp(`long\\.ssx\\.ndjson:${snapshotLineNo()}: the line is too long \\(expected a line of at most 8192 bytes`), { maxLineBytes: 8192 });
  });

  it('refuses nesting 100,000 deep without overflowing the stack', async () => {
    const file = join(dir, 'deep.ssx.ndjson');
    const copy: (Record<string, unknown> | string)[] = [...lines];
    copy[snapshotLineNo() - 1] = `{"type":"snapshot","document":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    writeExportLines(file, copy);
    await expectRefused([file], new RegExp(`deep\\.ssx\\.ndjson:${snapshotLineNo()}: the line is nested too deeply`));
  });

  it('refuses a negative or fractional seq, naming the field', async () => {
    const negative = join(dir, 'negative.ssx.ndjson');
    writeExportLines(negative, withSnapshot((d) => (d.seq = -1)));
    await expectRefused([negative], new RegExp(`negative\\.ssx\\.ndjson:${snapshotLineNo()} field "snapshot\\.seq": unexpected value \\(expected a number >= 1, got -1\\)`));
    const fractional = join(dir, 'fractional.ssx.ndjson');
    writeExportLines(fractional, withSnapshot((d) => (d.seq = 1.5)));
    await expectRefused([fractional], /field "snapshot\.seq": unexpected value \(expected a whole number, got 1\.5\)/);
  });

  it('refuses snapshots out of order', async () => {
    const file = join(dir, 'gap.ssx.ndjson');
    writeExportLines(file, withSnapshot((d) => (d.seq = 2)));
    await expectRefused([file], /field "snapshot\.seq": snapshots must come in seq order, without gaps \(expected 1, got 2\)/);
  });

  it('refuses a format version from the future, naming both versions', async () => {
    const file = join(dir, 'future.ssx.ndjson');
    writeExportLines(file, [{ ...lines[0], formatVersion: 3, newField: true }, ...lines.slice(1)]);
    await expectRefused([file], /future\.ssx\.ndjson:1 field "header\.formatVersion": the file is export format version 3, newer than this build knows \(2\)/);
  });

  it('refuses a snapshot schema version from the future', async () => {
    const file = join(dir, 'future-doc.ssx.ndjson');
    writeExportLines(file, withSnapshot((d) => (d.schemaVersion = 7)));
    await expectRefused([file], /field "snapshot\.schemaVersion": snapshot schema version 7 is newer than this build knows \(2\)/);
  });

  it('refuses workflow code changed after export', async () => {
    const file = join(dir, 'code.ssx.ndjson');
    const copy = structuredClone(lines);
    const version = copy.find((l) => l.type === 'workflowVersion')!;
    version.bundle = `${String(version.bundle)}\nrequire("child_process").execSync("echo owned");`;
    writeExportLines(file, copy);
    await expectRefused([file], /field "workflowVersion\.hash": the version's hash does not match its code/);
  });

  // A "__proto__" key is data (see untrustedInput.ts): kept as an own member where it was, changing no prototype.
  it('keeps "__proto__" keys, spelled out or escaped, as data where they were, and pollutes nothing', async () => {
    const n = snapshotLineNo() - 1;
    for (const [i, key] of ['__proto__', '\\u005f_proto__'].entries()) {
      const file = join(dir, `proto-${i}.ssx.ndjson`);
      const copy: (Record<string, unknown> | string)[] = [...lines];
      copy[n] = JSON.stringify(lines[n]).replace('"state":{', `"state":{"${key}":{"polluted":true},`);
      writeExportLines(file, copy);
      const store = Store.open(join(dir, `proto-${i}.db`));
      expect(await importFiles(store, [file])).toMatchObject({ runs: 3, snapshots: 15 });
      const doc = await store.read.getSnapshot('run-0', 1);
      expect(Object.getPrototypeOf(doc.state)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(doc.state, '__proto__')?.value).toEqual({ polluted: true });
      // The run's next snapshots are deltas from that one (format 2): they keep it too, as data.
      const next = await store.read.getSnapshot('run-0', 2);
      expect(Object.getPrototypeOf(next.state)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(next.state, '__proto__')?.value).toEqual({ polluted: true });
      expect(Object.getOwnPropertyDescriptor((await store.read.getSnapshot('run-1', 2)).state, '__proto__')).toBeUndefined();
      store.close();
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses lines that are not JSON, of an unknown type, or after the trailer', async () => {
    const bad = join(dir, 'bad.ssx.ndjson');
    writeExportLines(bad, [lines[0], '{"type":"run",', ...lines.slice(1)]);
    await expectRefused([bad], /bad\.ssx\.ndjson:2: the line is not valid JSON/);
    writeExportLines(bad, [lines[0], { type: 'mystery' }, ...lines.slice(1)]);
    await expectRefused([bad], /bad\.ssx\.ndjson:2 field "type": unknown line type \(expected one of header, workflowVersion, run, snapshot, log, trailer, got "mystery"\)/);
    writeExportLines(bad, [...lines, { type: 'log' }], { fixChecksum: false });
    await expectRefused([bad], new RegExp(`bad\\.ssx\\.ndjson:${lines.length + 1}: nothing may follow the trailer`));
  });

  it('imports nothing when one file of several is bad', async () => {
    const good = await exportedRuns('good', 2, 4);
    const bad = join(dir, 'bad-second.ssx.ndjson');
    writeExportLines(bad, lines.slice(0, -1));
    await expectRefused([good, bad], /bad-second\.ssx\.ndjson:\d+: the file ends without its trailer/);
    expect((await target.read.listRuns()).map((r) => r.id)).toEqual(['local-0']);
  });

  it('keeps keys of a document this build does not know, where they were', async () => {
    const store = Store.open(join(dir, 'unknown-keys.db'));
    const file = join(dir, 'unknown-keys.ssx.ndjson');
    writeExportLines(file, withSnapshot((d) => {
      d.addedLater = { by: 'a newer producer' };
      (d.steps as Record<string, Record<string, unknown>>)['step-0'].hint = 'kept';
    }));
    await importFiles(store, [file]);
    const doc = (await store.read.getSnapshot('run-0', 1)) as unknown as Record<string, unknown>;
    expect(doc.addedLater).toEqual({ by: 'a newer producer' });
    expect((doc.steps as Record<string, Record<string, unknown>>)['step-0'].hint).toBe('kept');
    expect(Object.keys(doc).slice(-1)).toEqual(['addedLater']);
    store.close();
  });

  it('keeps a "constructor" key as plain data, polluting nothing', async () => {
    const store = Store.open(join(dir, 'constructor.db'));
    const file = join(dir, 'constructor.ssx.ndjson');
    writeExportLines(file, withSnapshot((d) => Object.assign(d.state as object, JSON.parse('{"constructor":{"prototype":{"polluted":true}}}'))));
    const summary = await importFiles(store, [file]);
    expect(summary.runs).toBe(3);
    const doc = await store.read.getSnapshot('run-0', 1);
    expect(Object.getOwnPropertyDescriptor(doc.state, 'constructor')?.value).toEqual({ prototype: { polluted: true } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    store.close();
  });

  it('reports progress while it reads, by bytes and snapshots, then while it copies into the database', async () => {
    const file = join(dir, 'progress.db');
    const store = Store.open(file);
    const reports: ImportProgress[] = [];
    // What another connection sees at each report of the copy: nothing until the one transaction commits.
    const reader = new Database(file, { readonly: true });
    const seenDuringCopy: number[] = [];
    await importFiles(store, [base], {
      progressEveryMs: 0,
      onProgress: (p) => {
        reports.push(p);
        if (p.phase === 'copying') seenDuringCopy.push((reader.prepare('SELECT count(*) AS n FROM snapshots').get() as { n: number }).n);
      },
    });
    reader.close();
    store.close();
    const reading = reports.filter((r) => r.phase === 'reading');
    const copying = reports.filter((r) => r.phase === 'copying');
    expect(reports.map((r) => r.phase)).toEqual([...reading.map(() => 'reading'), ...copying.map(() => 'copying')]);
    expect(reading[reading.length - 1]).toMatchObject({ file: base, totalBytes: readFileSync(base).length, bytesRead: readFileSync(base).length, snapshots: 15 });
    expect(copying[0]).toMatchObject({ file: base, snapshots: 0, totalSnapshots: 15 });
    expect(copying[copying.length - 1]).toMatchObject({ file: base, snapshots: 15, totalSnapshots: 15 });
    expect(seenDuringCopy.every((n) => n === 0)).toBe(true);
  });

  it('reports the copy a chunk at a time, short runs copied together and a long one cut by seq', async () => {
    for (const [name, runs, snapshots, chunk, expected] of [
      ['long', 2, 6, 5, [0, 5, 10, 12]],
      ['short', 5, 2, 3, [0, 3, 6, 9, 10]],
    ] as const) {
      const file = await exportedRuns(name, runs, snapshots);
      const store = Store.open(join(dir, `${name}.db`));
      const copied: number[] = [];
      const summary = await importFiles(store, [file], { progressEveryMs: 0, copyChunk: chunk, onProgress: (p) => p.phase === 'copying' && copied.push(p.snapshots) });
      expect(summary.snapshots).toBe(runs * snapshots);
      expect(copied).toEqual(expected);
      for (let r = 0; r < runs; r++) {
        for (let seq = 1; seq <= snapshots; seq++) expect((await store.read.getSnapshot(`${name}-${r}`, seq))).toMatchObject({ runId: `${name}-${r}`, seq });
      }
      store.close();
    }
  });

  it('imports the intact file whole, and adds nothing when imported again', async () => {
    const first = await importFiles(target, [base]);
    expect(first).toMatchObject({ runs: 3, snapshots: 15, skipped: 0, formats: [{ file: base, format: 'native' }] });
    expect((await target.read.getRun('run-1'))).toMatchObject({ origin: 'imported', status: 'completed', snapshotCount: 5 });
    expect((await target.read.listLogs('run-2'))).toEqual([{ stepId: 'step-1', at: '2025-01-01T00:00:01.000Z', level: 'info', message: 'hello', data: { n: 1 } }]);
    const before = fingerprint();
    const again = await importFiles(target, [base]);
    expect(again).toMatchObject({ runs: 0, snapshots: 0, skipped: 3 });
    expect(fingerprint()).toBe(before);
  });
});
