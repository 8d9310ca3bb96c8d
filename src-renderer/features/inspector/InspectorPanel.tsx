// The Inspector region: the step that made the selected snapshot, over the whole document as a tree.
import { stepOutcome } from '@shared/stepOutcome';
import { useCanWrite } from '../../app/studioInfo';
import { EmptyState, Panel } from '../../ui/Panel';
import { forkRun } from '../runControls/runActions';
import { StatusBadge } from '../../ui/StatusBadge';
import { useInspector } from './inspectorStore';
import { JsonTree } from './JsonTree';
import { StepDetails } from './StepDetails';
import './InspectorPanel.css';

export function InspectorPanel() {
  const ref = useInspector((s) => s.ref);
  const doc = useInspector((s) => s.doc);
  const logs = useInspector((s) => s.logs);
  const loading = useInspector((s) => s.loading);
  const canWrite = useCanWrite();

  const detail = doc ? (
    <span className="inspector-panel__detail">
      #{doc.seq} {doc.kind}
      {doc.stepId ? ` · ${doc.stepId}` : ''} <StatusBadge status={stepOutcome(doc) ?? doc.status} />
    </span>
  ) : undefined;
  const actions = doc && canWrite && (
    <button
      type="button"
      className="button button--small"
      aria-label={`Fork from here (#${doc.seq})`}
      onClick={() => void forkRun(doc.runId, doc.seq)}
      title={`Start a new run that continues from snapshot #${doc.seq}, with its state and the steps it had completed`}
    >
      Fork from here
    </button>
  );
  const step = doc?.stepId ? doc.steps[doc.stepId] : undefined;

  return (
    <Panel name="Inspector" detail={detail} actions={actions} className="inspector-panel">
      {!ref ? (
        <EmptyState>Select a snapshot in the timeline (or a step in the graph) to see its document</EmptyState>
      ) : !doc ? (
        <EmptyState>{loading ? `Loading snapshot #${ref.seq}…` : `Snapshot #${ref.seq} could not be loaded`}</EmptyState>
      ) : (
        <div className={loading ? 'inspector-panel__doc is-stale' : 'inspector-panel__doc'}>
          {doc.stepId && step && <StepDetails stepId={doc.stepId} step={step} logs={logs} />}
          <JsonTree
            value={doc}
            label={`Snapshot #${doc.seq} document`}
            initiallyExpanded={['/steps', ...(doc.stepId ? [`/steps/${doc.stepId.replace(/~/g, '~0').replace(/\//g, '~1')}`] : [])]}
          />
        </div>
      )}
    </Panel>
  );
}
