// The question before code that came with an import runs on this machine: what it is, where to read it, and a
// choice whose safe answer is the default.
import { useEffect, useRef } from 'react';
import { useImportedCodeConsent } from './importedCodeConsent';
import './ImportedCodeDialog.css';

export function ImportedCodeDialog() {
  const question = useImportedCodeConsent((s) => s.question);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => cancel.current?.focus(), [question]);
  if (!question) return null;
  return (
    <div className="consent-backdrop">
      <div
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="consent-title"
        aria-describedby="consent-text"
        className="consent-dialog"
        onKeyDown={(e) => e.key === 'Escape' && question.answer(false)}
      >
        <h2 id="consent-title">Run code that came with an import?</h2>
        <p id="consent-text">
          Version <code>{question.version.slice(0, 12)}</code> of workflow <strong>{question.workflowId}</strong> came with an
          imported export. Its code would run on this machine with your rights, in worker threads. Read it first in the
          Versions tab; run the workspace’s code instead with “Retry with latest”.
        </p>
        <div className="consent-dialog__actions">
          <button type="button" ref={cancel} onClick={() => question.answer(false)}>
            Cancel
          </button>
          <button type="button" className="consent-dialog__run" onClick={() => question.answer(true)}>
            Run imported code
          </button>
        </div>
      </div>
    </div>
  );
}
