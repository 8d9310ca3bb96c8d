// No label is cut, in any main view, light or dark, at 1440×900 and 1280×720: every visible element with
// text shows all of it (no ellipsis, no overflow hidden past its box) and no button, tab, label or code
// token breaks across lines. Saves a screenshot of every view in both themes and sizes to
// test-output/screenshots/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../support/tmp';
import { callApi, haveChromium, importProductionRun, NO_CHROMIUM, openStudioPage, runWorkflow, type StudioPage } from './harness';

const shotsDir = join(repoRoot, 'test-output/screenshots');
const runIt = haveChromium || !!process.env.CI;
if (!runIt) console.warn(`cutLabels.e2e skipped: ${NO_CHROMIUM}`);

/** In the page: each visible element whose own text is clipped, or wrapped where it must stay on one line. */
function findCutText(): string[] {
  const ONE_LINE = 'button, [role="tab"], label, code, kbd, th, select, .panel__title, .panel__detail, .status-badge';
  const found: string[] = [];
  const name = (el: Element) => {
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
    const text = (el instanceof HTMLInputElement ? el.value : el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 60);
    return `${el.tagName.toLowerCase()}${cls} "${text}"`;
  };
  const visible = (el: HTMLElement) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none' && Number(cs.opacity) > 0;
  };
  for (const el of document.querySelectorAll<HTMLElement>('body *')) {
    // Monaco lays out its own text (and measures it); the Diff's visual rows fold by design.
    if (el.closest('.monaco-editor, .monaco-diff-editor, [aria-hidden="true"], .sr-only')) continue;
    const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
    const isField = el instanceof HTMLInputElement && ['text', 'search', ''].includes(el.type) && el.value !== '';
    if ((!ownText && !isField && !(el instanceof HTMLSelectElement)) || !visible(el)) continue;
    // A link whose text ends in an ellipsis reads as cut too ("first changed at…"); a button that opens a dialog may say "Import…".
    if (ownText && /…$/.test([...el.childNodes].map((n) => (n.nodeType === Node.TEXT_NODE ? n.textContent : '')).join('').trim()) && el.matches('.link-button'))
      found.push(`ends in an ellipsis: ${name(el)}`);
    const cs = getComputedStyle(el);
    const clips = cs.overflowX !== 'visible' || cs.textOverflow === 'ellipsis' || isField || el instanceof HTMLSelectElement;
    // Hidden past the edge of a pane that clips (or of the window), whatever the element's own overflow.
    const box = el.getBoundingClientRect();
    let clipper = el.parentElement;
    while (clipper && !['hidden', 'clip'].includes(getComputedStyle(clipper).overflowX)) clipper = clipper.parentElement;
    const edge = clipper ? clipper.getBoundingClientRect() : { left: 0, right: innerWidth };
    if (box.right > Math.min(edge.right, innerWidth) + 1 || box.left < Math.max(edge.left, 0) - 1) found.push(`past its pane's edge: ${name(el)}`);
    if (el instanceof HTMLSelectElement) {
      // A select does not report its text's width: measure the chosen option against the room left beside the arrow.
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
      const text = el.selectedOptions[0]?.textContent ?? '';
      const room = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 16;
      if (ctx.measureText(text).width > room + 1) found.push(`clipped: select "${text}" (${Math.ceil(ctx.measureText(text).width)} > ${Math.floor(room)})`);
      continue;
    }
    if (clips && el.scrollWidth > el.clientWidth + 1) found.push(`clipped: ${name(el)} (${el.scrollWidth} > ${el.clientWidth})`);
    if (el.matches(ONE_LINE) && ownText) {
      const range = document.createRange();
      range.selectNodeContents(el);
      // A second line starts below the whole of the first (an icon beside the text is not a line of its own).
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
      const firstBottom = Math.min(...rects.map((r) => r.bottom));
      if (rects.some((r) => r.top >= firstBottom - 1)) found.push(`wrapped: ${name(el)}`);
    }
  }
  // The waterfall's axis labels (drawn for the eye, hidden from assistive tech) must not run into each other.
  const axis = [...document.querySelectorAll('.waterfall__tick, .waterfall__break-label')].map((el) => ({ el, r: el.getBoundingClientRect() }));
  for (let i = 0; i < axis.length; i++) {
    for (let j = i + 1; j < axis.length; j++) {
      const [a, b] = [axis[i].r, axis[j].r];
      if (a.right > b.left + 1 && b.right > a.left + 1 && a.bottom > b.top && b.bottom > a.top) found.push(`overlapping: ${name(axis[i].el)} and ${name(axis[j].el)}`);
    }
  }
  return found;
}

describe.skipIf(!runIt)('labels in every view, both themes, both sizes', () => {
  let studio: StudioPage | undefined;
  let page: Page;
  /** The newest run of each workflow and origin ("orders-linear/imported"). */
  let runOf: Record<string, string> = {};
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  const tab = (name: string) => page.getByRole('tab', { name, exact: true }).click();

  const run = (id: string, until: RegExp) => runWorkflow(page, id, until);

  beforeAll(async () => {
    if (!haveChromium) throw new Error(NO_CHROMIUM);
    mkdirSync(shotsDir, { recursive: true });
    studio = await openStudioPage(tempDir('studio-cut-labels-'));
    page = studio.page;
    // A history with every kind of row: local runs (completed, failed, waiting), an imported run and its replay.
    const recorded = await importProductionRun(page, tempDir('studio-cut-labels-prod-'), 'orders-linear');
    await page.locator(`[data-run-id="${recorded}"]`).click();
    await page.getByRole('button', { name: 'Replay', exact: true }).click();
    await page.getByRole('status', { name: 'Replay report' }).waitFor({ timeout: 20_000 });
    await run('human-approval', /^#\d+ waiting/);
    await run('payment-fails', /^#\d+ run-failed/);
    await run('orders-linear', /^#10 run-completed/);
    runOf = Object.fromEntries(
      (await callApi<{ id: string; workflowId: string; origin: string }[]>(studio.server, 'listRuns')).reverse().map((r) => [`${r.workflowId}/${r.origin}`, r.id]),
    );
  });

  afterAll(async () => {
    await studio?.close();
  });

  /** Each main view, as a person opens it; the page is left showing it. */
  async function openRun(key: string, row: RegExp): Promise<void> {
    await page.locator(`[data-run-id="${runOf[key]}"]`).click();
    await tab('Inspector');
    const close = region('Diff').getByRole('button', { name: 'Close', exact: true });
    if (await close.count()) await close.click();
    await region('Timeline').getByRole('button', { name: row }).first().click();
    await region('Inspector').getByRole('tree').waitFor();
  }

  const views: [string, () => Promise<void>][] = [
    ['failed-run', () => openRun('payment-fails/local', /^#\d+ step-failed/)],
    ['waiting-run', () => openRun('human-approval/local', /^#\d+ waiting/)],
    ['imported-run', () => openRun('orders-linear/imported', /^#1 /)],
    ['replay-run', () => openRun('orders-linear/replay', /^#1 /)],
    [
      'inspector',
      async () => {
        await openRun('orders-linear/local', /^#3 step-completed/);
        await region('Inspector').getByRole('region', { name: /^Step / }).waitFor();
      },
    ],
    [
      'diff',
      async () => {
        const timeline = region('Timeline');
        for (const seq of [3, 10]) {
          const box = timeline.getByRole('checkbox', { name: `Compare #${seq}`, exact: true });
          if (!(await box.isChecked())) await box.check();
        }
        await timeline.getByRole('button', { name: 'Compare', exact: true }).click();
        await region('Diff').getByLabel('Diff summary').waitFor();
      },
    ],
    ['graph', async () => (await tab('Graph'), await page.locator('.react-flow__node').first().waitFor())],
    ['configuration', async () => (await tab('Configuration'), await page.locator('.monaco-editor').first().waitFor())],
    ['versions', async () => (await tab('Versions'), await page.locator('.monaco-editor').first().waitFor())],
    [
      'named',
      async () => {
        await tab('Named');
        const named = page.getByRole('tabpanel');
        await named.getByRole('button', { name: /^Save as named snapshot/ }).click();
        await named.getByRole('form', { name: 'Save as named snapshot' }).waitFor();
      },
    ],
  ];

  for (const size of [
    { width: 1440, height: 900 },
    { width: 1280, height: 720 },
  ]) {
    for (const scheme of ['light', 'dark'] as const) {
      it(`cuts no label at ${size.width}×${size.height}, ${scheme}`, async () => {
        await page.setViewportSize(size);
        await page.emulateMedia({ colorScheme: scheme });
        const cut: string[] = [];
        for (const [view, open] of views) {
          await open();
          await page.evaluate(() => document.fonts.ready);
          await page.screenshot({ path: join(shotsDir, `${view}-${size.width}x${size.height}-${scheme}.png`) });
          cut.push(...(await page.evaluate(findCutText)).map((c) => `${view}: ${c}`));
        }
        expect([...new Set(cut)]).toEqual([]);
      });
    }
  }
});
