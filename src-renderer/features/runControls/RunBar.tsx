// The strip above a run's timeline: its status, where it came from, and the actions its status allows.
import { useEffect, useRef, useState } from 'react';
import type { ReplayReport, RunSummary } from '@shared/api';
import { useDetailTab } from '../../app/DetailTabs';
import { useCanWrite } from '../../app/studioInfo';
import { selectSnapshot } from '../../app/selection';
import type { RunStatus } from '@shared/snapshot';
import { failureLine, type RunFailure } from '@shared/stepOutcome';
import { shortId } from '../../lib/format';
import { studio } from '../../lib/studio';
import { attempt } from '../../lib/attempt';
import { isLive } from '../../lib/runStatus';
import { StatusBadge } from '../../ui/StatusBadge';
import { useRuns } from '../runs/runsStore';
import { cancelRun, pauseRun, replayRun, resumeRun, retryRun } from './runActions';
import { useTimeline } from '../timeline/timelineStore';
import { useWorkflows } from '../workflows/workflowsStore';
import { SignalResume } from './SignalResume';
import { VersionChip } from './VersionChip';
import './RunBar.css';

const PAUSABLE: RunStatus[] = ['pending', 'running', 'error'];

/** A failed run's why, first thing after its status: "failed at charge: card declined…", the step a link to its failed snapshot. */
function FailureLine({ run }: { run: RunSummary }) {
  const [failure, setFailure] = useState<{ runId: string; failure: RunFailure | null } | null>(null);
  useEffect(() => {
    if (run.status !== 'failed') return;
    let current = true;
    void attempt('Could not read why the run failed', () => studio().getRun(run.id)).then((detail) => {
      if (current && detail) setFailure({ runId: run.id, failure: detail.failure ?? null });
    });
    return () => {
      current = false;
    };
  }, [run.id, run.status]);
  const shown = run.status === 'failed' && failure?.runId === run.id ? failure.failure : null;
  if (!shown) return null;
  const line = failureLine(shown);
  const why = line.slice(`failed at ${shown.stepId}`.length);
  return (
    <span className="run-bar__failure" role="status" aria-label="Why the run failed" title={shown.message}>
      failed at{' '}
      {shown.seq === undefined ? (
        shown.stepId
      ) : (
        <button
          type="button"
          className="link-button"
          title={`Select snapshot #${shown.seq}, where ${shown.stepId} failed`}
          onClick={() => selectSnapshot(shown.seq!)}
        >
          {shown.stepId}
        </button>
      )}
      {why}
    </span>
  );
}

function Lineage({ run }: { run: RunSummary }) {
  const select = useRuns((s) => s.select);
  const links = [
    run.retryOf && { label: 'retry of', id: run.retryOf },
    run.forkedFrom && { label: 'forked from', id: run.forkedFrom },
    run.replayOf && { label: 'replay of', id: run.replayOf },
  ].filter((l): l is { label: string; id: string } => !!l);
  return links.map((l) => (
    <span key={l.label} className="run-bar__lineage">
      {l.label}{' '}
      <button type="button" className="link-button" onClick={() => select(l.id)} title={`Open run ${l.id}`}>
        {shortId(l.id)}
      </button>
    </span>
  ));
}

export function RunBar({ run }: { run: RunSummary }) {
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ReplayReport | null>(null);
  const act = (action: () => Promise<void>) => async () => {
    setBusy(true);
    await action();
    setBusy(false);
  };
  // An imported run is a record: whatever its status where it was recorded, nothing continues it here (the core
  // refuses pause, resume, cancel and signals: E_IMPORTED_RUN), so it is offered what a finished run is.
  const record = run.origin === 'imported';
  const live = !record && isLive(run.status);
  // Read-only: the run is shown, and nothing that would change it is offered.
  const canWrite = useCanWrite();
  // The bar never gets shorter while one run stays open: when the resume form goes (a signal sent from
  // elsewhere) the timeline below stays where it is rather than jumping up under the person's pointer. Its
  // height is read by a ResizeObserver, after the frame's layout: measured in a layout effect, it laid the whole
  // window out inside the task that opened a run (10 ms of a 35 ms task).
  const barRef = useRef<HTMLDivElement>(null);
  const tallest = useRef({ runId: '', height: 0 });
  useEffect(() => {
    const el = barRef.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      const height = entry.borderBoxSize[0].blockSize;
      if (tallest.current.runId !== run.id) tallest.current = { runId: run.id, height };
      else if (height > tallest.current.height) tallest.current.height = height;
    });
    // Observed again for each run: the first report is the new run's height, changed or not.
    observer.observe(el, { box: 'border-box' });
    return () => observer.disconnect();
  }, [run.id]);
  const workflowName = useWorkflows((s) => s.workflows.find((w) => w.id === run.workflowId)?.name ?? run.workflowId);
  const latest = useTimeline((s) => (s.runId === run.id ? s.latest : null));
  // The signal payload being written: kept here, so it survives the form going while other steps run on.
  const [payload, setPayload] = useState<{ runId: string; text: string } | null>(null);
  const payloadText = payload?.runId === run.id ? payload.text : null;

  return (
    <div className="run-bar" ref={barRef} style={{ minHeight: tallest.current.runId === run.id ? tallest.current.height : undefined }}>
      {/* What the run is, on one line; why it failed on its own; then the actions, grouped, on one line. */}
      <div className="run-bar__line">
        <StatusBadge status={run.status} />
        <span className="run-bar__id" title={`Run ${run.id} of workflow ${run.workflowId}`}>
          {workflowName} <code>{shortId(run.id)}</code>
        </span>
        <VersionChip run={run} />
        <Lineage run={run} />
        {run.origin === 'imported' && <span className="chip" title="Imported from an export: a record, never run here">imported</span>}
      </div>
      <FailureLine run={run} />
      {report && report.runId === run.id && (
        <span role="status" aria-label="Replay report" className="run-bar__report" data-outcome={report.outcome} title={report.message}>
          {report.outcome === 'not-replayed' ? 'Not replayed' : 'Replay'}: {report.message}
        </span>
      )}
      {canWrite && (
        <div className="run-bar__line run-bar__actions">
        {/* First, so the buttons that come and go with the run's status do not move it. */}
        <button
          type="button"
          className="button button--small"
          title="Open this run’s configuration in the editor, validate it, and retry with it"
          onClick={() => useDetailTab.getState().show('config')}
        >
          Edit configuration
        </button>
        {record && (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            title="Run this recording's input and config through the local workflow of the same id, then compare the two runs"
            onClick={act(async () => setReport(await replayRun(run)))}
          >
            Replay
          </button>
      )}
      {!record && PAUSABLE.includes(run.status) && (
        <button type="button" className="button button--small" disabled={busy} onClick={act(() => pauseRun(run.id))}>
          Pause
        </button>
      )}
      {!record && run.status === 'paused' && (
        <button type="button" className="button button--small" disabled={busy} onClick={act(() => resumeRun(run.id))}>
          Resume
        </button>
      )}
      {live && (
        <button type="button" className="button button--small" disabled={busy} onClick={act(() => cancelRun(run.id))}>
          Cancel
        </button>
      )}
      {!live && (
        <span className="run-bar__retry" role="group" aria-label="Retry">
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            aria-label="Retry with latest version"
            title="A new run of the workspace’s latest version of this workflow, with this run’s input and configuration"
            onClick={act(() => retryRun(run.id, 'latest'))}
          >
            Retry with latest
          </button>
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            aria-label="Retry with original version"
            title={`A new run of the version this run ran with (${run.workflowVersion.slice(0, 8)}), with its input and configuration`}
            onClick={act(() => retryRun(run.id, 'original'))}
          >
            Retry with original
          </button>
        </span>
      )}
      </div>
      )}
      {/* Kept while another step of the run runs on ("running"): a step still awaits the signal, and a form
          that went and came back would take the person's focus and selection with it. */}
      {canWrite && !record && (run.status === 'waiting' || run.status === 'running') && latest && latest.cursor.waiting.length > 0 && (
        // One form per run: another run's form is a new editor, never this one's text under another run's payload.
        <SignalResume key={run.id} run={run} latest={latest} payload={payloadText} onPayloadChange={(text) => setPayload({ runId: run.id, text })} />
      )}
    </div>
  );
}
