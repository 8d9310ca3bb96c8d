// One snapshot in the timeline: a selectable row plus the checkbox that marks it for comparison.
import { memo } from 'react';
import type { SnapshotSummary } from '@shared/api';
import { formatBytes, formatClock, formatOffset } from '../../lib/format';
import { StatusBadge } from '../../ui/StatusBadge';

interface TimelineItemProps {
  snapshot: SnapshotSummary;
  /** Offset from the top of the list, px. */
  top: number;
  selected: boolean;
  focusable: boolean;
  checked: boolean;
  runStartedAt: string | undefined;
  onSelect(seq: number): void;
  onToggle(seq: number): void;
}

/** A row's own outcome: its step's on a step's snapshot (failed, completed, started…), the run's on the run's. */
export function rowStatus(s: SnapshotSummary): string {
  return s.stepStatus ?? s.status;
}

/** The name a screen reader (and a test) finds a snapshot by: "#3 step-completed fetch completed". */
export function snapshotLabel(s: SnapshotSummary): string {
  return [`#${s.seq}`, s.kind, s.stepId, rowStatus(s)].filter(Boolean).join(' ');
}

export const TimelineItem = memo(function TimelineItem(props: TimelineItemProps) {
  const { snapshot: s, top, selected, focusable, checked, runStartedAt, onSelect, onToggle } = props;
  return (
    <li
      className="timeline-item"
      style={{ transform: `translateY(${top}px)` }}
      data-seq={s.seq}
      data-selected={selected || undefined}
      data-kind={s.kind}
    >
      <input
        type="checkbox"
        className="timeline-item__check"
        aria-label={`Compare #${s.seq}`}
        checked={checked}
        tabIndex={-1}
        onChange={() => onToggle(s.seq)}
      />
      <button
        type="button"
        className="timeline-item__row row-button"
        aria-label={snapshotLabel(s)}
        aria-current={selected ? 'true' : undefined}
        tabIndex={focusable ? 0 : -1}
        onClick={() => onSelect(s.seq)}
      >
        <span className="timeline-item__seq">#{s.seq}</span>
        <span className="timeline-item__kind">
          <span className="kind-dot" aria-hidden />
          <span className="timeline-item__kind-name">{s.kind}</span>
        </span>
        <span className="timeline-item__step" title={s.stepId ?? undefined}>
          {s.stepId ?? '—'}
        </span>
        <span className="timeline-item__status" title={s.stepStatus ? `step ${s.stepStatus}; run ${s.status}` : `run ${s.status}`}>
          <StatusBadge status={rowStatus(s)} />
        </span>
        <span className="timeline-item__time" title={`${s.at}  (${formatOffset(s.at, runStartedAt) || 'run start'})`}>
          {formatClock(s.at)}
        </span>
        <span className="timeline-item__size">{formatBytes(s.size)}</span>
      </button>
    </li>
  );
});

/** A row whose page is still on its way: same height, so nothing moves when it arrives. */
export const TimelinePlaceholder = memo(function TimelinePlaceholder({ seq, top }: { seq: number; top: number }) {
  return (
    <li className="timeline-item timeline-item--placeholder" style={{ transform: `translateY(${top}px)` }} aria-hidden data-seq={seq}>
      <span />
      <span className="timeline-item__row">
        <span className="timeline-item__seq">#{seq}</span>
        <span className="skeleton" />
      </span>
    </li>
  );
});
