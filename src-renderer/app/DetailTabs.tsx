// The views over the selected run that share the detail column's upper half, as tabs (VS Code's panel
// strip): Inspector, Graph, Run configuration, Workflow versions, Named snapshots. Only the open one is mounted.
import { lazy, Suspense, useRef, type KeyboardEvent } from 'react';
import { InspectorPanel } from '../features/inspector/InspectorPanel';
import { useDetailTab, type DetailTab } from './detailTabStore';

// The graph (xyflow) and the editors (Monaco, yaml) load when first opened, so the window opens without them.
const GraphPanel = lazy(() => import('../features/graph/GraphPanel').then((m) => ({ default: m.GraphPanel })));
const ConfigPanel = lazy(() => import('../features/config/ConfigPanel').then((m) => ({ default: m.ConfigPanel })));
const VersionsPanel = lazy(() => import('../features/versions/VersionsPanel').then((m) => ({ default: m.VersionsPanel })));
const NamedPanel = lazy(() => import('../features/named/NamedPanel').then((m) => ({ default: m.NamedPanel })));

const TABS = [
  { id: 'inspector', label: 'Inspector', View: InspectorPanel },
  { id: 'graph', label: 'Graph', View: GraphPanel },
  { id: 'config', label: 'Configuration', View: ConfigPanel },
  { id: 'versions', label: 'Versions', View: VersionsPanel },
  { id: 'named', label: 'Named', View: NamedPanel },
] as const satisfies readonly { id: DetailTab; label: string; View: unknown }[];

export { useDetailTab, type DetailTab } from './detailTabStore';

export function DetailTabs() {
  const tab = useDetailTab((s) => s.tab);
  const show = useDetailTab((s) => s.show);
  const listRef = useRef<HTMLDivElement>(null);
  const current = TABS.find((t) => t.id === tab)!;

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const by = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!by) return;
    e.preventDefault();
    const next = TABS[(TABS.findIndex((t) => t.id === tab) + by + TABS.length) % TABS.length];
    show(next.id);
    listRef.current?.querySelector<HTMLButtonElement>(`#tab-${next.id}`)?.focus();
  }

  return (
    <div className="detail-tabs">
      <div className="detail-tabs__strip" role="tablist" aria-label="Views of the selected run" ref={listRef} onKeyDown={onKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            type="button"
            role="tab"
            aria-selected={t.id === tab}
            aria-controls={`tabpanel-${t.id}`}
            tabIndex={t.id === tab ? 0 : -1}
            className="detail-tabs__tab"
            onClick={() => show(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="detail-tabs__panel" role="tabpanel" id={`tabpanel-${current.id}`} aria-labelledby={`tab-${current.id}`}>
        <Suspense fallback={<div className="empty-state">Loading…</div>}>
          <current.View />
        </Suspense>
      </div>
    </div>
  );
}
