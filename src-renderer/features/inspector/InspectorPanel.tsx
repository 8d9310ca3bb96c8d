// The Inspector region: the selected snapshot's full document.
import { useState } from 'react';
import { EmptyState, Panel } from '../../ui/Panel';
import { forkRun } from '../runControls/runActions';
import { StatusBadge } from '../../ui/StatusBadge';
import { useInspector } from './inspectorStore';
import { JsonView } from './JsonView';
import './InspectorPanel.css';

export function InspectorPanel() {
  const ref = useInspector((s) => s.ref);
  const doc = useInspector((s) => s.doc);
  const loading = useInspector((s) => s.loading);
  const [copied, setCopied] = useState(false);

  async function copy() {
    if (!doc) return;
    await navigator.clipboard.writeText(JSON.stringify(doc, null, 2));
    setCopied(true);
    setTimeout(() => setCopied(false), 1200);
  }

  const detail = doc ? (
    <span className="inspector-panel__detail">
      #{doc.seq} {doc.kind}
      {doc.stepId ? ` · ${doc.stepId}` : ''} <StatusBadge status={doc.status} />
    </span>
  ) : undefined;
  const actions = doc && (
    <>
      <button
        type="button"
        className="button button--small"
        onClick={() => void forkRun(doc.runId, doc.seq)}
        title={`Start a new run that continues from snapshot #${doc.seq}, with its state and the steps it had completed`}
      >
        Fork from #{doc.seq}
      </button>
      <button type="button" className="button button--small" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy JSON'}
      </button>
    </>
  );

  return (
    <Panel name="Inspector" detail={detail} actions={actions} className="inspector-panel">
      {!ref ? (
        <EmptyState>Select a snapshot in the timeline to see its full document</EmptyState>
      ) : !doc ? (
        <EmptyState>{loading ? `Loading snapshot #${ref.seq}…` : `Snapshot #${ref.seq} could not be loaded`}</EmptyState>
      ) : (
        <div className={loading ? 'inspector-panel__doc is-stale' : 'inspector-panel__doc'}>
          <JsonView value={doc} />
        </div>
      )}
    </Panel>
  );
}
