// The waterfall's geometry, pure: each step's lane of segments (an attempt running, the backoff before the
// next attempt, a wait for a signal or a timer) in epoch milliseconds, and the time axis that maps them to
// fractions of the width, with long idle stretches cut to a short break so a 4-minute wait does not crush
// the 3 ms steps around it into slivers.
import type { SnapshotSummary } from '@shared/api';
import type { SnapshotDocument, StepStatus } from '@shared/snapshot';

export type SegmentKind = 'attempt' | 'backoff' | 'wait';

export interface Segment {
  kind: SegmentKind;
  start: number;
  end: number;
  /** Still going at `now`: its end grows as time passes. */
  open: boolean;
  /** How an attempt ended (running while open); for a wait, what it waits for. */
  outcome: 'running' | 'completed' | 'failed' | 'waiting' | 'skipped';
  /** Attempt number (1-based), for attempts. */
  attempt?: number;
  /** What a wait waits for: `signal "approval"`, `a timer`. */
  waitsFor?: string;
}

export interface StepLane {
  stepId: string;
  status: StepStatus;
  attempts: number;
  segments: Segment[];
  /** From the first segment's start to the last one's end; absent for a step that has not started. */
  start?: number;
  end?: number;
}

type Event = Pick<SnapshotSummary, 'kind' | 'stepId' | 'at'>;

const ms = (iso: string | undefined) => (iso ? new Date(iso).getTime() : NaN);

/**
 * One lane per step, in `order` then any other step of the document. `events`: the run's snapshot summaries
 * in seq order when all of them are at hand (each attempt and backoff is then drawn); without them, the
 * newest document alone gives each step's last start and end. `now`: the current time for a live run (open
 * segments end there), the newest snapshot's time for one that ended.
 */
export function stepLanes(doc: SnapshotDocument, order: string[], events: readonly Event[] | null, now: number): StepLane[] {
  const ids = [...order.filter((id) => doc.steps[id]), ...Object.keys(doc.steps).filter((id) => !order.includes(id))];
  const byStep = new Map<string, Event[]>();
  for (const e of events ?? []) {
    if (!e.stepId) continue;
    const list = byStep.get(e.stepId) ?? [];
    list.push(e);
    byStep.set(e.stepId, list);
  }
  return ids.map((stepId) => {
    const step = doc.steps[stepId];
    const segments = events ? segmentsFromEvents(byStep.get(stepId) ?? [], now) : segmentsFromDocument(doc, stepId, now);
    // A wait the document knows of but the events did not open (e.g. a timer): from its start to now.
    const lane: StepLane = { stepId, status: step.status, attempts: step.attempts, segments };
    if (segments.length > 0) {
      lane.start = segments[0].start;
      lane.end = Math.max(...segments.map((s) => s.end));
    }
    const waiting = doc.cursor.waiting.find((w) => w.stepId === stepId);
    const timer = doc.cursor.timers.find((t) => t.stepId === stepId);
    const wait = segments.find((s) => s.kind === 'wait' && s.open);
    if (wait) wait.waitsFor = waiting ? `signal "${waiting.signal}"` : timer ? 'a timer' : wait.waitsFor;
    return lane;
  });
}

function segmentsFromEvents(events: Event[], now: number): Segment[] {
  const segments: Segment[] = [];
  let open: Segment | undefined;
  let attempt = 0;
  /** The step was resumed after a wait: its next start continues the same attempt. */
  let resumed = false;
  const close = (at: number, outcome?: Segment['outcome']) => {
    if (!open) return;
    open.end = Math.max(open.start, at);
    open.open = false;
    if (outcome) open.outcome = outcome;
    open = undefined;
  };
  const begin = (kind: SegmentKind, at: number, outcome: Segment['outcome']) => {
    open = { kind, start: at, end: at, open: true, outcome };
    segments.push(open);
    return open;
  };
  for (const e of events) {
    const at = ms(e.at);
    if (!Number.isFinite(at)) continue;
    switch (e.kind) {
      case 'step-started': {
        // A start after a wait continues the same attempt; after a backoff (or first) it is a new one.
        const continues = open?.kind === 'wait' || resumed;
        resumed = false;
        close(at);
        if (!continues) attempt += 1;
        begin('attempt', at, 'running').attempt = Math.max(1, attempt);
        break;
      }
      case 'step-completed':
        close(at, 'completed');
        break;
      case 'step-failed':
        close(at, 'failed');
        break;
      case 'step-skipped':
        close(at);
        begin('attempt', at, 'skipped').open = false;
        break;
      case 'retry-scheduled':
        close(at, 'failed');
        begin('backoff', at, 'waiting');
        break;
      case 'waiting':
        close(at, 'waiting');
        begin('wait', at, 'waiting');
        break;
      case 'resumed':
        if (open?.kind === 'wait') close(at);
        resumed = true;
        break;
      case 'run-cancelled':
      case 'run-failed':
      case 'paused':
        close(at);
        break;
      default:
        break;
    }
  }
  if (open) (open as Segment).end = Math.max((open as Segment).start, now);
  return segments;
}

function segmentsFromDocument(doc: SnapshotDocument, stepId: string, now: number): Segment[] {
  const step = doc.steps[stepId];
  const start = ms(step.startedAt);
  if (!Number.isFinite(start)) return [];
  const ended = ms(step.endedAt);
  const segments: Segment[] = [];
  const waiting = doc.cursor.waiting.find((w) => w.stepId === stepId);
  const since = waiting ? ms(waiting.since) : NaN;
  const outcome: Segment['outcome'] =
    step.status === 'completed' || step.status === 'failed' || step.status === 'skipped' ? step.status : step.status === 'waiting' ? 'waiting' : 'running';
  const attemptEnd = Number.isFinite(ended) ? ended : Number.isFinite(since) ? since : now;
  segments.push({ kind: 'attempt', start, end: Math.max(start, attemptEnd), open: !Number.isFinite(ended) && !Number.isFinite(since), outcome, attempt: step.attempts || 1 });
  if (Number.isFinite(since)) segments.push({ kind: 'wait', start: since, end: Math.max(since, now), open: true, outcome: 'waiting' });
  else if (doc.cursor.timers.some((t) => t.stepId === stepId) && step.status === 'waiting') {
    segments.push({ kind: 'wait', start: attemptEnd, end: Math.max(attemptEnd, now), open: true, outcome: 'waiting' });
  }
  if (doc.retry?.stepId === stepId && Number.isFinite(ended)) {
    segments.push({ kind: 'backoff', start: ended, end: Math.max(ended, now), open: true, outcome: 'waiting' });
  }
  return segments;
}

// ——— the axis ———

export interface AxisPiece {
  /** Times, epoch ms. */
  t0: number;
  t1: number;
  /** Fractions of the width. */
  x0: number;
  x1: number;
  /** An idle stretch cut short: drawn as a break, not to scale. */
  cut: boolean;
}

export interface Axis {
  start: number;
  end: number;
  pieces: AxisPiece[];
  /** `end`: the label hangs to the left of its tick, near the right edge, so it stays inside the track. */
  ticks: { x: number; label: string; align: 'start' | 'end' }[];
  /** Cut stretches; `labelX` and `align` place their label (centred on the break, kept inside the track). */
  breaks: { x0: number; x1: number; label: string; labelX: number; align: 'start' | 'center' | 'end'; hideLabel?: true }[];
}

/** Idle stretches shorter than this are never cut. */
export const MIN_CUT_MS = 1000;
/** The width a cut stretch takes. */
export const BREAK_SHARE = 0.05;
const TARGET_TICKS = 6;
/** Labels on the axis stay this share of the width apart (a label is about 40 px of a 350 px track). */
const MIN_TICK_GAP = 0.12;
/** The share of the width a break's label ("≈4 m 0 s") takes. */
const BREAK_LABEL_SHARE = 0.14;

/**
 * The axis from the run's first start to `end`: a stretch where no step runs and no backoff passes (only
 * waits, or nothing) longer than MIN_CUT_MS and than all the busy time together is cut to BREAK_SHARE of the
 * width; the rest is to scale.
 */
export function timeAxis(lanes: readonly StepLane[], end: number): Axis {
  const busy = lanes
    .flatMap((l) => l.segments.filter((s) => s.kind !== 'wait'))
    .map((s) => [s.start, s.end] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const starts = lanes.flatMap((l) => l.segments.map((s) => s.start));
  const start = starts.length ? Math.min(...starts) : end;
  const stop = Math.max(end, start + 1);
  // Idle stretches: between merged busy intervals, and after the last one up to `stop`.
  const merged: [number, number][] = [];
  for (const [a, b] of busy) {
    const last = merged[merged.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else merged.push([a, b]);
  }
  const busyMs = merged.reduce((sum, [a, b]) => sum + (b - a), 0);
  const gaps: [number, number][] = [];
  let cursor = start;
  for (const [a, b] of merged) {
    if (a > cursor) gaps.push([cursor, a]);
    cursor = Math.max(cursor, b);
  }
  if (stop > cursor) gaps.push([cursor, stop]);
  const threshold = Math.max(MIN_CUT_MS, busyMs);
  const cuts = gaps.filter(([a, b]) => b - a > threshold);
  // When everything is idle (nothing ran yet), cutting would leave nothing to scale.
  if (cuts.length > 0 && merged.length === 0) cuts.length = 0;

  const scaledMs = stop - start - cuts.reduce((sum, [a, b]) => sum + (b - a), 0);
  const scaledShare = 1 - BREAK_SHARE * cuts.length;
  const pieces: AxisPiece[] = [];
  let t = start;
  let x = 0;
  const addScaled = (to: number) => {
    if (to <= t) return;
    const width = scaledMs > 0 ? ((to - t) / scaledMs) * scaledShare : 0;
    pieces.push({ t0: t, t1: to, x0: x, x1: x + width, cut: false });
    x += width;
    t = to;
  };
  for (const [a, b] of cuts) {
    addScaled(a);
    pieces.push({ t0: a, t1: b, x0: x, x1: x + BREAK_SHARE, cut: true });
    x += BREAK_SHARE;
    t = b;
  }
  addScaled(stop);
  const last = pieces[pieces.length - 1];
  if (last) last.x1 = 1;

  const step = niceStep(scaledMs / TARGET_TICKS);
  const breaks: Axis['breaks'] = pieces
    .filter((p) => p.cut)
    .map((p) => {
      const centre = (p.x0 + p.x1) / 2;
      const half = BREAK_LABEL_SHARE / 2;
      const place =
        centre + half > 1 ? { labelX: p.x1, align: 'end' as const } : centre - half < 0 ? { labelX: p.x0, align: 'start' as const } : { labelX: centre, align: 'center' as const };
      return { x0: p.x0, x1: p.x1, label: formatSpan(p.t1 - p.t0), ...place };
    });
  // Where each break's label lies, for ticks to keep off (a tick's label runs MIN_TICK_GAP to the right of it).
  const labelSpan = (b: Axis['breaks'][number]) =>
    b.align === 'end' ? [b.labelX - BREAK_LABEL_SHARE, b.labelX] : b.align === 'start' ? [b.labelX, b.labelX + BREAK_LABEL_SHARE] : [b.labelX - BREAK_LABEL_SHARE / 2, b.labelX + BREAK_LABEL_SHARE / 2];
  // Two breaks close together would print their labels over each other: the shorter stretch's label gives way
  // (its break still says how long when hovered).
  const lengthOf = (b: Axis['breaks'][number]) => pieces.find((p) => p.cut && p.x0 === b.x0)!;
  for (let i = 1; i < breaks.length; i++) {
    const [before, here] = [breaks[i - 1], breaks[i]];
    if (before.hideLabel || labelSpan(before)[1] <= labelSpan(here)[0]) continue;
    const [b, h] = [lengthOf(before), lengthOf(here)];
    if (b.t1 - b.t0 >= h.t1 - h.t0) here.hideLabel = true;
    else before.hideLabel = true;
  }
  // A tick's label runs MIN_TICK_GAP to the right of it, or, hanging left at the right edge, to its left.
  const besideBreak = (x: number, align: 'start' | 'end') =>
    breaks.some((b) => {
      if (b.hideLabel) return false;
      const [from, to] = labelSpan(b);
      const [left, right] = align === 'end' ? [x - MIN_TICK_GAP, x] : [x, x + MIN_TICK_GAP];
      return right > from && left < to;
    });
  const ticks: Axis['ticks'] = [];
  for (const p of pieces.filter((q) => !q.cut)) {
    const first = Math.ceil((p.t0 - start) / step) * step;
    for (let offset = first; start + offset <= p.t1; offset += step) {
      const tickX = xOf(pieces, start + offset);
      const align = tickX > 1 - MIN_TICK_GAP ? 'end' : 'start';
      // Keep labels apart (a label hanging left needs room for itself too), and off the breaks' labels.
      const room = align === 'end' ? 2 * MIN_TICK_GAP : MIN_TICK_GAP;
      if ((ticks.length && tickX - ticks[ticks.length - 1].x < room) || besideBreak(tickX, align)) continue;
      ticks.push({ x: tickX, label: formatTick(offset, step), align });
    }
  }
  return { start, end: stop, pieces, ticks, breaks };
}

/** Where time `t` falls, as a fraction of the width (inside a break, in proportion across it). */
export function xOf(pieces: readonly AxisPiece[], t: number): number {
  if (pieces.length === 0) return 0;
  if (t <= pieces[0].t0) return 0;
  for (const p of pieces) {
    if (t <= p.t1) return p.t1 === p.t0 ? p.x0 : p.x0 + ((t - p.t0) / (p.t1 - p.t0)) * (p.x1 - p.x0);
  }
  return 1;
}

/** 1, 2 or 5 times a power of ten, in ms, at least `rough`. */
export function niceStep(rough: number): number {
  const r = Math.max(1, rough);
  const power = 10 ** Math.floor(Math.log10(r));
  for (const m of [1, 2, 5, 10]) if (m * power >= r) return m * power;
  return 10 * power;
}

/** A tick's time since the run's start, as precise as the tick step needs: "0", "250 ms", "1.5 s", "4 m 2 s". */
export function formatTick(offsetMs: number, stepMs: number): string {
  if (offsetMs === 0) return '0';
  if (offsetMs < 1000) return `${Math.round(offsetMs)} ms`;
  if (offsetMs < 60_000) {
    const digits = stepMs >= 1000 ? 0 : stepMs >= 100 ? 1 : stepMs >= 10 ? 2 : 3;
    return `${(offsetMs / 1000).toFixed(digits)} s`;
  }
  const seconds = (offsetMs % 60_000) / 1000;
  const digits = stepMs >= 1000 ? 0 : stepMs >= 100 ? 1 : stepMs >= 10 ? 2 : 3;
  return `${Math.floor(offsetMs / 60_000)} m ${seconds.toFixed(digits)} s`;
}

/** A cut stretch's length, short: "4 m 0 s", "12 s". */
function formatSpan(msSpan: number): string {
  if (msSpan < 60_000) return `${Math.round(msSpan / 1000)} s`;
  return `${Math.floor(msSpan / 60_000)} m ${Math.round((msSpan % 60_000) / 1000)} s`;
}
