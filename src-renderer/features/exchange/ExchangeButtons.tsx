// Import… and Export in the toolbar. The contract has no export/import methods yet (they come with the
// exchange work on another branch), so each opens a dialog that says so plainly, rather than hiding the way.
import { useRef, useState } from 'react';
import { studio } from '../../lib/studio';
import { useRuns } from '../runs/runsStore';
import './ExchangeButtons.css';

type Pending = { title: string; body: string } | null;

/** Whether the connected core offers a method (newer builds may). */
const offers = (method: string) => typeof (studio() as unknown as Record<string, unknown>)[method] === 'function';

export function ExchangeButtons() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [pending, setPending] = useState<Pending>(null);
  const runId = useRuns((s) => s.selectedRunId);

  function explain(what: 'Import' | 'Export') {
    const method = what === 'Import' ? 'importFile' : 'exportRuns';
    setPending({
      title: `${what} is not available yet`,
      body: offers(method)
        ? `This build’s core offers ${method}, but this window does not drive it yet.`
        : what === 'Import'
          ? 'Importing Snapshot Studio exports (.ssx.ndjson) and Mastra, KaibanJS, refluxo or Temporal snapshots comes in a later build. Until then, use the CLI once it has the import command.'
          : 'Exporting a run with its snapshots and logs (.ssx.ndjson, secrets redacted) comes in a later build.',
    });
    dialog.current?.showModal();
  }

  return (
    <>
      <button type="button" className="button" onClick={() => explain('Import')}>
        Import…
      </button>
      <button type="button" className="button" disabled={!runId} title={runId ? 'Export the selected run' : 'Select a run to export'} onClick={() => explain('Export')}>
        Export
      </button>
      <dialog ref={dialog} className="notice-dialog" aria-labelledby="notice-title" onClose={() => setPending(null)}>
        <h2 id="notice-title">{pending?.title}</h2>
        <p>{pending?.body}</p>
        <form method="dialog">
          <button type="submit" className="button button--primary" autoFocus>
            OK
          </button>
        </form>
      </dialog>
    </>
  );
}
