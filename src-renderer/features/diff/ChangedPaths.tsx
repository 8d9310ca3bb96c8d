// The changed paths of a comparison, in document order; "first changed at" finds the snapshot of the run
// that changed a path and selects it in the timeline. The list is virtual: a diff of thousands of paths
// renders the few rows in view.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import type { DiffSummary, SnapshotRef } from '@shared/api';
import { studio } from '../../lib/studio';
import { attempt } from '../../lib/attempt';
import { selectSnapshot } from '../../app/selection';
import { splitBookkeeping } from './diffFields';

const OP_SIGN: Record<DiffSummary['paths'][number]['op'], string> = {
  added: '+',
  removed: '−',
  changed: '~',
  moved: '→',
};
const ROW_HEIGHT = 18;

/** Where to look for the change: between the two snapshots of one run, or up to the left one in its run. */
function searchRange([a, b]: [SnapshotRef, SnapshotRef]): { runId: string; from?: number; to: number } {
  return a.runId === b.runId ? { runId: a.runId, from: a.seq, to: b.seq } : { runId: a.runId, to: a.seq };
}

export function ChangedPaths({ paths: all, pair }: { paths: DiffSummary['paths']; pair: [SnapshotRef, SnapshotRef] }) {
  const { data: paths, bookkeeping } = splitBookkeeping(all);
  const [found, setFound] = useState<Record<string, number | null>>({});

  async function firstChange(path: string) {
    const { runId, from, to } = searchRange(pair);
    const seq = await attempt(`Could not find where ${path} changed`, () => studio().firstChange(runId, path, from === undefined ? { to } : { from, to }));
    if (seq === undefined) return;
    setFound((f) => ({ ...f, [path]: seq }));
    if (seq !== null) selectSnapshot(seq, runId);
  }

  const scrollRef = useRef<HTMLDivElement>(null);
  // Overscan keeps a short list whole (and findable), while a long one renders a screenful and a margin.
  const virtualizer = useVirtualizer({ count: paths.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 30 });

  return (
    <details className="changed-paths" open>
      <summary>
        Changed paths <span className="changed-paths__count">{paths.length.toLocaleString('en')}</span>
        {bookkeeping.length > 0 && (
          <span className="changed-paths__bookkeeping" title="The snapshot's own bookkeeping, which differs between any two snapshots: which one it is, what made it, when">
            and bookkeeping: {bookkeeping.map((p) => p.path.slice(1)).join(', ')}
          </span>
        )}
      </summary>
      <div className="changed-paths__scroller" ref={scrollRef}>
        <ul aria-label="Changed paths" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((row) => {
            const p = paths[row.index];
            return (
              <li
                key={row.key}
                className={`changed-paths__item changed-paths__item--${p.op}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
              >
                <span className="changed-paths__op" title={p.op} aria-label={p.op}>
                  {OP_SIGN[p.op]}
                </span>
                <code>{p.path}</code>
                {found[p.path] === undefined ? (
                  <button
                    type="button"
                    className="icon-button changed-paths__find"
                    aria-label={`First changed at ${p.path}`}
                    title={`Find the snapshot where ${p.path} first changed`}
                    onClick={() => void firstChange(p.path)}
                  >
                    ⤒
                  </button>
                ) : (
                  <button
                    type="button"
                    className="link-button changed-paths__first"
                    aria-label={`First changed at ${p.path}`}
                    title={found[p.path] === null ? undefined : `Select snapshot #${found[p.path]}`}
                    onClick={() => void firstChange(p.path)}
                  >
                    {found[p.path] === null ? 'unchanged in range' : `first changed at #${found[p.path]}`}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </details>
  );
}
