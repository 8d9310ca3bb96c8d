// Turns the diff worker's HTML into DOM nodes for the Diff region, safely.
// jsondiffpatch's HTML formatter escapes every key and value it prints (checked in test/renderer/diffHtml.test.ts),
// and we still parse its output inertly and keep only the few tags and attributes it is known to emit: the
// snapshot data is ours, but imported runs come from elsewhere, and the stock output carries an inline
// <script> (to draw move arrows) that our Content-Security-Policy forbids anyway.
const ALLOWED_TAGS = new Set(['DIV', 'UL', 'LI', 'PRE', 'SPAN']);
const ALLOWED_ATTRIBUTES = new Set(['class', 'data-key']);

const isKnown = (el: Element) => ALLOWED_TAGS.has(el.tagName) && !el.classList.contains('jsondiffpatch-arrow');

function keepIfKnown(el: Element): void {
  if (!isKnown(el)) {
    el.remove();
    return;
  }
  for (const attr of [...el.attributes]) {
    if (!ALLOWED_ATTRIBUTES.has(attr.name)) el.removeAttribute(attr.name);
  }
}

/** Removes every element and attribute outside the allowlist, in place; false when `root` itself is not known. */
export function keepKnownMarkup(root: DocumentFragment | Element): boolean {
  for (const el of [...root.querySelectorAll('*')]) keepIfKnown(el);
  if (!(root instanceof Element)) return true;
  keepIfKnown(root);
  return isKnown(root);
}

/** Formatter output parsed inertly, not yet cut down: template content is inert, nothing in it runs or loads. */
function parseInert(html: string, doc: Document): DocumentFragment {
  const template = doc.createElement('template');
  template.innerHTML = html;
  return template.content;
}

/** Items of a list attached with the first slice; the rest follow in later tasks. */
export const FIRST_SLICE_ITEMS = 40;
/** Main-thread time one later slice may take. */
const SLICE_MS = 8;

/**
 * Renders formatter output into `host` a slice at a time: every list is cut to its first FIRST_SLICE_ITEMS
 * items and attached; the items held back are cut down to the known markup and appended in document order,
 * in tasks of at most SLICE_MS each (a new task per slice, so input and paint run between them). Returns what
 * stops the slicing (when the diff is replaced before it finished).
 */
export function renderInSlices(host: Element, html: string, schedule: (run: () => void) => () => void = nextTask): () => void {
  const fragment = parseInert(html, host.ownerDocument);
  const queue: { list: Element; items: Element[] }[] = [];
  for (const list of fragment.querySelectorAll('ul')) {
    const items = [...list.children].slice(FIRST_SLICE_ITEMS);
    if (items.length === 0) continue;
    for (const item of items) item.remove();
    queue.push({ list, items });
  }
  keepKnownMarkup(fragment); // what is attached now; held-back items are checked as they go in
  host.replaceChildren(fragment);
  let cancel = () => {};
  const pump = () => {
    const t0 = performance.now();
    while (queue.length > 0 && performance.now() - t0 < SLICE_MS) {
      const head = queue[0];
      for (const item of head.items.splice(0, 20)) if (keepKnownMarkup(item)) head.list.append(item);
      if (head.items.length === 0) queue.shift();
    }
    if (queue.length > 0) cancel = schedule(pump);
    else host.removeAttribute('data-attaching');
  };
  if (queue.length > 0) {
    host.setAttribute('data-attaching', '');
    cancel = schedule(pump);
  }
  return () => cancel();
}

/** A new macrotask (a message to ourselves runs sooner than setTimeout's clamped delay). */
function nextTask(run: () => void): () => void {
  const channel = new MessageChannel();
  let live = true;
  channel.port1.onmessage = () => {
    channel.port1.close();
    if (live) run();
  };
  channel.port2.postMessage(null);
  return () => {
    live = false;
    channel.port1.close();
  };
}
