// For a run waiting for a signal: choose which of the awaited signals to send, with a JSON payload written in
// a one-line Monaco editor (JSON colours, bracket matching; Enter resumes, Tab moves on), and resume. The
// payload starts as the shape the step declared (waitFor(signal, schema)), or for a replay or a retry as the
// payload the run it came from got, and is checked against that shape as it is typed.
import { useEffect, useRef, useState } from 'react';
import type { RunSummary } from '@shared/api';
import { useMonaco } from '../../lib/useMonaco';
import { studio } from '../../lib/studio';
import type { Json, SnapshotDocument } from '@shared/snapshot';
import { runById, useRuns } from '../runs/runsStore';
import { resumeWithSignal } from './runActions';
import { checkPayload, exampleOf, shapeOf } from './signalPayload';

/**
 * The payload the run this one replays (or retries) got for this step's signal: undefined while it is looked
 * up, null when there is none.
 */
function useRecordedPayload(run: RunSummary, stepId: string | undefined, signal: string): { payload: Json | null; from: 'recording' | 'retried run' } | undefined {
  const sourceId = run.replayOf ?? run.retryOf;
  const source = useRuns((s) => runById(s.runs, sourceId));
  const [found, setFound] = useState<{ key: string; payload: Json | null } | null>(null);
  const key = `${sourceId}:${stepId}:${signal}`;
  useEffect(() => {
    if (!source || !stepId || source.lastSeq < 1) return;
    let current = true;
    studio()
      .getSnapshot(source.id, source.lastSeq)
      .then(
        (doc) => current && setFound({ key, payload: doc.steps[stepId]?.signals?.[signal] ?? null }),
        () => current && setFound({ key, payload: null }),
      );
    return () => {
      current = false;
    };
  }, [source, stepId, signal, key]);
  const from = run.replayOf ? 'recording' : 'retried run';
  if (!source || !stepId) return { payload: null, from };
  return found?.key === key ? { payload: found.payload, from } : undefined;
}

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

/**
 * `payload` is held by the caller, so what was typed outlives this form (it goes while the run is not waiting);
 * null until the person types, when the form offers its own first value.
 */
export function SignalResume(props: { run: RunSummary; latest: SnapshotDocument; payload: string | null; onPayloadChange(text: string): void }) {
  const { run, latest, payload, onPayloadChange: setPayload } = props;
  const signals = [...new Set(latest.cursor.waiting.map((w) => w.signal))];
  const [signal, setSignal] = useState(signals[0] ?? '');
  const [busy, setBusy] = useState(false);
  const chosen = signals.includes(signal) ? signal : (signals[0] ?? '');
  const waiting = latest.cursor.waiting.find((w) => w.signal === chosen);
  const schema = waiting?.schema;
  const recorded = useRecordedPayload(run, waiting?.stepId, chosen);
  const initial = recorded?.payload != null ? JSON.stringify(recorded.payload) : schema ? JSON.stringify(exampleOf(schema)) : '{}';
  const text = payload ?? initial;
  const { value: parsed, problem } = checkPayload(text, schema);
  if (signals.length === 0) return null;
  const hint = problem
    ? problem
    : recorded?.payload != null
      ? `the payload the ${recorded.from} got${schema ? `; expects ${shapeOf(schema)}` : ''}`
      : schema
        ? `expects ${shapeOf(schema)}`
        : 'any JSON: the value waitFor returns in the step';

  return (
    <form
      className="signal-resume"
      aria-label="Resume with a signal"
      onSubmit={async (e) => {
        e.preventDefault();
        if (parsed === undefined) return;
        setBusy(true);
        await resumeWithSignal(run.id, chosen, parsed);
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
      {/* Made once the first value is known (a replay's recorded payload is read first); then the editor leads. */}
      {recorded === undefined ? (
        <span className="signal-resume__payload signal-resume__loading">reading the recorded payload…</span>
      ) : (
        <PayloadEditor key={chosen} value={text} onChange={setPayload} problem={problem} />
      )}
      <button type="submit" className="button button--small button--primary" disabled={busy || !!problem || recorded === undefined}>
        Resume
      </button>
      <span className={`signal-resume__hint${problem ? ' is-problem' : ''}`} aria-label="Payload hint">
        {hint}
      </span>
    </form>
  );
}
