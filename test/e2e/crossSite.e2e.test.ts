// A hostile page on another localhost port, open in the same browser as the app: it is the same *site*, so
// the app's SameSite=Strict cookie rides on its requests. It tries every way a page can send a request —
// fetch (no-cors and cors), a form POST, navigator.sendBeacon — to upload a crafted export, run imported code,
// export to a path, import a local path and read the runs. Every attempt is refused and nothing is written or run.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioService } from '../../src-main/core/studio';
import { repoRoot, tempDir } from '../support/tmp';
import { cliIn } from '../support/cli';
import { callApi, haveChromium, launchChromium, NO_CHROMIUM, startServer, stopServer, type RunningServer } from './harness';

const dir = tempDir('studio-cross-site-');
const marker = join(dir, 'imported-code-ran.txt');
const stolen = join(dir, 'stolen.ssx.ndjson');
const crafted = join(dir, 'crafted.ssx.ndjson');
const runnable = !!process.env.CI || haveChromium;
if (!runnable) console.warn(`skipping the cross-site e2e test: ${NO_CHROMIUM}`);

let server: RunningServer;
let attacker: Server;
let browser: Browser;
let importedRunId: string;

/** A workflow whose only step appends a line to `marker`: if that line appears again, imported code ran. */
function writeMarkerWorkflow(workspace: string, id: string): void {
  mkdirSync(workspace, { recursive: true });
  writeFileSync(
    join(workspace, `${id}.workflow.ts`),
    `import { appendFileSync } from 'node:fs';
import { defineWorkflow } from 'snapshot-studio/sdk';
export default defineWorkflow({ id: ${JSON.stringify(id)}, steps: { touch: { run: () => { appendFileSync(${JSON.stringify(marker)}, 'ran\\n'); return { ok: true }; } } } });
`,
  );
}

/** Runs the workflow once in its own database and exports that run: an export carrying code. */
async function exportWithCode(id: string, out: string): Promise<string> {
  const workspace = join(dir, `ws-${id}`);
  writeMarkerWorkflow(workspace, id);
  const service = await StudioService.open({ dbPath: join(dir, `${id}.db`), workspaceDir: workspace, appRoot: repoRoot });
  try {
    const run = await service.waitForRun((await service.startRun(id, {})).id);
    await service.exportRuns({ runIds: [run.id], out, redact: false });
    return run.id;
  } finally {
    await service.close();
  }
}

const attackPage = (app: string, runId: string, crafted: string) => `<!doctype html><html><body>
<iframe name="sink1"></iframe><iframe name="sink2"></iframe>
<form id="f1" method="POST" enctype="text/plain" target="sink1" action="${app}/api/call/retry?attempt=form-retry">
  <input name='[${JSON.stringify(runId).slice(0, -1)}' value='",{"version":"original","allowImportedCode":true}]'>
</form>
<form id="f2" method="POST" enctype="text/plain" target="sink2" action="${app}/api/call/listRuns?attempt=form-read">
  <input name="[" value="]">
</form>
<script>
const app = ${JSON.stringify(app)};
const body = (args) => JSON.stringify(args);
const attempts = [
  ['import-upload', app + '/api/import?name=crafted.ssx.ndjson&attempt=import-upload', ${JSON.stringify(crafted)}],
  ['retry-imported-code', app + '/api/call/retry?attempt=retry-imported-code', body([${JSON.stringify(runId)}, { version: 'original', allowImportedCode: true }])],
  ['export-path', app + '/api/call/exportRuns?attempt=export-path', body([{ runIds: [${JSON.stringify(runId)}], out: ${JSON.stringify(stolen)} }])],
  ['import-path', app + '/api/call/importFiles?attempt=import-path', body([{ files: [${JSON.stringify(join(dir, 'second.ssx.ndjson'))}] }])],
  ['read-runs', app + '/api/call/listRuns?attempt=read-runs', body([])],
  ['export-download', app + '/api/export?attempt=export-download', body({ options: { runIds: [${JSON.stringify(runId)}] }, fileName: 'x.ssx.ndjson' })],
];
window.outcomes = {};
(async () => {
  for (const [name, url, data] of attempts) {
    try { await fetch(url + '-no-cors', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: data }); window.outcomes[name + '-no-cors'] = 'sent'; }
    catch (e) { window.outcomes[name + '-no-cors'] = 'blocked'; }
    try { const r = await fetch(url + '-cors', { method: 'POST', mode: 'cors', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: data }); window.outcomes[name + '-cors'] = 'read ' + r.status + ' ' + await r.text(); }
    catch (e) { window.outcomes[name + '-cors'] = 'blocked'; }
    window.outcomes[name + '-beacon'] = navigator.sendBeacon(url + '-beacon', new Blob([data], { type: 'text/plain' })) ? 'queued' : 'refused';
  }
  const loaded = (name) => new Promise((resolve) => document.querySelector('iframe[name=' + name + ']').addEventListener('load', resolve, { once: true }));
  const sinks = [loaded('sink1'), loaded('sink2')];
  document.getElementById('f1').submit();
  document.getElementById('f2').submit();
  await Promise.all(sinks);
  window.done = true;
})();
</script></body></html>`;

beforeAll(async () => {
  if (!runnable) return;
  // The app's database holds an imported run whose code writes the marker; the served workspace has no such workflow.
  const exported = join(dir, 'first.ssx.ndjson');
  importedRunId = await exportWithCode('marker-flow', exported);
  await exportWithCode('second-flow', join(dir, 'second.ssx.ndjson'));
  await exportWithCode('crafted-flow', crafted);
  const emptyWorkspace = join(dir, 'served-workspace');
  mkdirSync(emptyWorkspace);
  const db = join(dir, 'studio.db');
  const imported = cliIn(dir)('import', exported, '--db', db, '--workspace', emptyWorkspace);
  expect(imported.code, imported.stderr).toBe(0);
  server = await startServer(db, emptyWorkspace);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (server) await stopServer(server.child);
  await new Promise<void>((resolve) => (attacker ? attacker.close(() => resolve()) : resolve()));
});

describe.runIf(runnable)('a page on another localhost port, with the app open in the same browser', () => {
  it('is refused at every attempt: nothing is uploaded, imported, exported, read or run', async () => {
    const runsBefore = await callApi<{ id: string }[]>(server, 'listRuns');
    const markerBefore = readFileSync(marker, 'utf8');
    const craftedText = readFileSync(crafted, 'utf8');

    const context = await browser.newContext();
    const app = await context.newPage();
    await app.goto(server.url.href);
    await app.getByRole('region', { name: 'Runs' }).waitFor();
    // The cookie the app's page load set is there, and would ride on same-site requests.
    expect((await context.cookies()).map((c) => c.name)).toContain('studio_token');

    attacker = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(attackPage(`http://127.0.0.1:${server.port}`, importedRunId, craftedText));
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', () => resolve()));
    const attackerPort = (attacker.address() as AddressInfo).port;

    const hostile = await context.newPage();
    const answers: { url: string; status: number; method: string }[] = [];
    hostile.on('response', (r: Response) => {
      if (new URL(r.url()).port === String(server.port)) answers.push({ url: r.url(), status: r.status(), method: r.request().method() });
    });
    await hostile.goto(`http://127.0.0.1:${attackerPort}/`);
    await hostile.waitForFunction(() => (window as unknown as { done?: boolean }).done === true, undefined, { timeout: 30_000 });
    const outcomes = (await hostile.evaluate(() => (window as unknown as { outcomes: Record<string, string> }).outcomes)) as Record<string, string>;
    // Beacons are sent after the page has moved on: wait until each has an answer.
    await expect.poll(() => answers.filter((a) => a.url.endsWith('-beacon')).length, { timeout: 20_000 }).toBe(6);

    // Every answer the server gave the hostile page is a refusal; none is a success.
    expect(answers.length).toBeGreaterThanOrEqual(14);
    for (const a of answers) expect([401, 403, 405, 415], `${a.method} ${a.url}`).toContain(a.status);
    // No cors attempt could read an answer.
    for (const [name, outcome] of Object.entries(outcomes)) if (name.endsWith('-cors') && !name.endsWith('-no-cors')) expect(outcome, name).toBe('blocked');

    // Nothing was written or run.
    expect(readFileSync(marker, 'utf8')).toBe(markerBefore);
    expect(existsSync(stolen)).toBe(false);
    expect((await callApi<{ id: string }[]>(server, 'listRuns')).map((r) => r.id)).toEqual(runsBefore.map((r) => r.id));
    await context.close();
  });

  it('runs imported code only after the person consents in the window, and not when they cancel', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url.href);
    const runs = page.getByRole('region', { name: 'Runs' });
    const timeline = page.getByRole('region', { name: 'Timeline' });
    await page.locator(`[data-run-id="${importedRunId}"]`).click();
    const markerBefore = readFileSync(marker, 'utf8');
    const runsBefore = (await callApi<{ id: string }[]>(server, 'listRuns')).length;
    const dialog = page.getByRole('alertdialog', { name: 'Run code that came with an import?' });

    await timeline.getByRole('button', { name: 'Retry with original version', exact: true }).click();
    await dialog.waitFor();
    const { workflowVersion } = await callApi<{ workflowVersion: string }>(server, 'getRun', importedRunId);
    expect(await dialog.textContent()).toContain(workflowVersion.slice(0, 12));
    // Cancel is the default answer, and runs nothing.
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.getByRole('alert').count()).toBe(0);
    expect((await callApi<{ id: string }[]>(server, 'listRuns')).length).toBe(runsBefore);
    expect(readFileSync(marker, 'utf8')).toBe(markerBefore);

    await timeline.getByRole('button', { name: 'Retry with original version', exact: true }).click();
    await dialog.getByRole('button', { name: 'Run imported code' }).click();
    await expect.poll(() => readFileSync(marker, 'utf8'), { timeout: 20_000 }).toBe(`${markerBefore}ran\n`);
    await expect.poll(() => runs.locator('[aria-current="true"]').getAttribute('data-run-id'), { timeout: 10_000 }).not.toBe(importedRunId);
    await expect.poll(() => timeline.textContent(), { timeout: 10_000 }).toContain(`retry of ${importedRunId.slice(0, 8)}`);
    await context.close();
  });

  it('still serves the app to its own page, whose calls carry the token in a header', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(server.url.href);
    await expect.poll(() => page.getByRole('region', { name: 'Runs' }).getByText('marker-flow').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await context.close();
  });
});
