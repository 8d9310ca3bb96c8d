// Browser mode's HTTP shell: the token, the Host check, the validated API and the event stream.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../src-main/core/studio';
import { startStudioServer, type StudioServer } from '../../src-main/server/server';
import { outlineOf } from '../../src-main/shared/snapshotOutline';
import { rawRequest } from '../support/rawHttp';
import { examplesDir, repoRoot, tempDir } from '../support/tmp';

const dir = tempDir();
let service: StudioService;
let server: StudioServer;

const raw = (path: string, init: Parameters<typeof rawRequest>[2] = {}) => rawRequest(server.port, path, init);

const call = (method: string, args: unknown[], headers: Record<string, string> = {}) =>
  raw(`/api/call/${method}`, { method: 'POST', headers: { 'x-studio-token': server.token, 'content-type': 'application/json', ...headers }, body: JSON.stringify(args) });

beforeAll(async () => {
  const renderer = join(dir, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>studio</title>');
  writeFileSync(join(renderer, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  service = await StudioService.open({ dbPath: join(dir, 'studio.db'), workspaceDir: examplesDir, appRoot: repoRoot });
  server = await startStudioServer({ service, rendererDir: renderer, port: 0 });
});
afterAll(async () => {
  await server.close();
  await service.close();
});

describe('browser-mode server', () => {
  it('prints a URL on 127.0.0.1 with a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{32}$/);
  });

  it('answers 401 without the token and 403 for a foreign Host header', async () => {
    expect((await raw('/')).status).toBe(401);
    expect((await raw('/api/call/listRuns', { method: 'POST', body: '[]' })).status).toBe(401);
    expect((await raw(`/?token=wrong${server.token}`)).status).toBe(401);
    const foreign = await raw(`/?token=${server.token}`, { headers: { host: 'evil.example' } });
    expect(foreign.status).toBe(403);
    const rebinding = await raw(`/?token=${server.token}`, { headers: { host: `evil.example:${server.port}` } });
    expect(rebinding.status).toBe(403);
    expect((await raw(`/?token=${server.token}`, { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  it('serves the page with the token, sets an HTTP-only cookie for its assets, and never serves files outside', async () => {
    const page = await raw(`/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>studio</title>');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    expect(String(page.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const asset = await raw('/assets/app.js', { headers: { cookie } });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('text/javascript');
    expect((await raw('/../secret.txt', { headers: { cookie } })).status).toBe(404);
    expect((await raw('/%2e%2e/secret.txt', { headers: { cookie } })).status).toBe(404);
  });

  it('calls the contract with parsed arguments and reports bad calls with a code', async () => {
    const ok = await call('listWorkflows', []);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).result.workflows.map((w: { id: string }) => w.id)).toContain('orders-linear');
    const badArgs = await call('getSnapshot', ['run', -1]);
    expect(badArgs.status).toBe(400);
    // The refusal names the parameter, not its position.
    expect(JSON.parse(badArgs.body).error).toMatchObject({ code: 'E_BAD_ARGUMENT', message: expect.stringMatching(/^getSnapshot: seq: /) });
    const nested = await call('retry', ['run', { version: 'newest' }]);
    expect(JSON.parse(nested.body).error.message).toMatch(/^retry: options\.version: /);
    const unknown = await call('dropTables', []);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.code).toBe('E_UNKNOWN_METHOD');
    const notJson = await raw('/api/call/listRuns', { method: 'POST', headers: { 'x-studio-token': server.token, 'content-type': 'application/json' }, body: '{nope' });
    expect(JSON.parse(notJson.body).error.code).toBe('E_BAD_JSON');
    const missing = await call('getRun', ['ghost']);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error.message).toBe('no run with id "ghost"');
  });

  it('serves getSnapshotOutline: the snapshot cut down in core, as outlineOf makes it', async () => {
    const run = await service.waitForRun((await service.startRun('orders-linear', { input: { customer: 'ada@example.com' } })).id);
    const reply = await call('getSnapshotOutline', [run.id, run.snapshotCount]);
    expect(reply.status).toBe(200);
    const full = await service.getSnapshot(run.id, run.snapshotCount);
    expect(full.steps.ship.output).toBeDefined();
    expect(JSON.parse(reply.body).result).toEqual(outlineOf(full));
    expect(JSON.parse(reply.body).result.steps.ship).not.toHaveProperty('output');
    expect((await call('getSnapshotOutline', [run.id, 0.5])).status).toBe(400);
  });

  it('streams run events to a subscriber as the engine writes snapshots', async () => {
    const controller = new AbortController();
    const res = await fetch(`http://127.0.0.1:${server.port}/api/events?token=${server.token}`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const started = JSON.parse((await call('startRun', ['orders-linear', {}])).body).result;
    const seen: { type: string; runId?: string; run?: { status: string } }[] = [];
    let buffer = '';
    const decoder = new TextDecoder();
    while (!seen.some((e) => e.type === 'run-updated' && e.run?.status === 'completed')) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const frames = buffer.split('\n\n');
      buffer = frames.pop()!;
      for (const f of frames) if (f.startsWith('data: ')) seen.push(JSON.parse(f.slice(6)));
    }
    controller.abort();
    const added = seen.filter((e) => e.type === 'snapshot-added' && e.runId === started.id);
    expect(added).toHaveLength(10);
  });
});
