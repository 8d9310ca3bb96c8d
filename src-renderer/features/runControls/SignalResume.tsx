// For a run waiting for a signal: choose which of the awaited signals to send, with a JSON payload written in
// a one-line Monaco editor (JSON colours, bracket matching; Enter resumes, Tab moves on), and resume.
import { useEffect, useRef, useState } from 'react';
import { useMonaco } from '../../lib/useMonaco';
import type { Json, SnapshotDocument } from '@shared/snapshot';
import { resumeWithSignal } from './runActions';

/** The payload in Monaco, one line high so the run header keeps its height; a plain field until Monaco loads. */
function PayloadEditor({ value, onChange, problem }: { value: string; onChange(text: string): void; problem: string }) {
  const loaded = useMonaco();
  const host = useRef<HTMLDivElement>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  // The text when the editor is made (Monaco loading while the plain field was typed in); then the model leads.
  const text = useRef(value);
  text.current = value;

  useEffect(() => {
    const el = host.current;
    if (!loaded || !el) return;
    const { monaco, baseOptions } = loaded;
    const model = monaco.editor.createModel(text.current, 'json');
    const editor = monaco.editor.create(el, {
      ...baseOptions,
      model,
      ariaLabel: 'Signal payload (JSON)',
      lineNumbers: 'off',
      glyphMargin: false,
      folding: false,
      lineDecorationsWidth: 4,
      lineNumbersMinChars: 0,
      overviewRulerLanes: 0,
      hideCursorInOverviewRuler: true,
      renderLineHighlight: 'none',
      scrollBeyondLastLine: false,
      scrollbar: { vertical: 'hidden', horizontal: 'auto', horizontalScrollbarSize: 4, alwaysConsumeMouseWheel: false },
      wordWrap: 'off',
      autoClosingBrackets: 'never',
      autoClosingQuotes: 'never',
      contextmenu: false,
      fixedOverflowWidgets: true,
      // Tab leaves the field, as in any form.
      tabFocusMode: true,
    });
    const sub = model.onDidChangeContent(() => changed.current(model.getValue()));
    // Enter resumes, as in a one-line field.
    editor.addCommand(monaco.KeyCode.Enter, () => el.closest('form')?.requestSubmit());
    return () => {
      sub.dispose();
      editor.dispose();
      model.dispose();
    };
  }, [loaded]);

  if (!loaded) {
    return (
      <input
        className="text-input signal-resume__payload"
        aria-label="Signal payload (JSON)"
        aria-invalid={!!problem}
        title={problem || 'The value waitFor returns in the step'}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return <div ref={host} className="signal-resume__payload signal-resume__editor" data-invalid={problem ? true : undefined} title={problem || 'The value waitFor returns in the step'} />;
}

/** `payload` is held by the caller, so what was typed outlives this form (it goes while the run is not waiting). */
export function SignalResume(props: { runId: string; latest: SnapshotDocument; payload: string; onPayloadChange(text: string): void }) {
  const { runId, latest, payload, onPayloadChange: setPayload } = props;
  const signals = [...new Set(latest.cursor.waiting.map((w) => w.signal))];
  const [signal, setSignal] = useState(signals[0] ?? '');
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
      <PayloadEditor value={payload} onChange={setPayload} problem={problem} />
      <button type="submit" className="button button--small button--primary" disabled={busy || !!problem}>
        Resume
      </button>
    </form>
  );
}
