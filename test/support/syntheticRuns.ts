// Runs written straight into a store, without the engine: quick to make in any number, for exchange tests
// and the exchange benchmark. Each snapshot is a realistic ~2 KB document of schema version 1.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync, gunzipSync } from 'node:zlib';
import type { Store } from '../../src-main/core/store/store';
import type { SnapshotDocument } from '../../src-main/shared/snapshot';

const BUNDLE = 'module.exports = { default: { id: "synthetic", steps: {} } };\n';
export const SYNTHETIC_VERSION = createHash('sha256').update(BUNDLE).digest('hex').slice(0, 16);

export function syntheticDoc(runId: string, seq: number, total: number): SnapshotDocument {
  const steps: SnapshotDocument['steps'] = {};
  for (let i = 0; i < 8; i++) {
    const done = i < (seq * 8) / total;
    steps[`step-${i}`] = done
      ? { status: 'completed', attempts: 1, output: { ok: true, n: i, items: [{ id: `sku-${i}`, qty: i + 1, price: 9.5 * (i + 1) }], note: `step ${i} of run ${runId}` }, startedAt: '2025-01-01T00:00:00.000Z', endedAt: '2025-01-01T00:00:01.000Z' }
      : { status: 'pending', attempts: 0 };
  }
  return {
    schemaVersion: 2,
    runId,
    workflowId: 'synthetic',
    workflowVersion: SYNTHETIC_VERSION,
    seq,
    kind: seq === 1 ? 'run-started' : seq === total ? 'run-completed' : 'step-completed',
    stepId: seq === 1 || seq === total ? null : `step-${seq % 8}`,
    status: seq === total ? 'completed' : 'running',
    at: new Date(Date.UTC(2025, 0, 1) + seq * 1000).toISOString(),
    input: { customer: 'ada@example.com', items: [{ id: 'sku-1', qty: 2 }, { id: 'sku-2', qty: 1 }] },
    config: { currency: 'EUR', taxRate: 0.2, warehouse: { id: 'wh-1', region: 'eu-west' } },
    state: { counter: seq, totals: { subtotal: seq * 10.5, tax: seq * 2.1 }, tags: ['a', 'b', 'c'], lastStep: `step-${seq % 8}` },
    steps,
    cursor: { ready: [], running: seq === total ? [] : [`step-${seq % 8}`], waiting: [], timers: [] },
    metadata: {},
  };
}

/** Adds `runs` completed runs of `snapshots` snapshots each (ids run-0, run-1, ... after `prefix`). */
export async function seedSyntheticRuns(store: Store, runs: number, snapshots: number, prefix = 'run'): Promise<string[]> {
  await store.write.saveWorkflowVersion({ hash: SYNTHETIC_VERSION, workflowId: 'synthetic', source: '// synthetic', bundle: BUNDLE, meta: JSON.stringify({ id: 'synthetic', name: 'Synthetic', file: 'synthetic.workflow.js', version: SYNTHETIC_VERSION, steps: [] }), why: 'saved', createdAt: '2025-01-01T00:00:00.000Z' });
  const ids: string[] = [];
  for (let r = 0; r < runs; r++) {
    const id = `${prefix}-${r}`;
    ids.push(id);
    const first = syntheticDoc(id, 1, snapshots);
    await store.write.createRun({ id, workflowId: 'synthetic', workflowVersion: SYNTHETIC_VERSION, origin: 'local', input: first.input, config: first.config, at: new Date(Date.UTC(2025, 0, 1) + r).toISOString() });
    store.db.transaction(() => {
      for (let seq = 1; seq <= snapshots; seq++) store.sync.write.appendSnapshots([syntheticDoc(id, seq, snapshots)]);
      store.sync.write.appendLog({ runId: id, stepId: 'step-1', at: '2025-01-01T00:00:01.000Z', level: 'info', message: 'hello', data: { n: 1 } });
    })();
  }
  return ids;
}

/** The lines of an export file (gzip or not), each parsed. */
export function readExportLines(file: string): Record<string, unknown>[] {
  let bytes = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  return bytes.toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/**
 * Writes lines as an export file. The trailer, when the last line is one, gets its sha256 recomputed so a
 * test can change one line and still have a file whose only fault is the one it means to test.
 */
export function writeExportLines(file: string, lines: (Record<string, unknown> | string)[], options: { fixChecksum?: boolean } = {}): void {
  const texts = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)));
  const last = lines[lines.length - 1];
  if (options.fixChecksum !== false && typeof last === 'object' && last.type === 'trailer') {
    const body = texts.slice(0, -1).map((t) => `${t}\n`).join('');
    texts[texts.length - 1] = JSON.stringify({ ...last, sha256: createHash('sha256').update(body).digest('hex') });
  }
  const data = Buffer.from(texts.map((t) => `${t}\n`).join(''), 'utf8');
  writeFileSync(file, file.endsWith('.gz') ? gzipSync(data) : data);
}
