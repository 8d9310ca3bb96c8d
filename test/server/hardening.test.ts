// Browser mode against requests a person's own page never sends: a cookie without the header token, other
// origins and sites, the wrong content type, paths on disk, imported code without consent, bodies too large, too
// many or too slow, and malformed paths. Each is refused with a status and a message, and nothing is written.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../src-main/core/studio';
import { startStudioServer, type StudioServer } from '../../src-main/server/server';
import { rawRequest, type RawReply } from '../support/rawHttp';
import { examplesDir, repoRoot, tempDir } from '../support/tmp';

const dir = tempDir();
let service: StudioService;
let server: StudioServer;

type Reply = RawReply;
const raw = (path: string, init: Parameters<typeof rawRequest>[2] = {}) => rawRequest(server.port, path, { method: 'POST', ...init });

const json = { 'content-type': 'application/json' };
const withToken = () => ({ 'x-studio-token': server.token, ...json });
const code = (r: Reply) => (JSON.parse(r.body) as { error?: { code: string } }).error?.code;

/** Sends the head of a request by hand, then only `first` bytes of its body, and reads what comes back. */
function partial(head: string, first: string): Promise<{ text: string; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1');
    let text = '';
    let closedResolve!: () => void;
    const closed = new Promise<void>((r) => (closedResolve = r));
    socket.on('data', (c) => {
      text += c.toString('utf8');
      if (text.includes('\r\n\r\n') && /\}$/.test(text)) resolve({ text, closed });
    });
    socket.on('close', () => {
      closedResolve();
      resolve({ text, closed });
    });
    socket.on('error', reject);
    socket.write(head + first);
  });
}

beforeAll(async () => {
  const renderer = join(dir, 'renderer');
  mkdirSync(renderer, { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>studio</title>');
  service = await StudioService.open({ dbPath: join(dir, 'studio.db'), workspaceDir: examplesDir, appRoot: repoRoot });
  server = await startStudioServer({ service, rendererDir: renderer, port: 0, maxBodyBytes: 64 * 1024, maxHeldBodyBytes: 200 * 1024, bodyIdleMs: 300 });
});
afterAll(async () => {
  await server.close();
  await service.close();
});

describe('a call proves it comes from the app’s own page', () => {
  it('refuses the cookie alone: API calls need the token in the X-Studio-Token header', async () => {
    const page = await raw(`/?token=${server.token}`, { method: 'GET' });
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    const r = await raw('/api/call/listRuns', { headers: { cookie, ...json }, body: '[]' });
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body).error.message).toMatch(/X-Studio-Token|x-studio-token/i);
    expect((await raw(`/api/call/listRuns?token=${server.token}`, { headers: json, body: '[]' })).status).toBe(401);
    expect((await raw('/api/import?name=x.ndjson', { headers: { cookie, 'content-type': 'application/octet-stream' }, body: '{}' })).status).toBe(401);
    expect((await raw('/api/export', { headers: { cookie, ...json }, body: '{}' })).status).toBe(401);
    // The page's own assets and the event stream still load with the cookie.
    expect((await raw('/', { method: 'GET', headers: { cookie } })).status).toBe(200);
  });

  it('refuses another origin, and pages of another site or another port of this machine', async () => {
    const foreign = await raw('/api/call/listRuns', { headers: { ...withToken(), origin: 'http://127.0.0.1:1' }, body: '[]' });
    expect([foreign.status, code(foreign)]).toEqual([403, 'E_ORIGIN']);
    for (const site of ['same-site', 'cross-site']) {
      const r = await raw('/api/call/listRuns', { headers: { ...withToken(), 'sec-fetch-site': site }, body: '[]' });
      expect([r.status, code(r)]).toEqual([403, 'E_CROSS_SITE']);
      expect((await raw(`/?token=${server.token}`, { method: 'GET', headers: { 'sec-fetch-site': site } })).status).toBe(403);
    }
    const own = await raw('/api/call/listRuns', { headers: { ...withToken(), origin: `http://127.0.0.1:${server.port}`, 'sec-fetch-site': 'same-origin' }, body: '[]' });
    expect(own.status).toBe(200);
  });

  it('takes only application/json for calls and application/octet-stream for uploads', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await raw('/api/call/listRuns', { headers: { 'x-studio-token': server.token, 'content-type': type }, body: '[]' });
      expect([r.status, code(r)]).toEqual([415, 'E_CONTENT_TYPE']);
    }
    const upload = await raw('/api/import?name=x.ndjson', { headers: { 'x-studio-token': server.token, 'content-type': 'text/plain' }, body: '{}' });
    expect([upload.status, code(upload)]).toEqual([415, 'E_CONTENT_TYPE']);
    expect(JSON.parse(upload.body).error.message).toBe('/api/import takes Content-Type application/octet-stream, got text/plain');
  });
});

describe('paths on disk and imported code', () => {
  it('refuses exportRuns, importFiles and replay of files through the call: a window never names a path', async () => {
    const run = await service.waitForRun((await service.startRun('orders-linear', {})).id);
    const out = join(dir, 'written-by-a-page.ssx.ndjson');
    const cases: [string, unknown[]][] = [
      ['exportRuns', [{ runIds: [run.id], out }]],
      ['importFiles', [{ files: ['/etc/passwd'] }]],
      ['replay', [{ files: ['/etc/passwd'] }]],
    ];
    for (const [method, args] of cases) {
      const r = await raw(`/api/call/${method}`, { headers: withToken(), body: JSON.stringify(args) });
      expect([r.status, code(r)], method).toEqual([403, 'E_REFUSED']);
      expect(JSON.parse(r.body).error.message).toMatch(/a window may not name/);
    }
    expect(existsSync(out)).toBe(false);
    // Replay of runs by id stays open to the window.
    expect(code(await raw('/api/call/replay', { headers: withToken(), body: JSON.stringify([{ runIds: [run.id] }]) }))).not.toBe('E_REFUSED');
  });
});

describe('bodies', () => {
  it('answers 413 with a message before reading a body whose announced size is over the limit', async () => {
    const { text, closed } = await partial(
      `POST /api/call/listRuns HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Studio-Token: ${server.token}\r\nContent-Type: application/json\r\nContent-Length: ${10 * 1024 * 1024}\r\n\r\n`,
      '[',
    );
    expect(text).toMatch(/^HTTP\/1\.1 413/);
    expect(text).toContain('"code":"E_BODY_TOO_LARGE"');
    expect(text).toContain('a call may send at most 65536');
    await closed;
  });

  it('answers 413 when a chunked body grows past the limit, and the next call is served', async () => {
    const big = JSON.stringify([{ pad: 'x'.repeat(100 * 1024) }]);
    const r = await raw('/api/call/listRuns', { headers: { ...withToken(), 'transfer-encoding': 'chunked' }, body: big }).catch((err: Error) => err);
    if (r instanceof Error) expect(r.message).toMatch(/ECONNRESET|EPIPE|socket hang up/);
    else expect([r.status, code(r)]).toEqual([413, 'E_BODY_TOO_LARGE']);
    expect((await raw('/api/call/listRuns', { headers: withToken(), body: '[]' })).status).toBe(200);
  });

  it('holds a bounded number of bytes across unfinished bodies, and drops bodies that stop arriving', async () => {
    const head = (length: number) =>
      `POST /api/call/listRuns HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Studio-Token: ${server.token}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;
    // Four bodies of 60 KB each, each stopping short: together over the 200 KB held at once.
    const answers = await Promise.all([0, 1, 2, 3].map(() => partial(head(64 * 1024), ' '.repeat(60 * 1024))));
    const statuses = answers.map((a) => Number(/^HTTP\/1\.1 (\d+)/.exec(a.text)?.[1]));
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 408).length).toBeGreaterThanOrEqual(1);
    for (const s of statuses) expect([408, 503]).toContain(s);
    await Promise.all(answers.map((a) => a.closed));
    // Once they are gone, the bytes they held are free again.
    expect((await raw('/api/call/listRuns', { headers: withToken(), body: JSON.stringify([]) + ' '.repeat(60 * 1024) })).status).toBe(200);
  });
});

describe('paths', () => {
  it('answers 400 for a malformed %-encoding, not 500', async () => {
    const r = await raw(`/%E0%A4%A?token=${server.token}`, { method: 'GET' });
    expect([r.status, code(r)]).toEqual([400, 'E_BAD_PATH']);
  });
});
