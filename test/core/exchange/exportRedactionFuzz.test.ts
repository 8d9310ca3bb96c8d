// Runs whose documents change at random (members added, replaced and removed at any depth, items inserted and
// removed, secret-looking keys coming and going, in the state, the steps and the metadata) export to a file that
// holds no secret value, and that imports as the same documents, with the same count of redacted values, as a
// file of whole documents: however the export chose between a stored change and a diff of the redacted documents.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFiles } from '../../../src-main/core/exchange/importer';
import { exportRuns } from '../../../src-main/core/exchange/native/exporter';
import { Store } from '../../../src-main/core/store/store';
import type { Json, SnapshotDocument } from '../../../src-main/shared/snapshot';
import { seededRandom } from '../../support/random';
import { seedSyntheticRuns, syntheticDoc } from '../../support/syntheticRuns';
import { tempDir } from '../../support/tmp';

const dir = tempDir('studio-export-redaction-fuzz-');
const RUNS = 24;
const SNAPSHOTS = 40;
const SECRET_KEYS = ['token', 'apiKey', 'password', 'Authorization'];
const PLAIN_KEYS = ['note', 'items', 'count', 'user', 'deep', 'list'];

let secrets = 0;

/** A value for `key`: a secret under a secret-looking key (and only there), else plain data, maybe nested. */
function valueFor(key: string, rnd: () => number, depth: number): Json {
  if (SECRET_KEYS.includes(key)) return `SECRET-${++secrets}`;
  const pick = rnd();
  if (depth > 2 || pick < 0.4) return `plain-${Math.floor(rnd() * 1000)}`;
  if (pick < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => valueFor(PLAIN_KEYS[Math.floor(rnd() * PLAIN_KEYS.length)], rnd, depth + 1));
  const out: Record<string, Json> = {};
  for (let i = Math.floor(rnd() * 3); i >= 0; i--) {
    const key = rnd() < 0.3 ? SECRET_KEYS[Math.floor(rnd() * SECRET_KEYS.length)] : PLAIN_KEYS[Math.floor(rnd() * PLAIN_KEYS.length)];
    out[key] = valueFor(key, rnd, depth + 1);
  }
  return out;
}

/** `value` with one random change somewhere inside it (copied on write, as the engine changes documents). */
function mutate(value: Json, rnd: () => number, depth = 0): Json {
  if (Array.isArray(value)) {
    const list = value.slice();
    const pick = rnd();
    if (list.length > 0 && pick < 0.3) list.splice(Math.floor(rnd() * list.length), 1);
    else if (list.length > 0 && pick < 0.7) {
      const i = Math.floor(rnd() * list.length);
      list[i] = mutate(list[i], rnd, depth + 1);
    } else list.splice(Math.floor(rnd() * (list.length + 1)), 0, valueFor(PLAIN_KEYS[0], rnd, depth + 1));
    return list;
  }
  if (value === null || typeof value !== 'object') return valueFor(PLAIN_KEYS[Math.floor(rnd() * PLAIN_KEYS.length)], rnd, depth);
  const out = { ...value };
  const keys = Object.keys(out);
  const pick = rnd();
  if (keys.length > 0 && pick < 0.2) delete out[keys[Math.floor(rnd() * keys.length)]];
  else if (keys.length > 0 && pick < 0.7 && depth < 3) {
    const key = keys[Math.floor(rnd() * keys.length)];
    out[key] = SECRET_KEYS.includes(key) ? valueFor(key, rnd, depth + 1) : mutate(out[key], rnd, depth + 1);
  } else {
    const key = rnd() < 0.3 ? SECRET_KEYS[Math.floor(rnd() * SECRET_KEYS.length)] : PLAIN_KEYS[Math.floor(rnd() * PLAIN_KEYS.length)];
    out[key] = valueFor(key, rnd, depth + 1);
  }
  return out;
}

let source: Store;
const deltas = join(dir, 'deltas.ssx.ndjson');
const whole = join(dir, 'whole.ssx.ndjson');
let exported: Awaited<ReturnType<typeof exportRuns>>;
let exportedWhole: Awaited<ReturnType<typeof exportRuns>>;

beforeAll(async () => {
  source = Store.open(join(dir, 'source.db'));
  await seedSyntheticRuns(source, 0, 0);
  for (let r = 0; r < RUNS; r++) {
    const rnd = seededRandom(1000 + r);
    const id = `fuzz-${r}`;
    let state: Json = {};
    for (let i = 0; i < 6; i++) state = mutate(state, rnd);
    let doc: SnapshotDocument = { ...syntheticDoc(id, 1, SNAPSHOTS), state: state as Record<string, Json>, metadata: {} };
    // Some runs carry a secret in their config from the start, as real workflows do.
    if (r % 3 === 0) doc = { ...doc, config: { ...(doc.config as object), apiKey: `SECRET-${++secrets}` } };
    await source.write.createRun({ id, workflowId: 'synthetic', workflowVersion: doc.workflowVersion, origin: 'local', input: doc.input, config: doc.config, at: `2025-02-${String(r + 1).padStart(2, '0')}T00:00:00.000Z` });
    source.sync.write.appendSnapshots([doc]);
    for (let seq = 2; seq <= SNAPSHOTS; seq++) {
      const next = syntheticDoc(id, seq, SNAPSHOTS);
      const where = rnd();
      doc = {
        ...doc,
        seq,
        kind: next.kind,
        at: next.at,
        status: next.status,
        state: where < 0.6 ? (mutate(doc.state as Json, rnd) as Record<string, Json>) : doc.state,
        steps: where >= 0.6 && where < 0.8 ? { ...doc.steps, 'step-1': { ...doc.steps['step-1'], output: mutate(doc.steps['step-1'].output ?? {}, rnd) } } : doc.steps,
        metadata: where >= 0.8 ? (mutate(doc.metadata as Json, rnd) as Record<string, Json>) : doc.metadata,
      };
      source.sync.write.appendSnapshots([doc]);
    }
  }
  exported = await exportRuns(source.read, { since: '2000-01-01', out: deltas });
  exportedWhole = await exportRuns(source.read, { since: '2000-01-01', out: whole, wholeDocuments: true });
});
afterAll(() => source.close());

describe('export of randomly changing documents with secrets coming and going', () => {
  it('writes no secret value, in either form', () => {
    expect(secrets).toBeGreaterThan(50);
    expect(readFileSync(deltas, 'utf8')).not.toContain('SECRET-');
    expect(readFileSync(whole, 'utf8')).not.toContain('SECRET-');
  });

  it('imports as the same documents as the whole-document file, with the same redaction count', async () => {
    expect(exported.redacted).toBe(exportedWhole.redacted);
    expect(exported.redacted).toBeGreaterThan(0);
    const a = Store.open(join(dir, 'a.db'));
    const b = Store.open(join(dir, 'b.db'));
    try {
      await importFiles(a, [deltas]);
      await importFiles(b, [whole]);
      for (let r = 0; r < RUNS; r++) {
        for (let seq = 1; seq <= SNAPSHOTS; seq++) expect(a.sync.read.getSnapshot(`fuzz-${r}`, seq)).toEqual(b.sync.read.getSnapshot(`fuzz-${r}`, seq));
      }
    } finally {
      a.close();
      b.close();
    }
  });
});
