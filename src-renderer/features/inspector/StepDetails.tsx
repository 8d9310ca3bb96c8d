// The step that made the selected snapshot: its input, output, error with stack, logs, attempts and timing.
import type { LogLine } from '../../../src-main/shared/api';
import type { StepRecord } from '../../../src-main/shared/snapshot';
import { formatClock, formatDuration } from '../../lib/format';
import { StatusBadge } from '../../ui/StatusBadge';
import { JsonView } from './JsonView';

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <details className="step-details__field" open>
      <summary>{label}</summary>
      {children}
    </details>
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
          {step.error.stack && <pre className="step-details__stack">{step.error.stack}</pre>}
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
