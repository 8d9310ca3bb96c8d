// Export format version 2: a run's later snapshots travel as deltas from the snapshot before (whole documents
// at the first and wherever no delta can carry the change), and come back as the same documents.
// Version 1 files (every snapshot whole), written by earlier builds or with --whole-documents, still import.
// A delta line is untrusted input: one that is not a forward delta, reaches outside an array, names a key no
// delta names, or makes a document that is not one is refused naming the line and the path inside the delta,
// and the database stays byte for byte as it was.
import { copyFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../src-main/core/exchange/importer';
import { exportRuns } from '../../../src-main/core/exchange/native/exporter';
import { ImportError } from '../../../src-main/core/exchange/types';
import { Store } from '../../../src-main/core/store/store';
import type { SnapshotDocument } from '../../../src-main/shared/snapshot';
import { databaseFingerprint } from '../../support/fingerprint';
import { readExportLines, seedSyntheticRuns, syntheticDoc, writeExportLines } from '../../support/syntheticRuns';
import { repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir('studio-exchange-deltas-');
const RUNS = 3;
const SNAPSHOTS = 70;
let source: Store;
const file = join(dir, 'deltas.ssx.ndjson');

beforeAll(async () => {
  source = Store.open(join(dir, 'source.db'));
  await seedSyntheticRuns(source, RUNS, SNAPSHOTS);
  // A run whose state gains a "constructor" key half way: no delta can name it, so that snapshot goes whole.
  const id = 'proto-run';
  await source.write.createRun({ id, workflowId: 'synthetic', workflowVersion: syntheticDoc(id, 1, 6).workflowVersion, origin: 'local', input: null, config: null, at: '2025-01-02T00:00:00.000Z' });
  for (let seq = 1; seq <= 6; seq++) {
    const doc = syntheticDoc(id, seq, 6);
    if (seq >= 4) Object.defineProperty(doc.state, 'constructor', { value: { seq }, enumerable: true, writable: true, configurable: true });
    source.sync.write.appendSnapshots([doc]);
  }
  // A run whose documents change in every way a delta can say: members added, replaced and removed, items
  // inserted, removed and changed in lists, text outside ASCII and with escapes, nesting emptied and filled.
  const shapes = 'shapes-run';
  await source.write.createRun({ id: shapes, workflowId: 'synthetic', workflowVersion: syntheticDoc(shapes, 1, 6).workflowVersion, origin: 'local', input: null, config: null, at: '2025-01-03T00:00:00.000Z' });
  const states: Record<string, unknown>[] = [
    { list: [1, 2, 3], text: 'plain', nested: { a: { b: [{ c: 1 }] } } },
    { list: [0, 1, 2, 3, 4], text: 'zürich — "quoted" \\ back\nslash', nested: { a: { b: [{ c: 1 }, { d: 'é' }] } }, added: null },
    { list: [1, 3], text: '', nested: { a: {} }, added: { deep: ['x', ['y', { z: true }]] } },
    { list: [], nested: { a: { b: [] } }, added: { deep: ['x'] }, emoji: '😀' },
    { list: [[1, 2], { k: 'v' }], nested: {}, added: 1.5e-7, emoji: '😀😀' },
    { list: [[1], { k: 'w', l: [false] }, 'tail'], nested: { back: 'again' } },
  ];
  for (let seq = 1; seq <= states.length; seq++) source.sync.write.appendSnapshots([{ ...syntheticDoc(shapes, seq, states.length), state: states[seq - 1] } as SnapshotDocument]);
  await exportRuns(source.read, { since: '2000-01-01', out: file, redact: false });
});
afterAll(() => source.close());

/** Every snapshot document of every run of `store`, by run id and seq. */
function documentsOf(store: Store): Map<string, SnapshotDocument> {
  const out = new Map<string, SnapshotDocument>();
  for (const run of store.sync.read.listRuns()) {
    for (let seq = 1; seq <= run.lastSeq; seq++) out.set(`${run.id}#${seq}`, store.sync.read.getSnapshot(run.id, seq));
  }
  return out;
}

async function importedInto(name: string, files: string[]): Promise<Store> {
  const store = Store.open(join(dir, `${name}.db`));
  await importFiles(store, files);
  return store;
}

describe('export format version 2: deltas between whole documents', () => {
  it('writes each run whole at its first snapshot, deltas after it, and whole where no delta can say the change', () => {
    const lines = readExportLines(file);
    expect(lines[0]).toMatchObject({ type: 'header', formatVersion: 2 });
    const snapshots = lines.filter((l) => l.type === 'snapshot');
    expect(snapshots).toHaveLength(RUNS * SNAPSHOTS + 12);
    // Per run, in order: which seqs are whole documents.
    const whole: Record<string, number[]> = {};
    let runId = '';
    for (const line of lines) {
      if (line.type === 'run') runId = line.id as string;
      if (line.type !== 'snapshot') continue;
      if (line.document) (whole[runId] ??= []).push((line.document as SnapshotDocument).seq);
      else expect(Object.keys(line).sort()).toEqual(['delta', 'seq', 'type']);
    }
    for (let r = 0; r < RUNS; r++) expect(whole[`run-${r}`]).toEqual([1]);
    expect(whole['proto-run']).toEqual([1, 4, 5, 6]);
    expect(whole['shapes-run']).toEqual([1]);
    // A delta line carries the change, not the document.
    const delta = JSON.stringify(snapshots[1]);
    expect(delta.length * 3).toBeLessThan(JSON.stringify(snapshots[0]).length);
    expect(delta).not.toContain('ada@example.com');
  });

  it('imports back every document as it was, and a file of whole documents (--whole-documents) is version 1 and imports the same', async () => {
    const wholeFile = join(dir, 'whole.ssx.ndjson');
    await exportRuns(source.read, { since: '2000-01-01', out: wholeFile, redact: false, wholeDocuments: true });
    const wholeLines = readExportLines(wholeFile);
    expect(wholeLines[0]).toMatchObject({ type: 'header', formatVersion: 1 });
    expect(wholeLines.filter((l) => l.type === 'snapshot').every((l) => l.document !== undefined && l.delta === undefined)).toBe(true);
    expect(statSync(file).size * 2).toBeLessThan(statSync(wholeFile).size);

    const expected = documentsOf(source);
    expect(expected.size).toBe(RUNS * SNAPSHOTS + 12);
    for (const [name, f] of [['from-deltas', file], ['from-whole', wholeFile]]) {
      const store = await importedInto(name, [f]);
      try {
        const got = documentsOf(store);
        expect([...got.keys()]).toEqual([...expected.keys()]);
        for (const [key, doc] of expected) expect({ key, doc: got.get(key) }).toEqual({ key, doc });
        expect(Object.prototype.hasOwnProperty.call(got.get('proto-run#5')!.state, 'constructor')).toBe(true);
        // Each snapshot's size is its JSON's, though the import took it from the delta and never wrote the text.
        for (const run of store.sync.read.listRuns()) {
          const sizes = store.sync.read.listSnapshots(run.id, 0, 1000).map((s) => s.size);
          expect({ run: run.id, sizes }).toEqual({ run: run.id, sizes: sizes.map((_, i) => Buffer.byteLength(JSON.stringify(got.get(`${run.id}#${i + 1}`)))) });
        }
      } finally {
        store.close();
      }
    }
  });

  it('redacts every snapshot of the run, those sent as deltas too, whether a step changes or stays as it was', async () => {
    const store = Store.open(join(dir, 'secrets-source.db'));
    await seedSyntheticRuns(store, 0, 0);
    const id = 'secret-run';
    await store.write.createRun({ id, workflowId: 'synthetic', workflowVersion: syntheticDoc(id, 1, 5).workflowVersion, origin: 'local', input: null, config: null, at: '2025-01-04T00:00:00.000Z' });
    for (let seq = 1; seq <= 5; seq++) {
      const doc = syntheticDoc(id, seq, 5);
      // step-0 keeps its secret from seq 1 on; step-1's changes at every seq.
      doc.steps['step-0'] = { ...doc.steps['step-0'], output: { apiKey: 'sk-kept', n: 0 } };
      doc.steps['step-1'] = { ...doc.steps['step-1'], output: { apiKey: `sk-${seq}`, n: seq } };
      Object.defineProperty(doc.steps, '__proto__', { value: { status: 'pending', attempts: 0, input: { password: 'hunter2' } }, enumerable: true, writable: true, configurable: true });
      store.sync.write.appendSnapshots([doc]);
    }
    const out = join(dir, 'secrets.ssx.ndjson');
    await exportRuns(store.read, { runIds: [id], out, redact: true });
    store.close();
    const text = readExportLines(out).map((l) => JSON.stringify(l)).join('\n');
    expect(text).not.toMatch(/sk-|hunter2/);
    const imported = await importedInto('secrets-target', [out]);
    try {
      for (let seq = 1; seq <= 5; seq++) {
        const doc = imported.sync.read.getSnapshot(id, seq);
        expect(doc.steps['step-0'].output).toEqual({ apiKey: '[redacted]', n: 0 });
        expect(doc.steps['step-1'].output).toEqual({ apiKey: '[redacted]', n: seq });
        expect(Object.getOwnPropertyDescriptor(doc.steps, '__proto__')?.value).toEqual({ status: 'pending', attempts: 0, input: { password: '[redacted]' } });
        expect(Object.getPrototypeOf(doc.steps)).toBe(Object.prototype);
      }
    } finally {
      imported.close();
    }
  });

  it('imports a version 1 file written by an earlier build', async () => {
    const fixture = join(dir, 'v1-export.ssx.ndjson');
    copyFileSync(join(repoRoot, 'test/fixtures/native/v1-export.ssx.ndjson'), fixture);
    expect(readExportLines(fixture)[0]).toMatchObject({ formatVersion: 1 });
    const store = await importedInto('from-v1', [fixture]);
    try {
      const got = documentsOf(store);
      expect(got.size).toBe(12);
      for (const runId of ['v1run-0', 'v1run-1']) {
        for (let seq = 1; seq <= 6; seq++) expect(got.get(`${runId}#${seq}`)).toEqual(JSON.parse(JSON.stringify(syntheticDoc(runId, seq, 6))));
      }
      expect(store.sync.read.listLogs('v1run-1').map((l) => l.message)).toEqual(['hello', 'charged the card']);
    } finally {
      store.close();
    }
  });
});

describe('a hostile or damaged delta line', () => {
  const targetFile = join(dir, 'target.db');
  let target: Store;
  let lines: Record<string, unknown>[];
  beforeAll(async () => {
    lines = readExportLines(file);
    target = Store.open(targetFile);
    await seedSyntheticRuns(target, 1, 3, 'local');
  });
  afterAll(() => target.close());

  const fingerprint = () => databaseFingerprint(target);

  /** The line number of run-0's snapshot `seq` (a delta line unless seq is 1). */
  const lineOf = (seq: number) => lines.findIndex((l) => l.type === 'snapshot' && (l.seq === seq || (l.document as SnapshotDocument | undefined)?.seq === seq)) + 1;

  /** Writes the file with run-0's snapshot 2 replaced by `line`, imports it and expects `message`; the database is untouched. */
  async function refused(name: string, line: Record<string, unknown> | ((lines: Record<string, unknown>[]) => void), message: RegExp): Promise<ImportError> {
    const copy = structuredClone(lines);
    if (typeof line === 'function') line(copy);
    else copy[lineOf(2) - 1] = line;
    const bad = join(dir, `${name}.ssx.ndjson`);
    writeExportLines(bad, copy);
    const before = fingerprint();
    const err = await importFiles(target, [bad]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(message);
    expect(fingerprint()).toBe(before);
    expect(readdirSync(dir).filter((f) => f.includes('.import-'))).toEqual([]);
    return err as ImportError;
  }

  it('refuses a delta that is not a forward delta, naming the path inside it', async () => {
    const at = lineOf(2);
    await refused('not-forward', { type: 'snapshot', seq: 2, delta: { state: { counter: [1, 2, 3, 4] } } }, new RegExp(`not-forward\\.ssx\\.ndjson:${at} field "snapshot\\.delta\\.state\\.counter": the delta does not apply to snapshot 1 of the run \\(expected a delta: \\[new\\], \\[0, new\\], \\[0, 0, 0\\], or an object of them, got \\[1,2,3,4\\]\\)`));
    await refused('object-into-number', { type: 'snapshot', seq: 2, delta: { seq: { a: [1] } } }, /field "snapshot\.delta\.seq".*expected an object to change \(the delta is an object delta\), got a number/);
    await refused('array-into-object', { type: 'snapshot', seq: 2, delta: { state: { _t: 'a', 0: [1] } } }, /field "snapshot\.delta\.state".*expected an array to change \(the delta is an array delta\), got an object/);
    await refused('remove-missing', { type: 'snapshot', seq: 2, delta: { state: { nothing: [0, 0, 0] } } }, /field "snapshot\.delta\.state\.nothing".*expected a member that is there to remove, got nothing there/);
  });

  it('refuses an array index outside the array instead of making a billion-item array', async () => {
    await refused('far-index', { type: 'snapshot', seq: 2, delta: { cursor: { running: { _t: 'a', 999999999: [0, 'x'] } } } }, /field "snapshot\.delta\.cursor\.running\.999999999".*expected an index below 1, the array's length there, got 999999999/);
    await refused('far-insert', { type: 'snapshot', seq: 2, delta: { state: { tags: { _t: 'a', 500: ['x'] } } } }, /field "snapshot\.delta\.state\.tags\.500".*expected an index at most 3, the array's length there, got 500/);
    await refused('bad-index', { type: 'snapshot', seq: 2, delta: { state: { tags: { _t: 'a', '1e9': ['x'] } } } }, /field "snapshot\.delta\.state\.tags\.1e9".*expected an array index/);
    await refused('far-removal', { type: 'snapshot', seq: 2, delta: { state: { tags: { _t: 'a', _7: [0, 0, 0] } } } }, /field "snapshot\.delta\.state\.tags\._7".*expected an index below 3, the array's length/);
  });

  it('refuses a key no delta names (a change under __proto__ or constructor goes whole)', async () => {
    const err = await refused('proto', { type: 'snapshot', seq: 2, delta: JSON.parse('{"state":{"__proto__":{"polluted":[true]}}}') as Record<string, unknown> }, /field "snapshot\.delta\.state\.__proto__".*expected a key a delta may name/);
    expect(err.where.got).toBe('"__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    await refused('constructor', { type: 'snapshot', seq: 2, delta: { state: { constructor: [{ x: 1 }] } } }, /field "snapshot\.delta\.state\.constructor"/);
  });

  it('refuses a delta whose document is not a snapshot, of another run, or out of order, as for a whole one', async () => {
    await refused('bad-status', { type: 'snapshot', seq: 2, delta: { seq: [0, 2], status: [0, 'exploded'] } }, /field "snapshot\.status": unexpected value \(expected one of "pending".*got "exploded"\)/);
    await refused('other-run', { type: 'snapshot', seq: 2, delta: { seq: [0, 2], runId: [0, 'run-2'] } }, /field "snapshot\.runId": a snapshot of another run \(expected "run-0", got "run-2"\)/);
    await refused('seq-kept', { type: 'snapshot', seq: 2, delta: { at: [0, 'x'] } }, /field "snapshot\.seq": snapshots must come in seq order, without gaps \(expected 2, got 1\)/);
    await refused('line-seq', { type: 'snapshot', seq: 3, delta: { seq: [0, 3] } }, /field "snapshot\.seq": snapshots must come in seq order, without gaps \(expected 2, got 3\)/);
    await refused('no-seq', { type: 'snapshot', delta: { seq: [0, 2] } }, /field "snapshot\.seq": unexpected value \(expected a number/);
  });

  it('refuses a delta where its run has no snapshot before it (seq 1, or the first line of the run), and a delta in a version 1 file', async () => {
    await refused(
      'first-delta',
      (copy) => {
        copy[lineOf(1) - 1] = { type: 'snapshot', seq: 1, delta: { seq: [0, 1] } };
      },
      /field "snapshot\.seq": unexpected value \(expected a number >= 2, got 1\)/,
    );
    await refused(
      'first-is-delta',
      (copy) => {
        // Run 0's first line dropped: its first snapshot line is the delta of seq 2.
        copy.splice(lineOf(1) - 1, 1);
        (copy.find((l) => l.type === 'run') as { snapshots: number }).snapshots = SNAPSHOTS;
      },
      /field "snapshot\.seq": snapshots must come in seq order, without gaps \(expected 1, got 2\)/,
    );
    await refused(
      'v1-with-delta',
      (copy) => {
        copy[0] = { ...copy[0], formatVersion: 1 };
      },
      /field "snapshot\.delta": a delta in a file whose header says it has none \(expected a whole document \(a version 1 file has no deltas\), got a delta\)/,
    );
  });

  it('stores the delta of the line as the change (a member replaced by its same value is kept, which a diff would drop)', async () => {
    const copy = structuredClone(lines);
    const line = copy[lineOf(2) - 1] as { delta: Record<string, unknown> };
    line.delta = { ...line.delta, workflowId: [0, 'synthetic'] };
    const file2 = join(dir, 'kept-delta.ssx.ndjson');
    writeExportLines(file2, copy);
    const store = await importedInto('kept-delta', [file2]);
    try {
      const row = store.db.prepare("SELECT encoding, body FROM snapshots WHERE run_id = 'run-0' AND seq = 2").get() as { encoding: string; body: Buffer };
      expect(row.encoding).toBe('delta');
      expect(JSON.parse(row.body.toString('utf8'))).toEqual(line.delta);
      expect(store.sync.read.getSnapshot('run-0', 2)).toEqual(JSON.parse(JSON.stringify(syntheticDoc('run-0', 2, SNAPSHOTS))));
    } finally {
      store.close();
    }
  });

  /** `lines` with run-0's snapshot 2 replaced by the text `line`, imported into a new database. */
  async function importedWithLine(name: string, line: string): Promise<Store> {
    const copy: (Record<string, unknown> | string)[] = structuredClone(lines);
    copy[lineOf(2) - 1] = line;
    const file2 = join(dir, `${name}.ssx.ndjson`);
    writeExportLines(file2, copy);
    return importedInto(name, [file2]);
  }

  const storedRow = (store: Store) => store.db.prepare("SELECT encoding, body FROM snapshots WHERE run_id = 'run-0' AND seq = 2").get() as { encoding: string; body: Buffer };

  it("keeps a delta line's text as the stored change byte for byte (no second serialisation), spaces and escapes included", async () => {
    const delta = (lines[lineOf(2) - 1] as { delta: Record<string, unknown> }).delta;
    // The same delta as another writer might put it: spaces around it, and a key written with an escape.
    const text = ` ${JSON.stringify(delta).replace('"state"', '"st\\u0061te"')} `;
    expect(JSON.parse(text)).toEqual(delta);
    const store = await importedWithLine('delta-text', `{"type":"snapshot","seq":2,"delta":${text}}`);
    try {
      const row = storedRow(store);
      expect(row.encoding).toBe('delta');
      expect(row.body.toString('utf8')).toBe(text);
      expect(store.sync.read.getSnapshot('run-0', 2)).toEqual(JSON.parse(JSON.stringify(syntheticDoc('run-0', 2, SNAPSHOTS))));
      expect(store.sync.read.getSnapshot('run-0', 3)).toEqual(JSON.parse(JSON.stringify(syntheticDoc('run-0', 3, SNAPSHOTS))));
    } finally {
      store.close();
    }
  });

  it('reads a delta line with its delta twice as JSON does (the last counts), and stores that one', async () => {
    const delta = (lines[lineOf(2) - 1] as { delta: Record<string, unknown> }).delta;
    const decoy = { ...delta, workflowId: [0, 'decoy'] };
    const store = await importedWithLine('delta-twice', `{"type":"snapshot","seq":2,"delta":${JSON.stringify(decoy)},"delta":${JSON.stringify(delta)}}`);
    try {
      expect(JSON.parse(storedRow(store).body.toString('utf8'))).toEqual(delta);
      expect(store.sync.read.getSnapshot('run-0', 2)).toEqual(JSON.parse(JSON.stringify(syntheticDoc('run-0', 2, SNAPSHOTS))));
    } finally {
      store.close();
    }
  });

  it('applies a delta of 100,000 removals and insertions in a list of 200,000 in one pass, and keeps a "__proto__" key of an inserted item as data', async () => {
    const copy = structuredClone(lines);
    const first = copy[lineOf(1) - 1] as { document: SnapshotDocument };
    first.document.state.big = Array.from({ length: 200_000 }, (_, i) => i);
    const delta: Record<string, unknown> = { _t: 'a' };
    for (let i = 0; i < 200_000; i += 2) delta[`_${i}`] = [0, 0, 0];
    for (let i = 0; i < 100_000; i += 1) delta[String(2 * i)] = [-i - 1];
    const line = copy[lineOf(2) - 1] as { delta: Record<string, unknown> };
    line.delta = { ...line.delta, state: { ...(line.delta.state as object), big: delta, tags: { _t: 'a', 3: [JSON.parse('{"__proto__":{"polluted":true}}')] } } };
    const file2 = join(dir, 'big-list.ssx.ndjson');
    writeExportLines(file2, copy);
    const store = await importedInto('big-list', [file2]);
    try {
      const doc = store.sync.read.getSnapshot('run-0', 2);
      const big = doc.state.big as number[];
      expect(big).toHaveLength(200_000);
      // Each odd original kept, each in its place, between the inserted ones.
      expect(big.slice(0, 6)).toEqual([-1, 1, -2, 3, -3, 5]);
      expect(big[199_999]).toBe(199_999);
      const item = (doc.state.tags as unknown[])[3] as object;
      expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(item, '__proto__')?.value).toEqual({ polluted: true });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    } finally {
      store.close();
    }
  });

  it('refuses other shapes no exporter writes: old values kept, a marker other than "a", negative or padded indexes', async () => {
    await refused('old-value', { type: 'snapshot', seq: 2, delta: { seq: [1, 2] } }, /field "snapshot\.delta\.seq".*expected a delta: \[new\], \[0, new\]/);
    await refused('bad-removal', { type: 'snapshot', seq: 2, delta: { seq: [0, 0, 1] } }, /field "snapshot\.delta\.seq".*expected a delta/);
    await refused('marker', { type: 'snapshot', seq: 2, delta: { state: { tags: { _t: 'b', 0: [0, 'x'] } } } }, /field "snapshot\.delta\.state\.tags\._t".*expected "a" \(an array delta\), got "b"/);
    await refused('negative', { type: 'snapshot', seq: 2, delta: { state: { tags: { _t: 'a', '-1': [0, 'x'] } } } }, /field "snapshot\.delta\.state\.tags\.-1".*expected an array index/);
    await refused('padded', { type: 'snapshot', seq: 2, delta: { state: { tags: { _t: 'a', _01: [0, 0, 0] } } } }, /field "snapshot\.delta\.state\.tags\._01".*expected an array index/);
    await refused('item-old-value', { type: 'snapshot', seq: 2, delta: { state: { tags: { _t: 'a', 0: ['a', 'x'] } } } }, /field "snapshot\.delta\.state\.tags\.0".*expected \[new\], \[0, new\] or a delta of the item/);
  });
});
