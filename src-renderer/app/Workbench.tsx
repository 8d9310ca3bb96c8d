// The three resizable columns under the toolbar: Runs · Timeline · (Inspector, Graph, Configuration,
// Versions, Named as tabs) over Diff. The Diff folds to its header while nothing is compared, as a DevTools
// drawer does; the split the person dragged comes back when it opens.
import { useLayoutEffect, useRef, useState } from 'react';
import { DiffPanel } from '../features/diff/DiffPanel';
import { useDiff } from '../features/diff/diffStore';
import { RunsPanel } from '../features/runs/RunsPanel';
import { TimelinePanel } from '../features/timeline/TimelinePanel';
import { Splitter } from '../ui/Splitter';
import { DetailTabs } from './DetailTabs';
import { LIMITS, useLayout } from './layoutStore';

export function Workbench() {
  const { runsWidth, timelineWidth, inspectorShare, resize } = useLayout();
  const detailRef = useRef<HTMLDivElement>(null);
  const [detailHeight, setDetailHeight] = useState(0);
  // The Diff takes its share only when it has something to show; until then it is a header.
  const diffOpen = useDiff((s) => s.pair !== null);

  useLayoutEffect(() => {
    const el = detailRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setDetailHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const inspectorHeight = detailHeight * inspectorShare;
  return (
    <main className="workbench">
      <div className="workbench__column" style={{ width: runsWidth }}>
        <RunsPanel />
      </div>
      <Splitter
        label="Resize runs"
        orientation="vertical"
        size={runsWidth}
        min={LIMITS.runsWidth[0]}
        max={LIMITS.runsWidth[1]}
        onResize={(w) => resize('runsWidth', w)}
      />
      <div className="workbench__column" style={{ width: timelineWidth }}>
        <TimelinePanel />
      </div>
      <Splitter
        label="Resize timeline"
        orientation="vertical"
        size={timelineWidth}
        min={LIMITS.timelineWidth[0]}
        max={LIMITS.timelineWidth[1]}
        onResize={(w) => resize('timelineWidth', w)}
      />
      <div
        className="workbench__detail"
        ref={detailRef}
        style={{ gridTemplateRows: diffOpen ? `minmax(0, ${inspectorShare}fr) 1px minmax(0, ${1 - inspectorShare}fr)` : 'minmax(0, 1fr) auto' }}
      >
        <DetailTabs />
        {diffOpen && (
          <Splitter
            label="Resize inspector"
            orientation="horizontal"
            size={inspectorHeight}
            min={Math.round(detailHeight * LIMITS.inspectorShare[0])}
            max={Math.round(detailHeight * LIMITS.inspectorShare[1])}
            onResize={(h) => detailHeight > 0 && resize('inspectorShare', h / detailHeight)}
          />
        )}
        <DiffPanel />
      </div>
    </main>
  );
}
