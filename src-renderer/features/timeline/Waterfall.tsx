// Above the timeline: each step's attempts, the backoff between them and its waits on one time axis, with
// long idle stretches cut to a break. A live run's open segments grow with the clock. A click on a step
// selects the last snapshot it made; hovering a segment tells its start, end and duration.
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SnapshotSummary } from '@shared/api';
import { formatClock, formatDuration } from '../../lib/format';
import { isLive } from '../../lib/runStatus';
import { useRunSteps } from '../versions/shownVersion';
import { selectStepSnapshot } from '../../app/selection';
import { useTimeline } from './timelineStore';
import { stepLanes, timeAxis, xOf, type Segment, type StepLane } from './waterfallBars';
import './Waterfall.css';

/** How often a live run's waterfall redraws its open segments. */
const LIVE_TICK_MS = 500;

function useNow(live: boolean, fallback: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!live) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), LIVE_TICK_MS);
    return () => clearInterval(timer);
  }, [live]);
  return live ? Math.max(now, fallback) : fallback;
}

/** Every snapshot summary of the run in seq order, when all are loaded; otherwise null (the outline alone is used). */
function useAllSummaries(): SnapshotSummary[] | null {
  const pages = useTimeline((s) => s.pages);
  const total = useTimeline((s) => s.total);
  return useMemo(() => {
    // A long run's pages come and go as its timeline scrolls: count before copying ten thousand rows for nothing.
    let held = 0;
    for (const rows of pages.values()) held += rows.length;
    if (held !== total) return null;
    const numbers = [...pages.keys()].sort((a, b) => a - b);
    const rows = numbers.flatMap((n) => pages.get(n) ?? []);
    return rows.length === total ? rows : null;
  }, [pages, total]);
}

/**
 * Places its child at `x` (a fraction of the track) by a transform of a track-wide layer, not by `left`: as a
 * live run's axis rescales every moment, things move without shifting the layout (and without layout work).
 */
function Placed({ x, children }: { x: number; children: ReactNode }) {
  return (
    <span className="waterfall__layer" style={{ transform: `translateX(${(x * 100).toFixed(3)}%)` }}>
      {children}
    </span>
  );
}

const at = (t: number, start: number) => `${formatClock(new Date(t).toISOString())} (+${formatDuration(t - start)})`;

function segmentTitle(lane: StepLane, s: Segment, start: number): string {
  const what =
    s.kind === 'attempt'
      ? `attempt ${s.attempt ?? 1}${s.outcome === 'running' ? ', running' : `, ${s.outcome}`}`
      : s.kind === 'backoff'
        ? 'retry backoff'
        : `waiting for ${s.waitsFor ?? 'a signal or a timer'}`;
  return `${lane.stepId}: ${what}\nstart ${at(s.start, start)}\nend ${s.open ? 'still going' : at(s.end, start)}\nduration ${formatDuration(s.end - s.start)}`;
}

export function Waterfall() {
  const latest = useTimeline((s) => s.latest);
  const summaries = useAllSummaries();
  const steps = useRunSteps();
  const order = useMemo(() => steps?.map((s) => s.id) ?? [], [steps]);
  const live = !!latest && isLive(latest.status);
  const docAt = latest ? new Date(latest.at).getTime() : 0;
  const now = useNow(live, docAt);
  const model = useMemo(() => {
    if (!latest) return null;
    // Summaries of another run (the list is switching) are not this document's.
    const events = summaries && summaries.length > 0 && summaries[summaries.length - 1].seq >= latest.seq ? summaries : null;
    const lanes = stepLanes(latest, order, events, now);
    return { lanes, axis: timeAxis(lanes, now) };
  }, [latest, order, summaries, now]);
  if (!model || model.lanes.length === 0) return <div className="waterfall waterfall--empty" aria-hidden />;
  const { lanes, axis } = model;
  const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
  const left = (t: number) => xOf(axis.pieces, t);
  return (
    <div className="waterfall" role="group" aria-label={`Step waterfall, ${formatDuration(axis.end - axis.start)} in all`}>
      <div className="waterfall__axis" aria-hidden>
        <span />
        <span className="waterfall__ticks">
          {axis.ticks.map((t, i) => (
            <Placed key={i} x={t.x}>
              <span className={`waterfall__tick${t.align === 'end' ? ' is-end' : ''}`}>{t.label}</span>
            </Placed>
          ))}
          {axis.breaks.map((b, i) =>
            b.hideLabel ? null : (
            <Placed key={`b${i}`} x={b.labelX}>
              <span className={`waterfall__break-label is-${b.align}`} title={`${b.label} idle, cut short`}>
                ≈{b.label}
              </span>
            </Placed>
            ),
          )}
        </span>
        <span />
      </div>
      {lanes.map((lane) => {
        const span = lane.start !== undefined && lane.end !== undefined ? lane.end - lane.start : undefined;
        const waits = lane.segments.filter((s) => s.kind === 'wait');
        const label = [
          lane.stepId,
          lane.status,
          span !== undefined ? formatDuration(span) : 'not started',
          lane.attempts > 1 ? `${lane.attempts} attempts` : '',
          ...waits.filter((w) => w.open).map((w) => `waiting for ${w.waitsFor ?? 'a signal or a timer'} for ${formatDuration(w.end - w.start)}`),
        ]
          .filter(Boolean)
          .join(', ');
        return (
          <button key={lane.stepId} type="button" className="waterfall__row" aria-label={label} onClick={() => void selectStepSnapshot(lane.stepId)}>
            <span className="waterfall__name" title={lane.stepId}>
              {lane.stepId}
            </span>
            <span className="waterfall__track">
              {axis.breaks.map((b, i) => (
                <Placed key={`b${i}`} x={b.x0}>
                  <span className="waterfall__break" style={{ width: pct(b.x1 - b.x0) }} title={`${b.label} idle, cut short`} />
                </Placed>
              ))}
              {lane.segments.map((s, i) => {
                const x0 = left(s.start);
                const x1 = left(s.end);
                const cls =
                  s.kind === 'attempt' ? `waterfall__bar waterfall__bar--${s.outcome}` : s.kind === 'backoff' ? 'waterfall__backoff' : 'waterfall__wait';
                return (
                  <Placed key={i} x={x0}>
                    <span
                      className={`${cls}${s.open ? ' is-open' : ''}`}
                      data-kind={s.kind}
                      style={{ width: `max(2px, ${pct(x1 - x0)})` }}
                      title={segmentTitle(lane, s, axis.start)}
                    />
                  </Placed>
                );
              })}
            </span>
            <span className="waterfall__meta" title={span !== undefined ? `from first start to last end: ${formatDuration(span)}` : undefined}>
              {span !== undefined ? formatDuration(span) : '—'}
              {lane.attempts > 1 ? ` ×${lane.attempts}` : ''}
            </span>
          </button>
        );
      })}
    </div>
  );
}
