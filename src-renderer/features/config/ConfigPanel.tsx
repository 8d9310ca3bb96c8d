// The Run configuration region: the selected run's configuration in Monaco, as JSON or YAML, checked against
// the workflow's config schema as the person types (markers in the editor, the fields named beneath), a diff
// against the run's original configuration, loading a file, and retrying with the latest or original version.
import { useEffect, useMemo, useRef, useState, type ChangeEvent } from 'react';
import type { RunDetail } from '@shared/api';
import type { Json } from '@shared/snapshot';
import { studio } from '../../lib/studio';
import { useMonaco } from '../../lib/useMonaco';
import { EmptyState, Panel } from '../../ui/Panel';
import { attempt } from '../../lib/attempt';
import { retryRun } from '../runControls/runActions';
import { useCanWrite } from '../../app/studioInfo';
import { useRuns } from '../runs/runsStore';
import { useRunVersion } from '../versions/runVersionStore';
import { currentConfigSchema } from '../versions/shownVersion';
import { useWorkflows } from '../workflows/workflowsStore';
import { checkConfigText, formatConfig, normaliseForDiff, type ConfigFormat } from './configText';
import './ConfigPanel.css';

type Monaco = NonNullable<ReturnType<typeof useMonaco>>['monaco'];
type Model = ReturnType<Monaco['editor']['createModel']>;

function useConfigSchema(): Json | undefined {
  useRunVersion((s) => s.runVersion);
  useRunVersion((s) => s.showLatest);
  useWorkflows((s) => s.workflows);
  return currentConfigSchema();
}

export function ConfigPanel() {
  const runId = useRuns((s) => s.selectedRunId);
  const [run, setRun] = useState<RunDetail | null>(null);
  const [format, setFormat] = useState<ConfigFormat>('json');
  const [text, setText] = useState('');
  const [showDiff, setShowDiff] = useState(false);
  const [busy, setBusy] = useState(false);
  const canWrite = useCanWrite();
  const [modelsVersion, setModelsVersion] = useState(0);
  const schema = useConfigSchema();
  const checked = useMemo(() => checkConfigText(text, format, schema), [text, format, schema]);
  const loaded = useMonaco();
  const editorHost = useRef<HTMLDivElement>(null);
  const diffHost = useRef<HTMLDivElement>(null);
  const models = useRef<{ modified: Model; original: Model } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setRun(null);
    if (!runId) return;
    let alive = true;
    void attempt('Could not load the run’s configuration', () => studio().getRun(runId)).then((detail) => {
      if (!alive || !detail) return;
      setRun(detail);
      setText(formatConfig(detail.config, format));
    });
    return () => {
      alive = false;
    };
    // The format is read once per run; switching it converts the text instead (below).
  }, [runId]);

  // One model for the text, one for the original, and the plain editor or the diff editor over them;
  // made together so the editor is always disposed before its models, as Monaco requires.
  useEffect(() => {
    const host = showDiff ? diffHost.current : editorHost.current;
    if (!loaded || !run || !host) return;
    const { monaco, baseOptions } = loaded;
    const modified = monaco.editor.createModel(text, format);
    const original = monaco.editor.createModel(formatConfig(run.config, format), format);
    models.current = { modified, original };
    const sub = modified.onDidChangeContent(() => setText(modified.getValue()));
    let editor: { dispose(): void };
    if (showDiff) {
      const diff = monaco.editor.createDiffEditor(host, { ...baseOptions, renderSideBySide: false, originalEditable: false, ariaLabel: 'Configuration changes against the original' });
      diff.setModel({ original, modified });
      editor = diff;
    } else {
      editor = monaco.editor.create(host, { ...baseOptions, model: modified, ariaLabel: 'Run configuration editor' });
    }
    setModelsVersion((v) => v + 1);
    return () => {
      editor.dispose();
      sub.dispose();
      modified.dispose();
      original.dispose();
      models.current = null;
    };
    // Made again per run, format and view (a new run's or format's text arrives this way); typing updates the
    // model itself, so `text` is read once here.
  }, [loaded, run, format, showDiff]);

  /**
   * Text from outside the editor (a loaded file). While an editor is mounted its model is the source of truth
   * and `text` follows it; writing `text` back into the model as the person types would reset the model to
   * a value some keystrokes old and move the cursor. So only this writes into the model, as one undoable edit.
   */
  function replaceText(next: string) {
    setText(next);
    const model = models.current?.modified;
    if (model && model.getValue() !== next) {
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: next }], () => null);
    }
  }

  // Problems as markers in the editor, where they are.
  useEffect(() => {
    const m = models.current;
    if (!loaded || !m) return;
    const { monaco } = loaded;
    monaco.editor.setModelMarkers(
      m.modified,
      'config-schema',
      checked.problems.map((p) => {
        const start = m.modified.getPositionAt(p.start);
        const end = m.modified.getPositionAt(p.end);
        return { severity: monaco.MarkerSeverity.Error, message: `${p.field}: ${p.message}`, startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column };
      }),
    );
  }, [loaded, checked, modelsVersion]);

  function switchFormat(next: ConfigFormat) {
    if (next === format) return;
    setText(formatConfig(checked.value ?? run?.config ?? {}, next));
    setFormat(next);
  }

  async function loadFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    const content = await file.text();
    setFormat(/\.ya?ml$/i.test(file.name) ? 'yaml' : 'json');
    replaceText(content);
  }

  async function retry(version: 'latest' | 'original') {
    if (!runId || checked.value === undefined || checked.problems.length > 0) return;
    setBusy(true);
    await retryRun(runId, version, checked.value);
    setBusy(false);
  }

  const invalid = checked.problems.length > 0 || checked.value === undefined;
  const actions = run && (
    <>
      <span className="segmented" role="group" aria-label="Configuration format">
        {(['json', 'yaml'] as const).map((f) => (
          <button key={f} type="button" className="segmented__item" aria-pressed={format === f} onClick={() => switchFormat(f)}>
            {f.toUpperCase()}
          </button>
        ))}
      </span>
      <label className="toggle" title="Compare with the run’s original configuration, as data: your text is reformatted as the original is, so formatting alone shows no change">
        <input
          type="checkbox"
          checked={showDiff}
          onChange={(e) => {
            // Both sides in one formatting first, so the diff shows what changed in the data, not in the layout.
            if (e.target.checked) setText(normaliseForDiff(text, format));
            setShowDiff(e.target.checked);
          }}
        />
        Diff with original
      </label>
      <button type="button" className="button button--small" onClick={() => fileInput.current?.click()}>
        Load file…
      </button>
      <input ref={fileInput} type="file" accept=".json,.yaml,.yml,application/json,application/yaml" hidden aria-label="Configuration file" onChange={(e) => void loadFile(e)} />
    </>
  );

  return (
    <Panel name="Run configuration" actions={actions} className="config-panel">
      {!runId ? (
        <EmptyState>Select a run to edit its configuration and retry it</EmptyState>
      ) : !run || !loaded ? (
        <EmptyState>Loading the editor…</EmptyState>
      ) : (
        <div className="config-panel__content">
          <div className="config-panel__editor" ref={editorHost} hidden={showDiff} />
          <div className="config-panel__editor" ref={diffHost} hidden={!showDiff} />
          <div className="config-panel__footer">
            {checked.problems.length > 0 ? (
              <ul className="config-panel__problems" aria-label="Configuration problems">
                {checked.problems.map((p, i) => (
                  <li key={i}>
                    <code>{p.field}</code>: {p.message}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="config-panel__ok" role="status">
                {schema ? 'Valid: checked against the workflow’s config schema' : 'Valid (this workflow declares no config schema)'}
                {showDiff && run && JSON.stringify(checked.value) === JSON.stringify(run.config) ? ' · the same data as the original' : ''}
              </p>
            )}
            {canWrite && (
              <div className="config-panel__buttons">
                <button type="button" className="button button--primary button--small" disabled={invalid || busy} onClick={() => void retry('latest')}>
                  Retry with latest version
                </button>
                <button type="button" className="button button--small" disabled={invalid || busy} onClick={() => void retry('original')}>
                  Retry with original version
                </button>
              </div>
            )}
          </div>
        </div>
      )}
    </Panel>
  );
}
