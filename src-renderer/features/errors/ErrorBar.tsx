// The dismissible bar that tells the person which call failed and why.
import { useErrors } from '../../lib/attempt';
import './ErrorBar.css';

export function ErrorBar() {
  const errors = useErrors((s) => s.errors);
  const dismiss = useErrors((s) => s.dismiss);
  const dismissAll = useErrors((s) => s.dismissAll);
  if (errors.length === 0) return null;
  return (
    <div className="error-bar" role="alert">
      <ul>
        {errors.map((e) => (
          <li key={e.id}>
            <span className="error-bar__icon" aria-hidden>
              ✕
            </span>
            <span className="error-bar__action">{e.action}:</span> <span className="error-bar__message">{e.message}</span>
            <button type="button" className="icon-button" aria-label="Dismiss error" title="Dismiss" onClick={() => dismiss(e.id)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {errors.length > 1 && (
        <button type="button" className="link-button" onClick={dismissAll}>
          Dismiss all
        </button>
      )}
    </div>
  );
}
