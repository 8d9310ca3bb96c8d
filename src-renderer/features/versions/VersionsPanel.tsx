// The Workflow versions region: every version of the selected run's workflow with its date, one version's
// source read-only in Monaco, and a Monaco diff between two versions, e.g. "what changed since this run".
import { useEffect, useRef, useState } from 'react';
import { formatWhen } from '../../lib/format';
import { useMonaco } from '../../lib/useMonaco';
import { EmptyState, Panel } from '../../ui/Panel';
import { useRunVersion, type SourcePosition } from './runVersionStore';
import './VersionsPanel.css';

const languageOf = (file: string) => (/\.(ts|mts|cts)$/.test(file) ? 'typescript' : 'javascript');

export function VersionsPanel() {
  const versions = useRunVersion((s) => s.versions);
  const runVersion = useRunVersion((s) => s.runVersion);
  const workflowId = useRunVersion((s) => s.workflowId);
  const [shown, setShown] = useState<string | null>(null);
  const [against, setAgainst] = useState<string>('');
  /** A line to show and mark in the shown version, e.g. a stack frame's the Inspector opened. */
  const [at, setAt] = useState<SourcePosition | null>(null);
  const reveal = useRunVersion((s) => s.reveal);
  const loaded = useMonaco();
  const host = useRef<HTMLDivElement>(null);
  const shownHash = shown ?? runVersion?.version ?? versions[0]?.version ?? null;
  const latest = versions.find((v) => v.latest);

  useEffect(() => {
    setShown(null);
    setAgainst('');
    setAt(null);
  }, [workflowId]);

  useEffect(() => {
    if (!reveal) return;
    setShown(reveal.version);
    setAgainst('');
    setAt(reveal);
    useRunVersion.getState().revealSource(null);
  }, [reveal]);

  useEffect(() => {
    const el = host.current;
    if (!loaded || !el || !shownHash) return;
    const { monaco, baseOptions } = loaded;
    let disposed = false;
    const cleanups: (() => void)[] = [];
    const { versionDetail } = useRunVersion.getState();
    void Promise.all([versionDetail(shownHash), against ? versionDetail(against) : undefined]).then(([a, b]) => {
      if (disposed || !a) return;
      const modelA = monaco.editor.createModel(a.source, languageOf(a.file));
      cleanups.push(() => modelA.dispose());
      if (b) {
        const modelB = monaco.editor.createModel(b.source, languageOf(b.file));
        cleanups.push(() => modelB.dispose());
        const diff = monaco.editor.createDiffEditor(el, { ...baseOptions, readOnly: true, originalEditable: false, hideUnchangedRegions: { enabled: true }, ariaLabel: 'Workflow source changes' });
        diff.setModel({ original: modelA, modified: modelB });
        cleanups.push(() => diff.dispose());
      } else {
        const editor = monaco.editor.create(el, { ...baseOptions, model: modelA, readOnly: true, ariaLabel: 'Workflow source' });
        cleanups.push(() => editor.dispose());
        if (at && at.version === a.version) {
          editor.setPosition({ lineNumber: at.line, column: at.column });
          editor.revealLineInCenter(at.line);
          editor.createDecorationsCollection([{ range: new monaco.Range(at.line, 1, at.line, 1), options: { isWholeLine: true, className: 'versions-panel__frame-line' } }]);
          editor.focus();
        }
      }
    });
    return () => {
      disposed = true;
      // Editors before their models, as Monaco requires.
      for (const c of cleanups.reverse()) c();
    };
  }, [loaded, shownHash, against, at]);

  const actions = runVersion && latest && runVersion.version !== latest.version && (
    <button type="button" className="button button--small" onClick={() => { setShown(runVersion.version); setAgainst(latest.version); }}>
      What changed since this run
    </button>
  );

  return (
    <Panel name="Workflow versions" detail={workflowId ?? undefined} actions={actions} className="versions-panel">
      {!workflowId ? (
        <EmptyState>Select a run to see the versions of its workflow</EmptyState>
      ) : versions.length === 0 ? (
        <EmptyState>Loading versions…</EmptyState>
      ) : (
        <div className="versions-panel__content">
          <ul className="versions-list" aria-label="Versions">
            {versions.map((v) => (
              <li key={v.version}>
                <button type="button" className="versions-list__item row-button" aria-current={v.version === shownHash ? 'true' : undefined} onClick={() => { setShown(v.version); setAgainst(''); setAt(null); }}>
                  <code>{v.version.slice(0, 8)}</code>
                  <span className="versions-list__date">{formatWhen(v.createdAt)}</span>
                  <span className="versions-list__tags">
                    {v.latest && <span className="chip chip--latest">latest</span>}
                    {v.version === runVersion?.version && <span className="chip">this run</span>}
                    <span className="versions-list__why">{v.why}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <div className="versions-panel__source">
            <div className="versions-panel__bar">
              <code title={`Source of version ${shownHash ?? ''}`}>{shownHash?.slice(0, 8)}</code>
              <select aria-label="Compare with version" value={against} onChange={(e) => { setAgainst(e.target.value); setAt(null); }}>
                  <option value="">Compare with…</option>
                  {versions.filter((v) => v.version !== shownHash).map((v) => (
                    <option key={v.version} value={v.version}>
                      {v.version.slice(0, 8)} · {formatWhen(v.createdAt)}
                      {v.latest ? ' (latest)' : ''}
                    </option>
                  ))}
              </select>
            </div>
            {loaded ? <div className="versions-panel__editor" ref={host} /> : <EmptyState>Loading the editor…</EmptyState>}
          </div>
        </div>
      )}
    </Panel>
  );
}
