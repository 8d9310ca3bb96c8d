// Turns the diff worker's HTML into DOM nodes for the Diff region, safely.
// jsondiffpatch's HTML formatter escapes every key and value it prints (checked in test/renderer/diffHtml.test.ts),
// and we still parse its output inertly and keep only the few tags and attributes it is known to emit: the
// snapshot data is ours, but imported runs come from elsewhere, and the stock output carries an inline
// <script> (to draw move arrows) that our Content-Security-Policy forbids anyway.
const ALLOWED_TAGS = new Set(['DIV', 'UL', 'LI', 'PRE', 'SPAN']);
const ALLOWED_ATTRIBUTES = new Set(['class', 'data-key']);

/** Removes every element and attribute outside the allowlist, in place. */
export function keepKnownMarkup(root: DocumentFragment | Element): void {
  for (const el of [...root.querySelectorAll('*')]) {
    if (!ALLOWED_TAGS.has(el.tagName) || el.classList.contains('jsondiffpatch-arrow')) {
      el.remove();
      continue;
    }
    for (const attr of [...el.attributes]) {
      if (!ALLOWED_ATTRIBUTES.has(attr.name)) el.removeAttribute(attr.name);
    }
  }
}

/** Formatter output, parsed inertly and cut down to the known markup. */
export function safeFragment(html: string, doc: Document = document): DocumentFragment {
  // Template content is inert: nothing in it runs or loads while we inspect it.
  const template = doc.createElement('template');
  template.innerHTML = html;
  keepKnownMarkup(template.content);
  return template.content;
}
