// The top bar's workflow select and the Run button that starts the selected workflow.
import { startAndSelectRun } from '../../app/selection';
import { useCanWrite } from '../../app/studioInfo';
import { useRuns } from '../runs/runsStore';
import { useWorkflows } from './workflowsStore';

export function WorkflowPicker() {
  const workflows = useWorkflows((s) => s.workflows);
  const selectedId = useWorkflows((s) => s.selectedId);
  const loaded = useWorkflows((s) => s.loaded);
  const select = useWorkflows((s) => s.select);
  const starting = useRuns((s) => s.starting);
  const canWrite = useCanWrite();
  const selected = workflows.find((w) => w.id === selectedId);

  return (
    <div className="workflow-picker">
      <label className="field">
        <span className="field__label">Workflow</span>
        <select
          value={selectedId ?? ''}
          onChange={(e) => select(e.target.value)}
          disabled={workflows.length === 0}
          title={selected ? `${selected.file} · version ${selected.version.slice(0, 12)}` : undefined}
        >
          {workflows.length === 0 && <option value="">{loaded ? 'No workflows in this workspace' : 'Loading…'}</option>}
          {workflows.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name && w.name !== w.id ? `${w.id} — ${w.name}` : w.id}
            </option>
          ))}
        </select>
      </label>
      {canWrite && (
        <button
          type="button"
          className="button button--primary"
          disabled={!selectedId || starting}
          onClick={() => selectedId && void startAndSelectRun(selectedId)}
          title={selectedId ? `Start a run of ${selectedId} with empty input and config` : 'Pick a workflow first'}
        >
          <span className="button__icon" aria-hidden>
            ▶
          </span>
          Run
        </button>
      )}
      {selected && (
        <span className="workflow-picker__meta" title={selected.description}>
          {selected.steps.length} steps · <code>{selected.version.slice(0, 8)}</code>
        </span>
      )}
    </div>
  );
}
