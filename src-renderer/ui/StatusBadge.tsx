// A run or step status as a small coloured badge; the colour repeats the word, never replaces it.
import './StatusBadge.css';

/** `status` is a run status or a step's outcome (retry-scheduled, not-run…), shown with spaces for hyphens. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`status-badge status-badge--${status}`}>{status.replace(/-/g, ' ')}</span>;
}
