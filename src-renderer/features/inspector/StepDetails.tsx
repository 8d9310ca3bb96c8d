// The step that made the selected snapshot: its input, output, error with stack, logs, attempts and timing.
import type { LogLine } from '@shared/api';
import type { StepError, StepRecord } from '@shared/snapshot';
import { parseStack, type StackFrame } from '@shared/stackFrames';
import { useDetailTab } from '../../app/detailTabStore';
import { formatClock, formatDuration } from '../../lib/format';
import { StatusBadge } from '../../ui/StatusBadge';
import { useRunVersion } from '../versions/runVersionStore';
import { JsonView } from '../../ui/JsonView';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <details className="step-details__field" open>
      <summary>{label}</summary>
      {children}
    </details>
  );
}

/** Frames in order, each run of internal frames (Node, the engine, dependencies) folded into one group. */
function foldFrames(frames: StackFrame[]): (StackFrame | StackFrame[])[] {
  const out: (StackFrame | StackFrame[])[] = [];
  for (const f of frames) {
    const last = out[out.length - 1];
    if (!f.internal) out.push(f);
    else if (Array.isArray(last)) last.push(f);
    else out.push([f]);
  }
  return out;
}

/**
 * The error's stack under its message: the message is the header, so the stack's own first line is left out
 * when it only repeats it. A frame in the run's workflow file opens that version's source at its line.
 */
function StackTrace({ error }: { error: StepError }) {
  const runVersion = useRunVersion((s) => s.runVersion);
  const { head, frames } = parseStack(error.stack!);
  // "Error: message" repeats the header; so does the original message of a prefixed one ("when(): …").
  const headMessage = head.startsWith(`${error.name}: `) ? head.slice(error.name.length + 2) : head;
  const repeats = head === error.name || error.message.includes(headMessage);
  const open = (f: StackFrame) => {
    useRunVersion.getState().revealSource({ version: runVersion!.version, line: f.line!, column: f.column! });
    useDetailTab.getState().show('versions');
  };
  const frame = (f: StackFrame, i: number) => (
    <li key={i} className={f.internal ? 'step-details__frame is-internal' : 'step-details__frame'}>
      {!f.internal && runVersion && f.file === runVersion.file && f.line !== undefined ? (
        <button type="button" className="step-details__frame-link" title={`Open ${f.file} at line ${f.line} in Versions`} onClick={() => open(f)}>
          at {f.text}
        </button>
      ) : (
        <>at {f.text}</>
      )}
    </li>
  );
  return (
    <div className="step-details__stack">
      {!repeats && head && <pre className="step-details__stack-head">{head}</pre>}
      <ol className="step-details__frames" aria-label="Stack frames">
        {foldFrames(frames).map((f, i) =>
          Array.isArray(f) ? (
            <li key={i}>
              <details className="step-details__internal">
                <summary>
                  {f.length} internal frame{f.length === 1 ? '' : 's'}
                </summary>
                <ol className="step-details__frames">{f.map(frame)}</ol>
              </details>
            </li>
          ) : (
            frame(f, i)
          ),
        )}
      </ol>
    </div>
  );
}

export function StepDetails({ stepId, step, logs }: { stepId: string; step: StepRecord; logs: LogLine[] }) {
  const started = step.startedAt ? new Date(step.startedAt).getTime() : NaN;
  const ended = step.endedAt ? new Date(step.endedAt).getTime() : NaN;
  return (
    <section className="step-details" aria-label={`Step ${stepId}`}>
      <header className="step-details__head">
        <code className="step-details__id">{stepId}</code>
        <StatusBadge status={step.status} />
        <span>
          attempt{step.attempts === 1 ? '' : 's'} {step.attempts}
        </span>
        {step.startedAt && <span title={step.startedAt}>started {formatClock(step.startedAt)}</span>}
        {step.endedAt && <span title={step.endedAt}>ended {formatClock(step.endedAt)}</span>}
        {Number.isFinite(started) && Number.isFinite(ended) && <span>took {formatDuration(ended - started)}</span>}
      </header>
      {step.error && (
        <div className="step-details__error" role="group" aria-label="Step error">
          <strong>{step.error.name}</strong>: {step.error.message}
          {step.error.retryable === false && <span className="step-details__tag">not retryable</span>}
          {step.error.stack && <StackTrace error={step.error} />}
        </div>
      )}
      {step.input !== undefined && (
        <Field label="Input">
          <JsonView value={step.input} />
        </Field>
      )}
      {step.output !== undefined && (
        <Field label="Output">
          <JsonView value={step.output} />
        </Field>
      )}
      {logs.length > 0 && (
        <Field label={`Logs (${logs.length})`}>
          <ol className="step-details__logs" aria-label="Step logs">
            {logs.map((l, i) => (
              <li key={i}>
                <span className="step-details__log-time">{formatClock(l.at)}</span> {l.message}
                {l.data !== undefined && <code> {JSON.stringify(l.data)}</code>}
              </li>
            ))}
          </ol>
        </Field>
      )}
    </section>
  );
}
