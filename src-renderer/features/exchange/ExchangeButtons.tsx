// Import… and Export in the toolbar. Import… opens a file chooser (or drop a file anywhere on the window):
// a progress bar while the file travels and the core reads it, then what was imported, or the error naming
// the file, line and reason. Export writes this run, its work order or its workflow's runs, secrets redacted
// unless told otherwise, as a download (browser) or where the person saves it (desktop).
import { useEffect, useRef, useState } from 'react';
import { fileExchange, studio } from '../../lib/studio';
import { shortId } from '../../lib/format';
import { useCanWrite } from '../../app/studioInfo';
import { useRuns } from '../runs/runsStore';
import { workOrderOf } from '@shared/workOrders';
import { useExchange, type ImportState } from './exchangeStore';
import './ExchangeButtons.css';

const FORMAT_NAMES: Record<string, string> = { native: 'Snapshot Studio export', mastra: 'Mastra', kaiban: 'KaibanJS', refluxo: 'refluxo', temporal: 'Temporal history' };
const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

function ImportBody({ state }: { state: ImportState }) {
  if (state.phase === 'running') {
    const { sent, progress } = state;
    const [value, max, text] = progress
      ? [progress.bytesRead, Math.max(1, progress.totalBytes), `Reading ${state.file}: ${plural(progress.snapshots, 'snapshot')} so far`]
      : sent && sent.bytes < sent.of
        ? [sent.bytes, Math.max(1, sent.of), `Sending ${state.file}`]
        : [undefined, undefined, `Reading ${state.file}…`];
    return (
      <>
        <progress aria-label="Import progress" className="exchange-dialog__progress" value={value} max={max} />
        <p aria-live="polite">{text}</p>
      </>
    );
  }
  if (state.phase === 'done') {
    const { summary } = state;
    return (
      <div aria-label="Import summary" role="status">
        <p>
          <strong>{state.file}</strong> read as {[...new Set(summary.formats.map((f) => FORMAT_NAMES[f.format] ?? f.format))].join(', ')}.
        </p>
        <ul className="exchange-dialog__counts">
          <li>{plural(summary.runs, 'run')} imported</li>
          <li>{plural(summary.snapshots, 'snapshot')}</li>
          <li>{plural(summary.skipped, 'run')} skipped (already here)</li>
        </ul>
      </div>
    );
  }
  if (state.phase === 'failed') {
    return (
      <div role="alert" aria-label="Import error">
        <p>Nothing was imported from {state.file}:</p>
        <pre className="exchange-dialog__error">{state.message}</pre>
      </div>
    );
  }
  return null;
}

type Scope = 'run' | 'workOrder' | 'workflow';

function ExportForm({ onDone }: { onDone: () => void }) {
  const runId = useRuns((s) => s.selectedRunId);
  const runs = useRuns((s) => s.runs);
  const state = useExchange((s) => s.export);
  const [scope, setScope] = useState<Scope>('run');
  const [redact, setRedact] = useState(true);
  const [extraKeys, setExtraKeys] = useState('');
  const run = runs.find((r) => r.id === runId);
  // The window holds the history a page at a time: the core counts the workflow's runs.
  const [ofWorkflow, setOfWorkflow] = useState<number | null>(null);
  const workflowId = run?.workflowId;
  useEffect(() => {
    if (!workflowId) return;
    let live = true;
    studio()
      .listRunPage({ filter: { workflowId }, limit: 0 })
      .then((page) => live && setOfWorkflow(page.matching))
      .catch(() => live && setOfWorkflow(null));
    return () => {
      live = false;
    };
  }, [workflowId]);
  if (!run) return <p>Select a run to export.</p>;
  const workOrder = workOrderOf(runs, run.id);
  const fileName = `${scope === 'workflow' ? run.workflowId : `${run.workflowId}-${shortId(run.id)}`}.ssx.ndjson.gz`;

  async function submit() {
    const options = {
      ...(scope === 'workflow' ? { workflowId: run!.workflowId } : { runIds: scope === 'run' ? [run!.id] : workOrder }),
      redact,
      ...(redact && extraKeys.trim() ? { redactKeys: extraKeys.split(',').map((k) => k.trim()).filter(Boolean) } : {}),
    };
    await useExchange.getState().exportRuns(options, fileName);
  }

  return (
    <form
      className="exchange-dialog__form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <fieldset>
        <legend>Runs</legend>
        <label>
          <input type="radio" name="scope" checked={scope === 'run'} onChange={() => setScope('run')} /> This run ({shortId(run.id)})
        </label>
        <label>
          <input type="radio" name="scope" checked={scope === 'workOrder'} onChange={() => setScope('workOrder')} /> Its work order ({plural(workOrder.length, 'run')})
        </label>
        <label>
          <input type="radio" name="scope" checked={scope === 'workflow'} onChange={() => setScope('workflow')} /> Its workflow, {run.workflowId}{ofWorkflow !== null && ` (${plural(ofWorkflow, 'run')})`}
        </label>
      </fieldset>
      <label className="toggle">
        <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} /> Redact secrets
      </label>
      <label className="exchange-dialog__keys">
        Also redact keys
        <input className="text-input" value={extraKeys} disabled={!redact} placeholder="email, iban" onChange={(e) => setExtraKeys(e.target.value)} />
      </label>
      <p className="exchange-dialog__hint">
        {redact ? 'Values of password, secret, token, apiKey, authorization, cookie and similar keys are replaced. ' : 'Nothing is redacted: the file may carry secrets. '}
        {fileExchange().exportTo === 'download' ? `Downloads ${fileName}.` : 'You choose where to save it.'}
      </p>
      {state.phase === 'done' && (
        <p role="status" aria-label="Export summary">
          Wrote {plural(state.result.runs, 'run')} and {plural(state.result.snapshots, 'snapshot')} to {state.result.file}
          {state.result.redacted > 0 ? `, ${plural(state.result.redacted, 'value')} redacted` : ''}.
        </p>
      )}
      {state.phase === 'failed' && (
        <pre role="alert" className="exchange-dialog__error">
          {state.message}
        </pre>
      )}
      <div className="exchange-dialog__actions">
        <button type="button" className="button" onClick={onDone}>
          Close
        </button>
        <button type="submit" className="button button--primary" disabled={state.phase === 'running'}>
          {state.phase === 'running' ? 'Exporting…' : 'Export runs'}
        </button>
      </div>
    </form>
  );
}

export function ExchangeButtons() {
  const importDialog = useRef<HTMLDialogElement>(null);
  const exportDialog = useRef<HTMLDialogElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const runId = useRuns((s) => s.selectedRunId);
  const importState = useExchange((s) => s.import);
  const [dragging, setDragging] = useState(false);
  // Read-only: no Import…, and a dropped file is not taken.
  const canWrite = useCanWrite();

  function importFile(file: File) {
    if (!importDialog.current?.open) importDialog.current?.showModal();
    void useExchange
      .getState()
      .importFile(file)
      .then((imported) => {
        if (imported) void useRuns.getState().load();
      });
  }

  // A file dropped anywhere on the window is imported.
  useEffect(() => {
    if (!canWrite) return;
    const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
      setDragging(true);
    };
    const leave = (e: DragEvent) => e.relatedTarget === null && setDragging(false);
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      setDragging(false);
      const file = e.dataTransfer?.files[0];
      if (file) importFile(file);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, [canWrite]);

  return (
    <>
      {canWrite && (
        <button type="button" className="button" title="Import an export file (or drop one on the window)" onClick={() => picker.current?.click()}>
          Import…
        </button>
      )}
      <input
        ref={picker}
        type="file"
        hidden
        aria-label="File to import"
        accept=".ndjson,.gz,.json,.db,.sqlite,application/json,application/gzip"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) importFile(file);
        }}
      />
      <button
        type="button"
        className="button"
        disabled={!runId}
        title={runId ? 'Export the selected run, its work order or its workflow' : 'Select a run to export'}
        onClick={() => {
          useExchange.getState().reset();
          exportDialog.current?.showModal();
        }}
      >
        Export
      </button>
      {dragging && (
        <div className="drop-overlay" aria-hidden>
          Drop to import
        </div>
      )}
      <dialog ref={importDialog} className="notice-dialog exchange-dialog" aria-labelledby="import-title" onClose={() => useExchange.getState().reset()}>
        <h2 id="import-title">Import</h2>
        <ImportBody state={importState} />
        <form method="dialog" className="exchange-dialog__actions">
          <button type="submit" className="button button--primary" disabled={importState.phase === 'running'} autoFocus>
            {importState.phase === 'running' ? 'Importing…' : 'Close'}
          </button>
        </form>
      </dialog>
      <dialog ref={exportDialog} className="notice-dialog exchange-dialog" aria-labelledby="export-title">
        <h2 id="export-title">Export</h2>
        <ExportForm onDone={() => exportDialog.current?.close()} />
      </dialog>
    </>
  );
}
