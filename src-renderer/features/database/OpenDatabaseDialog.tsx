// File › Open database… in the desktop app: the menu asks, this dialog takes an SQLite file path or a postgres:// URL,
// and the app switches to it (the window starts over on the new database). A password in the URL is used for this
// session only: the app remembers the URL without it, and later takes it from PGPASSWORD or ~/.pgpass.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { databaseSwitch } from '../../lib/studio';
import { useStudioInfo } from '../../app/studioInfo';
import './OpenDatabaseDialog.css';

export function OpenDatabaseDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const current = useStudioInfo((s) => s.info?.database ?? '');
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(
    () =>
      databaseSwitch()?.onAsked(() => {
        setProblem(null);
        setValue('');
        if (!dialog.current?.open) dialog.current?.showModal();
      }),
    [],
  );

  if (!databaseSwitch()) return null;

  async function open(e: FormEvent) {
    e.preventDefault();
    const chosen = value.trim();
    if (!chosen) return setProblem('Give an SQLite file path or a postgres:// URL.');
    setBusy(true);
    try {
      await databaseSwitch()!.open(chosen);
      // What the person typed leaves the page with it: the window starts over on the new database.
      setValue('');
      window.location.reload();
    } catch (err) {
      setProblem(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} className="notice-dialog open-database" aria-labelledby="open-database-title" onClose={() => setValue('')}>
      <h2 id="open-database-title">Open database</h2>
      <form onSubmit={(e) => void open(e)} aria-label="Open database" autoComplete="off">
        <label className="field open-database__field">
          <span className="field__label">SQLite file or PostgreSQL URL</span>
          <input
            type="text"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder="postgres://user@host:5432/database or /path/to/studio.db"
            autoComplete="off"
            spellCheck={false}
            autoFocus
          />
        </label>
        <p className="open-database__hint">
          Now: <code>{current}</code>. A password in the URL is used for this session only; the app remembers the URL without
          it and next time takes it from <code>PGPASSWORD</code> or <code>~/.pgpass</code>.
        </p>
        {problem && (
          <p role="alert" className="open-database__problem">
            {problem}
          </p>
        )}
        <div className="open-database__actions">
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            Open
          </button>
        </div>
      </form>
    </dialog>
  );
}
