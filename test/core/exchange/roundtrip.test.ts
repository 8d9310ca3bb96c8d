// A person runs the example workflows, exports the runs, and imports the file into another database: every
// snapshot document, log and workflow version arrives as it was, and the imported runs stay records.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import type { StudioEvent } from '../../../src-main/shared/api';
import { sqlOn, storeProviders } from '../../support/providers';
import { readExportLines } from '../../support/syntheticRuns';
import { examplesDir, repoRoot, tempDir } from '../../support/tmp';

const root = tempDir('studio-exchange-roundtrip-');
const providers = storeProviders();
// Every provider exports to every other: SQLite → SQLite, SQLite → PostgreSQL, PostgreSQL → SQLite, …
const pairs = providers.flatMap((from) => providers.map((into) => ({ from, into, name: `${from.name} → ${into.name}` })));
let dir: string;
let source: StudioService;
let fresh: StudioService;
const runIds: string[] = [];
const secretInput = { customer: 'grace@example.com', auth: { apiKey: 'sk-live-123', Password: 'hunter2' }, tokenCount: 42 };

describe.each(pairs)('export, then import into a fresh database: $name', ({ from, into }) => {
  beforeAll(async () => {
    dir = join(root, `${from.name}-${into.name}`);
    mkdirSync(dir);
    runIds.length = 0;
    source = await StudioService.open({ db: await from.newDatabase(), workspaceDir: examplesDir, appRoot: repoRoot });
    fresh = await StudioService.open({ db: await into.newDatabase(), workspaceDir: examplesDir, appRoot: repoRoot });
    for (const [id, input] of [['orders-linear', secretInput], ['parallel-fanout', null], ['payment-fails', null]] as const) {
      const run = await source.startRun(id, { input });
      await source.waitForRun(run.id);
      runIds.push(run.id);
    }
  });
  afterAll(async () => {
    await source.close();
    await fresh.close();
  });

  it('brings every snapshot document, log, run and workflow version across unchanged', async () => {
    const out = join(dir, 'all.ssx.ndjson.gz');
    const exported = await source.exportRuns({ runIds, out, redact: false });
    const total = (await source.listRuns()).reduce((n, r) => n + r.snapshotCount, 0);
    expect(exported).toEqual({ file: out, runs: 3, snapshots: total, redacted: 0 });
    expect(gunzipSync(readFileSync(out)).toString('utf8').startsWith('{"type":"header"')).toBe(true);

    const events: StudioEvent[] = [];
    const stop = fresh.subscribe((e) => events.push(e));
    const summary = await fresh.importFiles({ files: [out] });
    stop();
    expect(summary).toEqual({ runs: 3, snapshots: total, skipped: 0, formats: [{ file: out, format: 'native' }] });
    expect(events.filter((e) => e.type === 'run-updated').map((e) => (e as { run: { id: string } }).run.id).sort()).toEqual([...runIds].sort());

    for (const id of runIds) {
      const [was, now] = [await source.getRun(id), await fresh.getRun(id)];
      expect(now).toEqual({ ...was, origin: 'imported' });
      for (let seq = 1; seq <= was.snapshotCount; seq++) {
        expect(await fresh.getSnapshot(id, seq)).toEqual(await source.getSnapshot(id, seq));
      }
      expect((await fresh.store.read.listLogs(id))).toEqual(await source.store.read.listLogs(id));
      const [v0, v1] = [await source.getVersion(was.workflowVersion), await fresh.getVersion(was.workflowVersion)];
      expect(v1).toMatchObject({ source: v0.source, steps: v0.steps });
    }
    expect((await fresh.store.read.listLogs(runIds[0])).length).toBeGreaterThan(0);
  });

  it('adds nothing when the same file is imported again', async () => {
    const out = join(dir, 'all.ssx.ndjson.gz');
    const before = await fresh.listRuns();
    expect(await fresh.importFiles({ files: [out, out] })).toMatchObject({ runs: 0, snapshots: 0, skipped: 6 });
    expect(await fresh.listRuns()).toEqual(before);
  });

  it('keeps imported runs as records: they are not resumed, paused, recovered, nor their imported code run', async () => {
    // A workspace without these workflows: their versions arrive as imported code.
    const emptyWorkspace = join(dir, 'empty-workspace');
    mkdirSync(emptyWorkspace);
    const third = await StudioService.open({ db: await into.newDatabase(), workspaceDir: emptyWorkspace, appRoot: repoRoot });
    try {
      await third.importFiles({ files: [join(dir, 'all.ssx.ndjson.gz')] });
      const failed = runIds[2];
      expect(await third.getVersion((await third.getRun(failed)).workflowVersion)).toMatchObject({ why: 'imported' });
      await expect(third.resume(failed)).rejects.toMatchObject({ code: 'E_IMPORTED_RUN' });
      await expect(third.pause(failed)).rejects.toMatchObject({ code: 'E_IMPORTED_RUN' });
      await expect(third.fork(failed, 1, {})).rejects.toMatchObject({ code: 'E_IMPORTED_CODE' });
      await expect(third.retry(failed, { version: 'original' })).rejects.toMatchObject({ code: 'E_IMPORTED_CODE' });
      // Recorded while still running where it came from: the app must not pick it up at start.
      await sqlOn(third.store, "UPDATE runs SET status = 'running' WHERE id = ?", [failed]);
      expect(await third.recoverRuns()).toEqual([]);
      // Only the person's explicit say-so (after the CLI's or the UI's warning) runs the imported code, and
      // the new run records that consent, so a pause or a crash can continue it.
      // A consent nobody was given, or one for another run's version, runs nothing.
      await expect(third.retry(failed, { version: 'original', importedCodeConsent: 'made-up' })).rejects.toMatchObject({ code: 'E_IMPORTED_CODE' });
      const given = await third.consentToImportedCode(failed);
      expect(given).toMatchObject({ runId: failed, workflowId: 'payment-fails', file: 'payment-fails.workflow.ts' });
      expect(given.warning).toMatch(/^running code that came with an import: workflow "payment-fails" version [0-9a-f]{12} \(payment-fails\.workflow\.ts\)/);
      const otherRun = runIds[0];
      const forOther = await third.consentToImportedCode(otherRun);
      await expect(third.retry(failed, { version: 'original', importedCodeConsent: forOther.consent })).rejects.toMatchObject({ code: 'E_IMPORTED_CODE' });
      const allowed = await third.waitForRun((await third.retry(failed, { version: 'original', importedCodeConsent: given.consent })).id);
      // A consent is spent by the run it started.
      await expect(third.fork(failed, 1, { importedCodeConsent: given.consent })).rejects.toThrow(/was used already, or expired/);
      expect(allowed).toMatchObject({ workflowVersion: (await third.getRun(failed)).workflowVersion, retryOf: failed, origin: 'local' });
      expect(allowed.status).toBe((await source.getRun(failed)).status);
      expect((await third.getSnapshot(allowed.id, 1)).metadata).toMatchObject({ importedCodeAllowed: true });
    } finally {
      await third.close();
    }
  });

  it('redacts secret-looking keys by default, at any depth, and says which keys but never the values', async () => {
    const out = join(dir, 'redacted.ssx.ndjson');
    const result = await source.exportRuns({ runIds: [runIds[0]], out, redactKeys: ['customer'] });
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('sk-live-123');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('grace@example.com');
    const lines = readExportLines(out);
    const header = lines[0] as { redactions: string[] };
    expect(header.redactions).toEqual(expect.arrayContaining(['password', 'apikey', 'token', 'secret', 'authorization', 'cookie', 'customer']));
    const trailer = lines[lines.length - 1] as { redacted: { values: number; keys: string[] } };
    expect(trailer.redacted.keys).toEqual(['Password', 'apiKey', 'customer']);
    expect(result.redacted).toBe(trailer.redacted.values);
    expect(result.redacted).toBeGreaterThanOrEqual(3 * (result.snapshots + 1));
    const snapshot = lines.find((l) => l.type === 'snapshot') as { document: { input: unknown } };
    expect(snapshot.document.input).toEqual({ customer: '[redacted]', auth: { apiKey: '[redacted]', Password: '[redacted]' }, tokenCount: 42 });

    const plain = join(dir, 'plain.ssx.ndjson');
    expect((await source.exportRuns({ runIds: [runIds[0]], out: plain, redact: false })).redacted).toBe(0);
    expect(readFileSync(plain, 'utf8')).toContain('hunter2');
  });

  it('selects runs by workflow or by date, and says so when none match', async () => {
    const out = join(dir, 'by-workflow.ssx.ndjson');
    expect(await source.exportRuns({ workflowId: 'parallel-fanout', out })).toMatchObject({ runs: 1 });
    expect(readExportLines(out).filter((l) => l.type === 'run').map((l) => l.id)).toEqual([runIds[1]]);
    expect(await source.exportRuns({ since: '2000-01-01', out })).toMatchObject({ runs: 3 });
    await expect(source.exportRuns({ since: '2999-01-01', out: join(dir, 'none.ssx.ndjson') })).rejects.toMatchObject({ code: 'E_NOTHING_TO_EXPORT' });
    expect(existsSync(join(dir, 'none.ssx.ndjson'))).toBe(false);
    await expect(source.exportRuns({ runIds: ['ghost'], out })).rejects.toMatchObject({ code: 'E_NO_RUN' });
    await expect(source.exportRuns({ runIds, out: join(dir, 'missing-folder', 'x.ssx.ndjson') })).rejects.toMatchObject({ code: 'E_EXPORT_OUT' });
    expect(readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });
});
