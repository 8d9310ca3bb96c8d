// Import… and Export in the toolbar. Import… opens the Import dialog: a file to choose (or drop one anywhere on
// the window), or a production database to read in place by its postgres:// URL (a LangGraph PostgresSaver, a
// Mastra Postgres store), narrowed as the CLI narrows it. Then a progress bar while the file travels and the
// core reads it, what was imported, or the error naming the file, line and reason. Export writes this run, its
// work order or its workflow's runs, secrets redacted unless told otherwise, as a download (browser) or where
// the person saves it (desktop).
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { fileExchange, studio } from '../../lib/studio';
import { shortId } from '../../lib/format';
import { useCanWrite } from '../../app/studioInfo';
import { runById, useRuns } from '../runs/runsStore';
import { windowDatabaseUrlProblem } from '@shared/databaseUrls';
import { workOrderOf } from '@shared/workOrders';
import { useExchange, type DatabaseImport, type ImportState } from './exchangeStore';
import './ExchangeButtons.css';

const FORMAT_NAMES: Record<string, string> = {
  native: 'Snapshot Studio export',
  mastra: 'Mastra',
  kaiban: 'KaibanJS',
  refluxo: 'refluxo',
  temporal: 'Temporal history',
  langgraph: 'LangGraph checkpoints',
};
const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;

/** What the database form holds while the page lives (never stored: the URL may carry a password). */
interface DatabaseDraft {
  url: string;
  format: 'auto' | 'langgraph' | 'mastra';
  threads: string;
  since: string;
  schema: string;
  /** The narrowing fields are shown. */
  narrow: boolean;
}

const EMPTY_DRAFT: DatabaseDraft = { url: '', format: 'auto', threads: '', since: '', schema: '', narrow: false };

/** The import the form asks for: only the narrowing given. */
function databaseImport(draft: DatabaseDraft): DatabaseImport {
  const threads = draft.threads
    .split(/[,\n]/)
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    url: draft.url.trim(),
    ...(draft.format !== 'auto' ? { format: draft.format } : {}),
    ...(threads.length > 0 ? { threads } : {}),
    ...(draft.since.trim() ? { since: draft.since.trim() } : {}),
    ...(draft.schema.trim() ? { schema: draft.schema.trim() } : {}),
  };
}

function DatabaseForm({ draft, onChange, onImport }: { draft: DatabaseDraft; onChange(draft: DatabaseDraft): void; onImport(): void }) {
  const id = useId();
  const url = draft.url.trim();
  // The server refuses the same URLs; saying so here spares the person a round trip.
  const problem = url === '' ? null : windowDatabaseUrlProblem(url);
  const field = (key: Exclude<keyof DatabaseDraft, 'narrow'>) => ({ value: draft[key], onChange: (e: { target: { value: string } }) => onChange({ ...draft, [key]: e.target.value }) });
  return (
    <form
      className="exchange-dialog__form"
      aria-label="Import from a database"
      onSubmit={(e) => {
        e.preventDefault();
        if (url && !problem) onImport();
      }}
    >
      <label className="exchange-dialog__field">
        Database URL
        <input
          className="text-input"
          {...field('url')}
          placeholder="postgres://reader@db:5432/agents"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={problem ? true : undefined}
          aria-describedby={`${id}-hint`}
        />
      </label>
      <p id={`${id}-hint`} className={problem ? 'exchange-dialog__hint exchange-dialog__hint--problem' : 'exchange-dialog__hint'}>
        {problem ??
          'A LangGraph PostgresSaver database or a Mastra Postgres store, read in place and read-only; importing it again adds only what is new. A role that may only SELECT is enough.'}
      </p>
      <details className="exchange-dialog__narrow" open={draft.narrow} onToggle={(e) => e.currentTarget.open !== draft.narrow && onChange({ ...draft, narrow: e.currentTarget.open })}>
        <summary>Narrow the import</summary>
        <label className="exchange-dialog__field">
          Format
          <select {...field('format')}>
            <option value="auto">Detect from its tables</option>
            <option value="langgraph">LangGraph checkpoints</option>
            <option value="mastra">Mastra store</option>
          </select>
        </label>
        <label className="exchange-dialog__field">
          Threads
          <input className="text-input" {...field('threads')} placeholder="order-17, order-18" spellCheck={false} />
        </label>
        <label className="exchange-dialog__field">
          Since
          <input className="text-input" {...field('since')} placeholder="2026-11-30 or 2026-11-30T08:00:00Z" spellCheck={false} />
        </label>
        <label className="exchange-dialog__field">
          Schema
          <input className="text-input" {...field('schema')} placeholder="public" spellCheck={false} />
        </label>
        <p className="exchange-dialog__hint">Threads and since narrow a LangGraph source (only those threads; only threads with a checkpoint since then).</p>
      </details>
      <div className="exchange-dialog__actions">
        <button type="submit" className="button" disabled={!url || problem !== null}>
          Import from database
        </button>
      </div>
    </form>
  );
}

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
          {summary.extended ? <li>{plural(summary.extended, 'run')} gained new snapshots</li> : null}
          {summary.unreadableValues ? <li>{plural(summary.unreadableValues, 'value')} in a serialisation this build cannot read (shown as its type and size)</li> : null}
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
  const run = useRuns((s) => runById(s.runs, s.selectedRunId));
  const runs = useRuns((s) => s.runs);
  const state = useExchange((s) => s.export);
  const [scope, setScope] = useState<Scope>('run');
  const [redact, setRedact] = useState(true);
  const [extraKeys, setExtraKeys] = useState('');
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
  const selected = run?.id;
  // A walk over every run held (100,000 once the history is scrolled): done while the form is open, once per change.
  const workOrder = useMemo(() => (selected ? workOrderOf(runs, selected) : []), [runs, selected]);
  if (!run) return <p>Select a run to export.</p>;
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
  const [database, setDatabase] = useState<DatabaseDraft>(EMPTY_DRAFT);
  // The export form exists while its dialog is open: closed, it would follow every change of the runs held.
  const [exporting, setExporting] = useState(false);
  const closeButton = useRef<HTMLButtonElement>(null);
  const importPhase = importState.phase;

  // An import's outcome takes the focus: Enter or Escape closes it.
  useEffect(() => {
    if (importPhase === 'done' || importPhase === 'failed') closeButton.current?.focus();
  }, [importPhase]);
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

  function importDatabase() {
    void useExchange
      .getState()
      .importDatabase(databaseImport(database))
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
        <button
          type="button"
          className="button"
          title="Import a file (or drop one on the window), or a production database by its URL"
          onClick={() => {
            useExchange.getState().reset();
            importDialog.current?.showModal();
          }}
        >
          Import…
        </button>
      )}
      <button
        type="button"
        className="button"
        disabled={!runId}
        title={runId ? 'Export the selected run, its work order or its workflow' : 'Select a run to export'}
        onClick={() => {
          useExchange.getState().reset();
          // The form first, so the dialog opens with its first field focused.
          flushSync(() => setExporting(true));
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
        {importState.phase === 'idle' ? (
          <>
            <section className="exchange-dialog__source" aria-labelledby="import-file-title">
              <h3 id="import-file-title">From a file</h3>
              <p className="exchange-dialog__hint">An export (.ssx.ndjson, .gz), a Mastra, KaibanJS, refluxo or Temporal file, or a LangGraph or Mastra SQLite database. Or drop one on the window.</p>
              <div className="exchange-dialog__actions">
                <button type="button" className="button button--primary" onClick={() => picker.current?.click()}>
                  Choose a file…
                </button>
              </div>
            </section>
            <section className="exchange-dialog__source" aria-labelledby="import-database-title">
              <h3 id="import-database-title">From a database</h3>
              <DatabaseForm draft={database} onChange={setDatabase} onImport={importDatabase} />
            </section>
          </>
        ) : (
          <ImportBody state={importState} />
        )}
        <form method="dialog" className="exchange-dialog__actions">
          {(importState.phase === 'done' || importState.phase === 'failed') && (
            <button type="button" className="button" onClick={() => useExchange.getState().reset()}>
              {importState.phase === 'done' ? 'Import more…' : 'Back'}
            </button>
          )}
          <button ref={closeButton} type="submit" className={importState.phase === 'idle' ? 'button' : 'button button--primary'} disabled={importState.phase === 'running'}>
            {importState.phase === 'running' ? 'Importing…' : 'Close'}
          </button>
        </form>
      </dialog>
      <dialog ref={exportDialog} className="notice-dialog exchange-dialog" aria-labelledby="export-title" onClose={() => setExporting(false)}>
        <h2 id="export-title">Export</h2>
        {exporting && <ExportForm onDone={() => exportDialog.current?.close()} />}
      </dialog>
    </>
  );
}
