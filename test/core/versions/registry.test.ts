// Workflow versions: each distinct content of a file is a version, kept with its source; saving the file
// while the service watches makes a new one; "original version" runs the stored code after the file changed.
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import { Store } from '../../../src-main/core/store/store';
import { bundleWorkflowFile } from '../../../src-main/core/workspace/bundle';
import { repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir();
const ws = join(dir, 'ws');
const file = join(ws, 'greet.workflow.ts');
const source = (greeting: string) =>
  `import { defineWorkflow } from 'snapshot-studio/sdk';\nexport default defineWorkflow({ id: 'greet', steps: { hello: { run: () => '${greeting}' } } });\n`;
let service: StudioService;

beforeAll(async () => {
  mkdirSync(ws, { recursive: true });
  writeFileSync(file, source('hello'));
  service = await StudioService.open({ dbPath: join(dir, 'v.db'), workspaceDir: ws, appRoot: repoRoot });
  service.watchWorkspace(50);
});
afterAll(() => service.close());

const changed = () =>
  new Promise<void>((resolve) => {
    const off = service.subscribe((e) => {
      if (e.type === 'workflows-changed') {
        off();
        resolve();
      }
    });
  });

describe('workflow versions', () => {
  it('stores a new version when the file is saved, and runs the original one on request', async () => {
    const first = await service.waitForRun((await service.startRun('greet', {})).id);
    const v1 = first.workflowVersion;
    expect((await service.listVersions('greet')).map((v) => [v.version, v.latest])).toEqual([[v1, true]]);

    const reloaded = changed();
    writeFileSync(file, source('bonjour'));
    await reloaded;
    const versions = await service.listVersions('greet');
    expect(versions).toHaveLength(2);
    expect(versions[0]).toMatchObject({ why: 'saved', latest: true, file: 'greet.workflow.ts' });
    expect(versions[1]).toMatchObject({ version: v1, latest: false });
    expect((await service.getVersion(versions[0].version)).source).toContain('bonjour');

    // The file is gone: the original version still runs from the stored code; the latest cannot.
    const gone = changed();
    unlinkSync(file);
    await gone;
    const original = await service.waitForRun((await service.retry(first.id, { version: 'original' })).id);
    expect(original.workflowVersion).toBe(v1);
    expect((await service.getSnapshot(original.id, original.snapshotCount)).result).toEqual({ hello: 'hello' });
    await expect(service.retry(first.id, { version: 'latest' })).rejects.toThrow(/no workflow with id "greet"/);
  });

  it('names an unknown workflow or version', async () => {
    await expect(service.listVersions('nope')).rejects.toThrow(/no workflow with id "nope"/);
    await expect(service.getVersion('deadbeef')).rejects.toThrow(/workflow version deadbeef is not in the database/);
  });
});

describe('a workspace load', () => {
  it('evaluates a file whose version came with an import, rather than believe the description the import carried', async () => {
    const ws2 = join(dir, 'ws2');
    mkdirSync(ws2, { recursive: true });
    const greet = join(ws2, 'greet.workflow.ts');
    writeFileSync(greet, source('hello'));
    const { version, bundle } = await bundleWorkflowFile(greet, ws2);
    // An export from elsewhere holding the same bundle under a description that does not match it.
    const dbPath = join(dir, 'imported.db');
    const store = Store.open(dbPath);
    const told = { id: 'greet', name: 'greet', file: 'greet.workflow.ts', version, steps: [{ id: 'not-a-step', needs: [] }] };
    store.write.saveWorkflowVersion({ hash: version, workflowId: 'greet', source: source('hello'), bundle, meta: JSON.stringify(told), why: 'imported', createdAt: new Date().toISOString() });
    store.close();

    const opened = await StudioService.open({ dbPath, workspaceDir: ws2, appRoot: repoRoot });
    try {
      const [workflow] = (await opened.listWorkflows()).workflows;
      expect(workflow).toMatchObject({ id: 'greet', version });
      expect(workflow.steps.map((s) => s.id)).toEqual(['hello']);
    } finally {
      await opened.close();
    }
  });
});
