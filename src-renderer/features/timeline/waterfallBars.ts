// The waterfall's geometry: one bar per step from its start to its end (or to now while it runs), and the
// waits (signals, durable timers) laid over it, as fractions of the run's span so the view only scales them.
import type { SnapshotDocument, StepStatus } from '@shared/snapshot';

export interface WaterfallBar {
  stepId: string;
  status: StepStatus;
  attempts: number;
  /** Fractions of the run's span, 0..1; absent for a step that has not started. */
  from?: number;
  to?: number;
  durationMs?: number;
  waits: { from: number; to: number; label: string }[];
}

export function waterfallBars(doc: SnapshotDocument, order: string[]): { bars: WaterfallBar[]; spanMs: number } {
  const ms = (iso: string | undefined) => (iso ? new Date(iso).getTime() : NaN);
  const now = ms(doc.at);
  const starts = Object.values(doc.steps).map((s) => ms(s.startedAt)).filter(Number.isFinite);
  const t0 = Math.min(now, ...starts);
  const span = Math.max(1, now - t0);
  const frac = (t: number) => Math.min(1, Math.max(0, (t - t0) / span));
  const ids = [...order.filter((id) => doc.steps[id]), ...Object.keys(doc.steps).filter((id) => !order.includes(id))];
  const bars = ids.map((stepId): WaterfallBar => {
    const s = doc.steps[stepId];
    const start = ms(s.startedAt);
    const end = Number.isFinite(ms(s.endedAt)) ? ms(s.endedAt) : now;
    const waits = [
      ...doc.cursor.waiting.filter((w) => w.stepId === stepId).map((w) => ({ from: frac(ms(w.since)), to: 1, label: `waits for "${w.signal}"` })),
      ...doc.cursor.timers.filter((t) => t.stepId === stepId).map((t) => ({ from: frac(Number.isFinite(start) ? start : now), to: 1, label: `sleeps until ${t.wakeAt}` })),
    ];
    const bar: WaterfallBar = { stepId, status: s.status, attempts: s.attempts, waits };
    if (Number.isFinite(start)) Object.assign(bar, { from: frac(start), to: frac(end), durationMs: end - start });
    return bar;
  });
  return { bars, spanMs: span };
}
