// A killed import cannot delete its staging database: the next open of the database removes
// the staging files whose owner process is gone, and leaves those of an import still running.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportRuns } from '../../../src-main/core/exchange/native/exporter';
import { StudioService } from '../../../src-main/core/studio';
import { Store } from '../../../src-main/core/store/store';
import { startImportChild, untilLine } from '../../support/importChild';
import { seedSyntheticRuns } from '../../support/syntheticRuns';
import { examplesDir, repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir('studio-stale-staging-');
const db = join(dir, 'studio.db');
const staging = () => readdirSync(dir).filter((f) => f.startsWith('.studio.db.import-')).sort();
const children: { kill(signal?: NodeJS.Signals): boolean; exitCode: number | null }[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('staging files left by a killed import', () => {
  it('are removed at the next open of the database; those of a live import stay', async () => {
    // An export long enough to be killed while it is read.
    const source = Store.open(join(dir, 'source.db'));
    await seedSyntheticRuns(source, 200, 50);
    const file = join(dir, 'big.ssx.ndjson');
    await exportRuns(source.read, { since: '2000-01-01', out: file, redact: false });
    source.close();
    Store.open(db).close();

    // A live import's staging file (started first: every import also clears what dead ones left), and one
    // from a build whose names carried no pid, written just now.
    const live = startImportChild('hold', db);
    children.push(live);
    await untilLine(live, 'holding');
    // (Its -wal and -shm come and go with SQLite's locking: its database file is what must stay.)
    const liveFile = staging().find((f) => f.endsWith('.db'))!;
    expect(liveFile).toContain(`.import-${live.pid}-`);
    const unowned = join(dir, '.studio.db.import-0123456789ab.db');
    writeFileSync(unowned, '');

    const killed = startImportChild('slow', db, [file]);
    children.push(killed);
    await untilLine(killed, 'reading');
    const left = staging().filter((f) => f.includes(`.import-${killed.pid}-`));
    expect(left.some((f) => f.endsWith('.db'))).toBe(true);
    const exited = new Promise((resolve) => killed.on('exit', resolve));
    killed.kill('SIGKILL');
    await exited;
    for (const f of [liveFile, ...left, '.studio.db.import-0123456789ab.db']) expect(staging()).toContain(f);

    const service = await StudioService.open({ dbPath: db, workspaceDir: examplesDir, appRoot: repoRoot });
    service.close();
    for (const f of left) expect(existsSync(join(dir, f))).toBe(false);
    expect(staging().filter((f) => !f.includes(`.import-${live.pid}-`))).toEqual(['.studio.db.import-0123456789ab.db']);
    expect(staging()).toContain(liveFile);

    live.kill('SIGKILL');
    await new Promise((resolve) => live.on('exit', resolve));
  });
});
