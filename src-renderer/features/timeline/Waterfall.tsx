// Above the timeline: each step's duration, attempts and waits on one time axis, from the run's newest
// snapshot. A click on a step selects the last snapshot it made.
import { useMemo } from 'react';
import { formatDuration } from '../../lib/format';
import { useRunSteps } from '../versions/shownVersion';
import { selectStepSnapshot } from '../../app/selection';
import { useTimeline } from './timelineStore';
import { waterfallBars } from './waterfallBars';
import './Waterfall.css';

export function Waterfall() {
  const latest = useTimeline((s) => s.latest);
  const steps = useRunSteps();
  const order = useMemo(() => steps?.map((s) => s.id) ?? [], [steps]);
  const model = useMemo(() => (latest ? waterfallBars(latest, order) : null), [latest, order]);
  if (!model || model.bars.length === 0) return <div className="waterfall waterfall--empty" aria-hidden />;
  return (
    <div className="waterfall" role="group" aria-label={`Step waterfall, ${formatDuration(model.spanMs)} in all`}>
      {model.bars.map((b) => {
        const label = [
          b.stepId,
          b.status,
          b.durationMs !== undefined ? formatDuration(b.durationMs) : 'not started',
          b.attempts > 1 ? `${b.attempts} attempts` : '',
          ...b.waits.map((w) => w.label),
        ]
          .filter(Boolean)
          .join(', ');
        return (
          <button key={b.stepId} type="button" className="waterfall__row" aria-label={label} title={label} onClick={() => void selectStepSnapshot(b.stepId)}>
            <span className="waterfall__name">{b.stepId}</span>
            <span className="waterfall__track">
              {b.from !== undefined && (
                <span
                  className={`waterfall__bar waterfall__bar--${b.status}`}
                  style={{ left: `${b.from * 100}%`, width: `max(2px, ${((b.to ?? b.from) - b.from) * 100}%)` }}
                />
              )}
              {b.waits.map((w, i) => (
                <span key={i} className="waterfall__wait" style={{ left: `${w.from * 100}%`, width: `${(w.to - w.from) * 100}%` }} />
              ))}
            </span>
            <span className="waterfall__meta">
              {b.durationMs !== undefined ? formatDuration(b.durationMs) : '—'}
              {b.attempts > 1 ? ` ×${b.attempts}` : ''}
            </span>
          </button>
        );
      })}
    </div>
  );
}
