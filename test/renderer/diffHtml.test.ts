// The Diff region renders jsondiffpatch's HTML formatter output. Snapshot data can come from imported runs,
// so every key and value must reach the page as text, never as markup.
import { format } from 'jsondiffpatch/formatters/html';
import { describe, expect, it } from 'vitest';

const evil = '<img src=x onerror="alert(1)">';
const tagsIn = (html: string) => new Set([...html.matchAll(/<\s*([a-zA-Z][\w-]*)/g)].map((m) => m[1].toLowerCase()));

describe('jsondiffpatch HTML formatter, as the Diff region uses it', () => {
  it('escapes keys and values of added, removed and changed entries', () => {
    const left = { [evil]: 'a', keep: { [evil]: 1 }, gone: '</pre><script>alert(2)</script>' };
    const delta = {
      [evil]: ['a', `${evil}'"&`],
      keep: { [evil]: [1, evil] },
      gone: ['</pre><script>alert(2)</script>', 0, 0],
      added: [{ [evil]: evil }],
    };
    const html = format(delta as never, left)!;
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect([...tagsIn(html)].sort()).toEqual(['div', 'li', 'pre', 'ul']);
  });

  it('escapes text diffs and array moves; moves add an inline script and SVG the renderer strips', () => {
    const left = { list: ['x', 'y', 'z'], text: 'a'.repeat(80) };
    const delta = {
      list: { _t: 'a', _0: ['', 2, 3] },
      text: ['@@ -1,4 +1,4 @@\n-aaaa\n+%3Cb%3E\n', 0, 2],
    };
    const html = format(delta as never, left)!;
    expect(html).toContain('&lt;b&gt;');
    expect(html).not.toContain('<b>');
    // What the renderer's allowlist (src-renderer/features/diff/diffHtml.ts) has to remove:
    const script = /<script[^>]*>[\s\S]*?<\/script>/.exec(html);
    expect(script).not.toBeNull();
    expect([...tagsIn(html.replace(script![0], '<script>'))].filter((t) => !['div', 'ul', 'li', 'pre', 'span'].includes(t)).sort()).toEqual([
      'defs',
      'marker',
      'path',
      'script',
      'svg',
    ]);
  });
});
