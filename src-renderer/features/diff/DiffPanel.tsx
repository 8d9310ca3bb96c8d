// The Diff region: what changed between two snapshots of one run (checked in the timeline) or of two runs
// (another run picked here, its steps aligned by id), as counts, paths and a visual diff.
import { useEffect, useMemo, useState } from 'react';
import type { RunSummary } from '@shared/api';
import { runById, useRuns } from '../runs/runsStore';
import { useTimeline } from '../timeline/timelineStore';
import { EmptyState, Panel } from '../../ui/Panel';
import { StatusBadge } from '../../ui/StatusBadge';
import { shortId } from '../../lib/format';
import { ChangedPaths } from './ChangedPaths';
import { olderFirst } from './diffFields';
import { useDiff } from './diffStore';
import type { StepAlignment } from './diffJob';
import { DiffView } from './DiffView';
import './DiffPanel.css';

function VolatileFields() {
  const fields = useDiff((s) => s.volatileFields);
  const setFields = useDiff((s) => s.setVolatileFields);
  const [text, setText] = useState(fields.join(', '));
  useEffect(() => setText(fields.join(', ')), [fields]);
  const apply = () => {
    const names = text.split(',').map((s) => s.trim()).filter(Boolean);
    if (names.join(',') !== fields.join(',')) setFields(names);
  };
  return (
    <label className="diff-panel__volatile">
      <span>Volatile fields</span>
      <input
        className="text-input"
        title="Field names left out of the comparison, separated by commas; a trailing * matches any ending"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onBlur={apply}
        onKeyDown={(e) => e.key === 'Enter' && apply()}
      />
    </label>
  );
}

/** Runs of the same workflow first; a select stays usable with a bounded list (taken as found, not filtered from all). */
const COMPARE_CHOICES = 200;

function sameWorkflow(runs: readonly RunSummary[], current: RunSummary): RunSummary[] {
  const out: RunSummary[] = [];
  for (const r of runs) {
    if (out.length === COMPARE_CHOICES) break;
    if (r.id !== current.id && r.workflowId === current.workflowId) out.push(r);
  }
  return out;
}

function CompareWithRun() {
  const runId = useTimeline((s) => s.runId);
  const runs = useRuns((s) => s.runs);
  const selectedSeq = useTimeline((s) => s.selectedSeq);
  const current = runById(runs, runId);
  const others = useMemo(() => (current ? sameWorkflow(runs, current) : []), [runs, current]);
  if (!current) return null;
  if (others.length === 0) {
    return (
      <select aria-label="Compare with run" value="" disabled title={`${current.workflowId} has no other run here to compare with: run it again, retry it or import one`}>
        <option value="">No other run</option>
      </select>
    );
  }
  return (
    <select
      aria-label="Compare with run"
      value=""
      onChange={(e) => {
        const other = runById(runs, e.target.value);
        if (!other || !runId) return;
        // The older run on the left: what was, then what is. With no snapshot selected, the run's own newest
        // (its lastSeq: the timeline's pages may still be on their way).
        const [a, b] = olderFirst({ run: current, ref: { runId, seq: selectedSeq ?? current.lastSeq } }, { run: other, ref: { runId: other.id, seq: other.lastSeq } });
        void useDiff.getState().compare(a, b);
      }}
    >
      <option value="">Compare with run…</option>
      {others.map((r) => (
        <option key={r.id} value={r.id}>
          {shortId(r.id)} · {r.status} · {r.snapshotCount} snapshots
        </option>
      ))}
    </select>
  );
}

function StepTable({ steps }: { steps: StepAlignment[] }) {
  return (
    <table className="step-table" aria-label="Steps side by side">
      <thead>
        <tr>
          <th>Step</th>
          <th>Left</th>
          <th>Right</th>
          <th>Output</th>
        </tr>
      </thead>
      <tbody>
        {steps.map((s) => (
          <tr key={s.stepId} data-differs={s.a !== s.b || !s.sameOutput || undefined}>
            <td>
              <code>{s.stepId}</code>
            </td>
            <td>{s.a ? <StatusBadge status={s.a} /> : '—'}</td>
            <td>{s.b ? <StatusBadge status={s.b} /> : '—'}</td>
            <td>{s.sameOutput ? 'same' : 'differs'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function DiffPanel() {
  const pair = useDiff((s) => s.pair);
  const result = useDiff((s) => s.result);
  const loading = useDiff((s) => s.loading);
  const progress = useDiff((s) => s.progress);
  const onlyChanges = useDiff((s) => s.onlyChanges);
  const ignoreVolatile = useDiff((s) => s.ignoreVolatile);
  const { setOnlyChanges, setIgnoreVolatile } = useDiff.getState();
  const runId = useTimeline((s) => s.runId);

  const crossRun = pair && pair[0].runId !== pair[1].runId;
  const detail = pair ? (crossRun ? `${shortId(pair[0].runId)} #${pair[0].seq} → ${shortId(pair[1].runId)} #${pair[1].seq}` : `#${pair[0].seq} → #${pair[1].seq}`) : undefined;
  const toolbar = (
    <>
    <div className="diff-panel__options">
      <label className="toggle">
        <input type="checkbox" checked={onlyChanges} onChange={(e) => setOnlyChanges(e.target.checked)} />
        Only changes
      </label>
      <label className="toggle">
        <input type="checkbox" checked={ignoreVolatile} onChange={(e) => setIgnoreVolatile(e.target.checked)} />
        Ignore volatile fields
      </label>
      <span className="diff-panel__spacer" />
      {runId && <CompareWithRun />}
      <button type="button" className="button button--small" onClick={() => useDiff.getState().clear()} title="Close the comparison; the Diff folds to its header">
        Close
      </button>
    </div>
    {ignoreVolatile && (
      <div className="diff-panel__options diff-panel__options--volatile">
        <VolatileFields />
      </div>
    )}
    </>
  );
  const summary = result?.summary;

  if (!pair) {
    // Nothing compared yet: the Diff folds to its header and the pane above takes the height.
    return (
      <Panel
        name="Diff"
        collapsed
        detail="nothing compared yet"
        actions={runId && <CompareWithRun />}
        className="diff-panel"
      />
    );
  }
  return (
    <Panel name="Diff" detail={detail} toolbar={toolbar} className="diff-panel">
      {loading ? (
        <div className="diff-panel__progress">
          <progress aria-label="Diff progress" max={progress?.of ?? 1} value={progress?.step ?? 0} />
          <span>{progress?.stage ?? 'Comparing'}…</span>
        </div>
      ) : !result || !summary ? (
        <EmptyState>The comparison could not be made</EmptyState>
      ) : (
        <div className="diff-panel__content">
          {result.identical ? (
            <p className="diff-panel__identical">The two snapshots are identical{ignoreVolatile ? ' (volatile fields ignored)' : ''}</p>
          ) : (
            <p className="diff-summary" aria-label="Diff summary">
              <span className="diff-summary__added">{summary.added} added</span>
              <span className="diff-summary__removed">{summary.removed} removed</span>
              <span className="diff-summary__changed">{summary.changed} changed</span>
            </p>
          )}
          {summary.notes?.map((note) => (
            <p key={note} className="diff-panel__notes" role="note">
              {note}
            </p>
          ))}
          {crossRun && <StepTable steps={result.steps} />}
          {summary.paths.length > 0 && <ChangedPaths paths={summary.paths} pair={pair} />}
          {!result.identical && <DiffView html={result.html} showAll={!onlyChanges} />}
        </div>
      )}
    </Panel>
  );
}
