// For a run waiting for a signal: choose which of the awaited signals to send, with a JSON payload, and resume.
import { useState } from 'react';
import type { Json, SnapshotDocument } from '../../../src-main/shared/snapshot';
import { resumeWithSignal } from './runActions';

export function SignalResume({ runId, latest }: { runId: string; latest: SnapshotDocument }) {
  const signals = [...new Set(latest.cursor.waiting.map((w) => w.signal))];
  const [signal, setSignal] = useState(signals[0] ?? '');
  const [payload, setPayload] = useState('{}');
  const [busy, setBusy] = useState(false);
  let parsed: Json | undefined;
  let problem = '';
  try {
    parsed = payload.trim() === '' ? null : (JSON.parse(payload) as Json);
  } catch (err) {
    problem = `The payload is not valid JSON: ${(err as Error).message}`;
  }
  if (signals.length === 0) return null;
  const chosen = signals.includes(signal) ? signal : signals[0];

  return (
    <form
      className="signal-resume"
      aria-label="Resume with a signal"
      onSubmit={async (e) => {
        e.preventDefault();
        if (parsed === undefined) return;
        setBusy(true);
        await resumeWithSignal(runId, chosen, parsed);
        setBusy(false);
      }}
    >
      <span className="signal-resume__label">Waiting for</span>
      <select aria-label="Signal" value={chosen} onChange={(e) => setSignal(e.target.value)}>
        {signals.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <input
        className="text-input signal-resume__payload"
        aria-label="Signal payload (JSON)"
        aria-invalid={!!problem}
        title={problem || 'The value waitFor returns in the step'}
        value={payload}
        onChange={(e) => setPayload(e.target.value)}
      />
      <button type="submit" className="button button--small button--primary" disabled={busy || !!problem}>
        Resume
      </button>
    </form>
  );
}
