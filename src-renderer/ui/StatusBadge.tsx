// A run or step status as a small coloured badge; the colour repeats the word, never replaces it.
import './StatusBadge.css';

export function StatusBadge({ status }: { status: string }) {
  return <span className={`status-badge status-badge--${status}`}>{status}</span>;
}
