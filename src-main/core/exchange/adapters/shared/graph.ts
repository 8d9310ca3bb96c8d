// The step graph of a foreign run when its format records no graph: derived from the order in which
// steps started and ended. A step needs the steps that ended last before it started; steps started
// together (no end between them) share those needs, so parallel branches come out as parallel.
import type { Json } from '../../../../shared/snapshot';
import type { ImportedWorkflow } from '../../types';
import { isObject, own } from './fields';

export type OrderEvent = { stepId: string; phase: 'start' | 'end' };

export function needsFromOrder(events: OrderEvent[]): ImportedWorkflow['steps'] {
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
export function withSteps(steps: ImportedWorkflow['steps'], ids: Iterable<string>): ImportedWorkflow['steps'] {
  const known = new Set(steps.map((s) => s.id));
  const out = [...steps];
  for (const id of ids) {
    if (known.has(id)) continue;
    known.add(id);
    out.push({ id, needs: [] });
  }
  return out;
}

/** The step ids of one flow entry as Mastra and KaibanJS serialize them: step, parallel, conditional, loop, foreach, sleep. */
function entrySteps(entry: Json): string[] {
  if (!isObject(entry)) return [];
  const step = own(entry, 'step');
  if (isObject(step) && typeof own(step, 'id') === 'string') return [own(step, 'id') as string];
  const steps = own(entry, 'steps');
  if (Array.isArray(steps)) return steps.flatMap(entrySteps);
  const id = own(entry, 'id');
  return typeof id === 'string' ? [id] : [];
}

/** A list of flow entries runs in order: the steps of an entry need every step of the entry before it. */
export function graphFromFlow(entries: Json[]): ImportedWorkflow['steps'] {
  const out: ImportedWorkflow['steps'] = [];
  let previous: string[] = [];
  for (const entry of entries) {
    const ids = entrySteps(entry).filter((id) => !out.some((s) => s.id === id));
    for (const id of ids) out.push({ id, needs: previous });
    if (ids.length > 0) previous = ids;
  }
  return out;
}
