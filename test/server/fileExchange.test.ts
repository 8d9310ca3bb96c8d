// Browser mode's import and export: a file uploaded is streamed to a temp folder, imported all or nothing, and
// the folder removed; errors name the person's file and line, never the temp path; an export is downloaded
// once and imports back as runs already there.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../src-main/core/studio';
import { startStudioServer, type StudioServer } from '../../src-main/server/server';
import { safeFileName } from '../../src-main/server/fileExchange';
import { examplesDir, repoRoot, tempDir } from '../support/tmp';

const dir = tempDir();
const uploads = join(dir, 'tmp'); // os.tmpdir() for the server's temp folders, so the test can see them go
let service: StudioService;
let server: StudioServer;
let savedTmp: string | undefined;
const refluxo = readFileSync(join(repoRoot, 'test/fixtures/foreign/refluxo/exec-7f3c.ndjson'));

function send(path: string, init: { method?: string; body?: Buffer | string; headers?: Record<string, string> } = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: init.method ?? 'POST',
        headers: { 'x-studio-token': server.token, 'content-type': path.startsWith('/api/import') ? 'application/octet-stream' : 'application/json', ...init.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
const json = (r: { body: Buffer }) => JSON.parse(r.body.toString('utf8')) as { result?: any; error?: { code: string; message: string } };

beforeAll(async () => {
  mkdirSync(uploads, { recursive: true });
  savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = uploads;
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer, { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>studio</title>');
  service = await StudioService.open({ dbPath: join(dir, 'studio.db'), workspaceDir: examplesDir, appRoot: repoRoot });
  server = await startStudioServer({ service, rendererDir: renderer, port: 0, maxUploadBytes: 64 * 1024 });
});
afterAll(async () => {
  await server.close();
  await service.close();
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
});

describe('import by upload', () => {
  it('imports a foreign file, reports its format and counts by its own name, and leaves no temp folder', async () => {
    const r = await send('/api/import?name=exec-7f3c.ndjson', { body: refluxo });
    expect(r.status).toBe(200);
    const { result } = json(r);
    expect(result).toMatchObject({ runs: 1, skipped: 0, formats: [{ file: 'exec-7f3c.ndjson', format: 'refluxo' }] });
    expect(result.snapshots).toBeGreaterThan(0);
    expect(readdirSync(uploads)).toEqual([]);
    // The same file again adds nothing.
    expect(json(await send('/api/import?name=exec-7f3c.ndjson', { body: refluxo })).result).toMatchObject({ runs: 0, skipped: 1 });
  });

  it('refuses a bad file naming the file and the line, not the temp path, and imports nothing', async () => {
    const before = (await service.listRuns()).length;
    // A real export whose second line is broken.
    const [run] = await service.listRuns();
    const good = join(dir, 'good.ssx.ndjson');
    await service.exportRuns({ runIds: [run.id], out: good });
    const lines = readFileSync(good, 'utf8').split('\n');
    lines[1] = '{"type":"run","nope":true}';
    const bad = lines.join('\n');
    const r = await send('/api/import?name=../../prod.ssx.ndjson', { body: bad });
    expect(r.status).toBe(422);
    const { error } = json(r);
    expect(error?.code).toBe('E_IMPORT');
    expect(error?.message).toMatch(/^prod\.ssx\.ndjson:2\b/);
    expect(error?.message).not.toContain(uploads);
    expect((await service.listRuns()).length).toBe(before);
    expect(readdirSync(uploads)).toEqual([]);
  });

  it('refuses a file over the size limit with 413', async () => {
    const r = await send('/api/import?name=big.ndjson', { body: Buffer.alloc(65 * 1024, 32) });
    expect(r.status).toBe(413);
    expect(json(r).error?.code).toBe('E_BODY_TOO_LARGE');
    expect(readdirSync(uploads)).toEqual([]);
  });

  it('needs the token like every API call', async () => {
    const r = await send('/api/import?name=x.ndjson', { body: refluxo, headers: { 'x-studio-token': 'wrong' } });
    expect(r.status).toBe(401);
  });
});

describe('export as a download', () => {
  it('writes the runs, hands the file out once, and the file imports back as runs already present', async () => {
    const [run] = await service.listRuns();
    const r = await send('/api/export', { body: JSON.stringify({ options: { runIds: [run.id], redact: true, redactKeys: ['email'] }, fileName: 'my run' }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
    const { result } = json(r);
    expect(result).toMatchObject({ runs: 1, file: 'my_run.ssx.ndjson.gz' });
    expect(result.download).toMatch(/^\/api\/download\/[\w-]{16,}$/);

    const file = await send(result.download, { method: 'GET' });
    expect(file.status).toBe(200);
    expect(file.headers['content-disposition']).toBe('attachment; filename="my_run.ssx.ndjson.gz"');
    expect(file.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
    expect((await send(result.download, { method: 'GET' })).status).toBe(404);
    // The folder goes when the server's read stream closes, which may be just after the client has every byte.
    await expect.poll(() => readdirSync(uploads)).toEqual([]);

    const back = json(await send('/api/import?name=my_run.ssx.ndjson.gz', { body: file.body }));
    expect(back.result).toMatchObject({ runs: 0, skipped: 1, formats: [{ file: 'my_run.ssx.ndjson.gz', format: 'native' }] });
  });

  it('says which argument is wrong', async () => {
    const r = await send('/api/export', { body: JSON.stringify({ options: { runIds: [] } }) });
    expect(r.status).toBe(400);
    expect(json(r).error?.message).toMatch(/exportRuns/);
  });
});

describe('safeFileName', () => {
  it('keeps the last segment with ordinary characters only', () => {
    expect(safeFileName('../../etc/passwd', 'x')).toBe('passwd');
    expect(safeFileName('C:\\Users\\ada\\run "1".ndjson', 'x')).toBe('run_1_.ndjson');
    expect(safeFileName('...', 'fallback')).toBe('fallback');
  });
});
