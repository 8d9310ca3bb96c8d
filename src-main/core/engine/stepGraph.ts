// The step graph: which steps a step needs. Built from a workflow's steps, walked up and down, checked
// for missing steps and cycles, and derived from the order of events when a foreign record has no graph.

/** Step id → the step ids it needs. */
export type StepGraph = Record<string, string[]>;

/** A step as a graph knows it: its id and the steps it needs. */
export interface StepNeeds {
  id: string;
  needs: string[];
}

/** The graph of a workflow's steps (a summary's `steps`, or the driver's step list). */
export function graphOf(steps: readonly StepNeeds[]): StepGraph {
  return Object.fromEntries(steps.map((s) => [s.id, s.needs]));
}

/** Every step `stepId` depends on, directly or through other steps: the steps whose outputs it may read. */
export function upstreamOf(graph: StepGraph, stepId: string): string[] {
  const seen = new Set<string>();
  const stack = [...graph[stepId]];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...graph[id]);
  }
  return [...seen];
}

/** Steps that depend, directly or not, on `stepId`, and the step itself. */
export function downstreamOf(graph: StepGraph, stepId: string): Set<string> {
  const out = new Set([stepId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [id, needs] of Object.entries(graph)) {
      if (!out.has(id) && needs.some((n) => out.has(n))) {
        out.add(id);
        grew = true;
      }
    }
  }
  return out;
}

/** Steps no other step needs, in graph order: their outputs are a completed run's result. */
export function finalSteps(graph: StepGraph): string[] {
  const needed = new Set(Object.values(graph).flat());
  return Object.keys(graph).filter((id) => !needed.has(id));
}

/** What is wrong with a workflow's step graph (a `needs` naming no step, or a cycle), or null. */
export function stepGraphProblem(workflowId: string, steps: readonly StepNeeds[]): string | null {
  const ids = new Set(steps.map((s) => s.id));
  for (const s of steps) {
    for (const n of s.needs) {
      if (!ids.has(n)) return `workflow "${workflowId}": step "${s.id}" needs "${n}", which is not a step of this workflow`;
    }
  }
  const byId = new Map(steps.map((s) => [s.id, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]): string | null => {
    if (state.get(id) === 'done') return null;
    if (state.get(id) === 'visiting') return `workflow "${workflowId}": steps form a cycle: ${[...path, id].join(' → ')}`;
    state.set(id, 'visiting');
    for (const n of byId.get(id)!.needs) {
      const p = visit(n, [...path, id]);
      if (p) return p;
    }
    state.set(id, 'done');
    return null;
  };
  for (const s of steps) {
    const p = visit(s.id, []);
    if (p) return p;
  }
  return null;
}

export type OrderEvent = { stepId: string; phase: 'start' | 'end' };

/**
 * The step graph of a run whose record has no graph, derived from the order in which steps started and
 * ended. A step needs the steps that ended last before it started; steps started together (no end between
 * them) share those needs, so parallel branches come out as parallel.
 */
export function needsFromOrder(events: OrderEvent[]): StepNeeds[] {
  const needs = new Map<string, string[]>();
  let frontier: string[] = [];
  let lastWasEnd = false;
  for (const { stepId, phase } of events) {
    if (phase === 'start') {
      // A step seen again (a retry, a resume) keeps the needs of its first start.
      if (!needs.has(stepId)) needs.set(stepId, frontier.filter((s) => s !== stepId));
      lastWasEnd = false;
    } else {
      if (!needs.has(stepId)) needs.set(stepId, frontier.filter((s) => s !== stepId));
      frontier = lastWasEnd ? [...frontier.filter((s) => s !== stepId), stepId] : [stepId];
      lastWasEnd = true;
    }
  }
  return [...needs].map(([id, n]) => ({ id, needs: n }));
}

/** Adds steps the graph does not know yet (seen only in records) after the known ones, in order. */
export function withSteps(steps: StepNeeds[], ids: Iterable<string>): StepNeeds[] {
  const known = new Set(steps.map((s) => s.id));
  const out = [...steps];
  for (const id of ids) {
    if (known.has(id)) continue;
    known.add(id);
    out.push({ id, needs: [] });
  }
  return out;
}
