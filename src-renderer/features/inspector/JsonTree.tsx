// The whole snapshot document as a collapsible tree (DevTools' object view): virtualized, so a 5 MB document
// opens at once; arrows walk it, right and left open and close, and "Copy value" / "Copy path" act on the
// selected row.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { flattenTree, previewValue, valueAtPath, valueKind, type TreeRow } from './jsonTree';

const ROW_HEIGHT = 18;

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

export function JsonTree({ value, initiallyExpanded, label }: { value: unknown; initiallyExpanded: string[]; label: string }) {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set(initiallyExpanded));
  const [selected, setSelected] = useState<string | null>(null);
  const [copied, setCopied] = useState('');
  const rows = useMemo(() => flattenTree(value, expanded), [value, expanded]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 20 });
  const selectedIndex = selected === null ? -1 : rows.findIndex((r) => r.path === selected);

  // A new document keeps what the person opened, plus the defaults for it.
  const initialKey = initiallyExpanded.join('\n');
  useEffect(() => {
    setExpanded((e) => new Set([...e, ...initialKey.split('\n')]));
  }, [initialKey]);

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtualizer]);

  function toggle(path: string, open?: boolean) {
    setExpanded((e) => {
      const next = new Set(e);
      if (open ?? !next.has(path)) next.add(path);
      else next.delete(path);
      return next;
    });
  }

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const row: TreeRow | undefined = rows[selectedIndex];
    const go = (i: number) => rows[i] && setSelected(rows[i].path);
    if (e.key === 'ArrowDown') go(Math.min(rows.length - 1, selectedIndex + 1));
    else if (e.key === 'ArrowUp') go(Math.max(0, selectedIndex - 1));
    else if (e.key === 'Home') go(0);
    else if (e.key === 'End') go(rows.length - 1);
    else if (e.key === 'ArrowRight' && row?.expandable) {
      if (!row.expanded) toggle(row.path, true);
      else go(selectedIndex + 1);
    } else if (e.key === 'ArrowLeft' && row) {
      if (row.expanded) toggle(row.path, false);
      else setSelected(row.path.slice(0, row.path.lastIndexOf('/')) || row.path);
    } else if ((e.key === 'Enter' || e.key === ' ') && row?.expandable) toggle(row.path);
    else return;
    e.preventDefault();
  }

  async function copy(what: 'value' | 'path') {
    const path = selected ?? '';
    const text = what === 'path' ? path || '/' : (JSON.stringify(valueAtPath(value, path), null, 2) ?? 'undefined');
    const ok = await copyText(text);
    setCopied(ok ? `Copied ${what} of ${path || '/'}` : 'The clipboard is not available here');
  }

  return (
    <div className="json-tree">
      <div className="json-tree__bar">
        <code className="json-tree__path" title="JSON pointer of the selected value">
          {selected || '/'}
        </code>
        <span className="json-tree__status" role="status">
          {copied}
        </span>
        <button type="button" className="button button--small" onClick={() => void copy('value')}>
          Copy value
        </button>
        <button type="button" className="button button--small" onClick={() => void copy('path')}>
          Copy path
        </button>
        <button type="button" className="button button--small" onClick={() => setExpanded(new Set())} title="Collapse every value">
          Collapse all
        </button>
      </div>
      <div className="json-tree__scroll" ref={scrollRef} role="tree" aria-label={label} tabIndex={0} onKeyDown={onKeyDown}
        aria-activedescendant={selectedIndex >= 0 ? `jt-${selectedIndex}` : undefined}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const row = rows[v.index];
            const kind = valueKind(row.value);
            return (
              <div
                key={row.path}
                id={`jt-${v.index}`}
                role="treeitem"
                aria-level={row.depth + 1}
                aria-expanded={row.expandable ? row.expanded : undefined}
                aria-selected={row.path === selected}
                data-path={row.path}
                className="json-tree__row"
                style={{ transform: `translateY(${v.start}px)`, paddingLeft: 6 + row.depth * 14 }}
                onClick={() => {
                  setSelected(row.path);
                  if (row.expandable) toggle(row.path);
                }}
              >
                <span className={`json-tree__caret${row.expandable ? '' : ' is-leaf'}`} aria-hidden>
                  {row.expanded ? '▾' : '▸'}
                </span>
                <span className="json-key">{typeof row.key === 'number' ? row.key : JSON.stringify(row.key)}</span>
                {': '}
                <span className={kind === 'container' ? 'json-tree__preview' : `json-${kind}`}>{previewValue(row.value)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
