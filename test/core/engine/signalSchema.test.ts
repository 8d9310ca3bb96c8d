// waitFor(signal, schema): the wait carries its payload's JSON Schema (for the window to show and check), and
// the payload the step gets is parsed with the schema.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StudioService } from '../../../src-main/core/studio';
import { examplesDir, repoRoot, tempDir } from '../../support/tmp';

const dir = tempDir();
const open = (name: string) => StudioService.open({ dbPath: join(dir, name), workspaceDir: examplesDir, appRoot: repoRoot });

describe('a step that declares the payload it waits for', () => {
  it('puts the payload’s JSON Schema in the wait, and returns the payload parsed with the schema', async () => {
    const service = await open('schema.db');
    try {
      const waiting = await service.waitForRun((await service.startRun('human-approval', {})).id);
      const doc = await service.getSnapshot(waiting.id, waiting.lastSeq);
      expect(doc.cursor.waiting).toEqual([
        {
          stepId: 'approve',
          signal: 'approval',
          since: expect.any(String),
          schema: expect.objectContaining({ type: 'object', properties: { ok: { type: 'boolean' }, by: { type: 'string' } }, required: ['ok', 'by'] }),
        },
      ]);
      // The outline the window reads keeps it.
      expect((await service.getSnapshotOutline(waiting.id, waiting.lastSeq)).cursor.waiting[0].schema).toEqual(doc.cursor.waiting[0].schema);
      await service.resume(waiting.id, { signal: 'approval', payload: { ok: true, by: 'grace', note: 'not declared' } });
      const done = await service.waitForRun(waiting.id);
      expect((await service.getSnapshot(done.id, done.lastSeq)).steps.approve.output).toEqual({ ok: true, by: 'grace' });
    } finally {
      await service.close();
    }
  });

  it('fails the step, naming the field, when the payload does not fit', async () => {
    const service = await open('bad-payload.db');
    try {
      const waiting = await service.waitForRun((await service.startRun('human-approval', {})).id);
      await service.resume(waiting.id, { signal: 'approval', payload: { ok: 'yes', by: 'grace' } });
      const done = await service.waitForRun(waiting.id);
      expect(done.status).toBe('failed');
      expect((await service.getSnapshot(done.id, done.lastSeq)).steps.approve.error?.message).toMatch(/"ok"[\s\S]*expected boolean/);
    } finally {
      await service.close();
    }
  });
});
