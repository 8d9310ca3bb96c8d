// The Named snapshots region: every named snapshot (a workflow version frozen with a configuration and an
// input under a name), newest first; the selected one's configuration and input read-only; Run (the new run
// is selected, as after Run) and Delete (confirmed in place) per item; and "Save as named snapshot…" for the
// selected run.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { NamedSnapshot } from '@shared/api';
import { useCanWrite } from '../../app/studioInfo';
import { formatWhen, shortId } from '../../lib/format';
import { EmptyState, Panel } from '../../ui/Panel';
import { JsonView } from '../../ui/JsonView';
import { runNamedSnapshot } from '../runControls/runActions';
import { runById, useRuns } from '../runs/runsStore';
import { useWorkflows } from '../workflows/workflowsStore';
import { shownNamed, useNamed } from './namedStore';
import './NamedPanel.css';

const CLI_HINT = 'snapshot-studio snapshot create NAME --workflow ID';

export function NamedPanel() {
  const items = useNamed((s) => s.items);
  const loaded = useNamed((s) => s.loaded);
  const selected = useNamed((s) => s.selected);
  const onlyWorkflow = useNamed((s) => s.onlyWorkflow);
  const { load, select, setOnlyWorkflow } = useNamed.getState();
  const runId = useRuns((s) => s.selectedRunId);
  // The selected run is always held by the runs store (its header and timeline read it there too).
  const workflowId = useRuns((s) => runById(s.runs, s.selectedRunId)?.workflowId ?? null);
  const [saving, setSaving] = useState(false);
  const canWrite = useCanWrite();
  const listRef = useRef<HTMLUListElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);

  const shown = shownNamed(items, onlyWorkflow, workflowId);
  const current = shown.find((n) => n.name === selected) ?? null;
  const focusName = current?.name ?? shown[0]?.name;

  // Listed when the tab opens, and again when the window is focused (the CLI may have saved some meanwhile).
  useEffect(() => {
    const refresh = () => void load();
    refresh();
    window.addEventListener('focus', refresh);
    return () => window.removeEventListener('focus', refresh);
  }, [load]);

  // The form saves the run that was selected when it opened.
  useEffect(() => setSaving(false), [runId]);

  function focusRow(name: string | undefined) {
    requestAnimationFrame(() => {
      const row = name && listRef.current?.querySelector<HTMLButtonElement>(`[data-named="${CSS.escape(name)}"]`);
      if (row) row.focus();
      else saveButton.current?.focus();
    });
  }

  function onListKeyDown(e: KeyboardEvent<HTMLUListElement>) {
    if (!(e.target as HTMLElement).matches('.named-row')) return;
    const index = shown.findIndex((n) => n.name === focusName);
    const next =
      e.key === 'ArrowDown' ? index + 1 : e.key === 'ArrowUp' ? index - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? shown.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const to = shown[Math.min(shown.length - 1, Math.max(0, next))];
    select(to.name);
    focusRow(to.name);
  }

  const actions = (
    <>
      {workflowId && (
        <label className="toggle" title={`Show only the named snapshots of ${workflowId}`}>
          <input type="checkbox" checked={onlyWorkflow} onChange={(e) => setOnlyWorkflow(e.target.checked)} />
          Only this workflow
        </label>
      )}
      {canWrite && (
        <button
          ref={saveButton}
          type="button"
          className="button button--small"
          disabled={!runId}
          aria-expanded={saving}
          title={runId ? 'Save the selected run’s workflow version, configuration and input under a name' : 'Select a run to save its configuration under a name'}
          onClick={() => setSaving((s) => !s)}
        >
          Save as named snapshot…
        </button>
      )}
    </>
  );

  const toolbar =
    saving && runId && canWrite ? (
      <SaveForm
        key={runId}
        runId={runId}
        workflowId={workflowId}
        taken={(name) => items.some((n) => n.name === name)}
        onDone={(name) => {
          setSaving(false);
          if (name) focusRow(name);
          else saveButton.current?.focus();
        }}
      />
    ) : undefined;

  const detail = loaded ? (shown.length === items.length ? `${items.length}` : `${shown.length} of ${items.length}`) : undefined;

  return (
    <Panel name="Named snapshots" detail={detail} actions={actions} toolbar={toolbar} className="named-panel">
      {!loaded ? (
        <EmptyState>Loading named snapshots…</EmptyState>
      ) : items.length === 0 ? (
        <EmptyState>
          No named snapshots yet — select a run and use “Save as named snapshot…” to keep its configuration and input under a name,
          or run <code>{CLI_HINT}</code>
        </EmptyState>
      ) : shown.length === 0 ? (
        <EmptyState>
          No named snapshots of {workflowId} — clear “Only this workflow” to see the {items.length} of other workflows
        </EmptyState>
      ) : (
        <div className="named-panel__content">
          <ul className="named-list" aria-label="Named snapshot list" ref={listRef} onKeyDown={onListKeyDown}>
            {shown.map((n) => (
              <NamedItem key={n.name} named={n} current={n.name === current?.name} focusable={n.name === focusName} onDeleted={focusRow} next={neighbour(shown, n.name)} />
            ))}
          </ul>
          {current ? <NamedDetail named={current} /> : <EmptyState>Select a named snapshot to see its configuration and input</EmptyState>}
        </div>
      )}
    </Panel>
  );
}

/** The name to move to when this one goes: the next one, or the one before at the end. */
function neighbour(list: NamedSnapshot[], name: string): string | undefined {
  const i = list.findIndex((n) => n.name === name);
  return list[i + 1]?.name ?? list[i - 1]?.name;
}

function NamedItem({ named, current, focusable, next, onDeleted }: { named: NamedSnapshot; current: boolean; focusable: boolean; next: string | undefined; onDeleted(focus: string | undefined): void }) {
  const select = useNamed((s) => s.select);
  const remove = useNamed((s) => s.remove);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const latest = useWorkflows((s) => s.workflows.find((w) => w.id === named.workflowId)?.version === named.workflowVersion);
  const when = formatWhen(named.createdAt);
  const canWrite = useCanWrite();

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  function keep() {
    setConfirming(false);
    requestAnimationFrame(() => deleteButton.current?.focus());
  }

  async function run() {
    setBusy(true);
    await runNamedSnapshot(named.name);
    setBusy(false);
  }

  async function confirmDelete() {
    setBusy(true);
    const deleted = await remove(named.name);
    setBusy(false);
    setConfirming(false);
    onDeleted(deleted ? next : named.name);
  }

  return (
    <li className="named-list__item" onKeyDown={(e) => confirming && e.key === 'Escape' && (e.preventDefault(), keep())}>
      <button
        type="button"
        className="named-row row-button"
        data-named={named.name}
        aria-current={current ? 'true' : undefined}
        aria-label={`${named.name}: ${named.workflowId} version ${shortId(named.workflowVersion)}, saved ${when}`}
        tabIndex={focusable ? 0 : -1}
        onClick={() => select(named.name)}
      >
        <span className="named-row__name">{named.name}</span>
        <span className="named-row__date">{when}</span>
        <span className="named-row__meta">
          <span>{named.workflowId}</span>
          <code title={`Version ${named.workflowVersion}`}>{shortId(named.workflowVersion)}</code>
          {latest && <span className="chip chip--latest">latest</span>}
        </span>
      </button>
      <span className="named-list__actions">
        {!canWrite ? null : confirming ? (
          <>
            <button ref={confirmButton} type="button" className="button button--small named-list__confirm" disabled={busy} aria-label={`Confirm delete ${named.name}`} onClick={() => void confirmDelete()}>
              Confirm delete
            </button>
            <button type="button" className="button button--small" disabled={busy} aria-label={`Keep named snapshot ${named.name}`} onClick={keep}>
              Keep
            </button>
          </>
        ) : (
          <>
            <button type="button" className="button button--small" disabled={busy} aria-label={`Run named snapshot ${named.name}`} title="Start a run of this version with this configuration and input" onClick={() => void run()}>
              <span className="button__icon" aria-hidden>
                ▶
              </span>
              Run
            </button>
            <button ref={deleteButton} type="button" className="button button--small" disabled={busy} aria-label={`Delete named snapshot ${named.name}`} onClick={() => setConfirming(true)}>
              Delete
            </button>
          </>
        )}
      </span>
    </li>
  );
}

function NamedDetail({ named }: { named: NamedSnapshot }) {
  return (
    <div className="named-detail">
      <div className="named-detail__head">
        <strong>{named.name}</strong>
        <span>
          {named.workflowId} · version <code title={named.workflowVersion}>{shortId(named.workflowVersion)}</code> · saved {formatWhen(named.createdAt)}
        </span>
      </div>
      <section className="named-detail__field" aria-label={`Configuration of ${named.name}`}>
        <h3 className="named-detail__label">Configuration</h3>
        <JsonView value={named.config} />
      </section>
      <section className="named-detail__field" aria-label={`Input of ${named.name}`}>
        <h3 className="named-detail__label">Input</h3>
        <JsonView value={named.input} />
      </section>
    </div>
  );
}

function SaveForm({ runId, workflowId, taken, onDone }: { runId: string; workflowId: string | null; taken(name: string): boolean; onDone(saved: string | null): void }) {
  const saveRun = useNamed((s) => s.saveRun);
  const [name, setName] = useState(() => (workflowId ? `${workflowId}-${shortId(runId)}` : ''));
  const [busy, setBusy] = useState(false);
  const replaces = taken(name);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    const saved = await saveRun(name, runId);
    setBusy(false);
    // On a refused name the form stays, for the person to correct it; the error bar says why.
    if (saved) onDone(name);
  }

  return (
    <form className="named-save" aria-label="Save as named snapshot" onSubmit={(e) => void submit(e)} onKeyDown={(e) => e.key === 'Escape' && (e.preventDefault(), onDone(null))}>
      <span className="named-save__what">
        Save run <code>{shortId(runId)}</code>’s version, configuration and input as
      </span>
      <input
        className="text-input named-save__name"
        aria-label="Snapshot name"
        autoFocus
        onFocus={(e) => e.target.select()}
        value={name}
        placeholder="e.g. eu-big-order"
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" className="button button--small button--primary" disabled={busy || name === ''}>
        Save
      </button>
      <button type="button" className="button button--small" onClick={() => onDone(null)}>
        Cancel
      </button>
      {replaces && (
        <span className="named-save__note" role="status">
          replaces the saved “{name}”
        </span>
      )}
    </form>
  );
}
