// The step graph of a Mastra or KaibanJS record that serializes its flow: a list of entries (step,
// parallel, conditional, loop, foreach, sleep) that run in order.
import type { Json } from '../../../../shared/snapshot';
import type { StepNeeds } from '../../../engine/stepGraph';
import { isObject, own } from './fields';

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
export function graphFromFlow(entries: Json[]): StepNeeds[] {
  const out: StepNeeds[] = [];
  let previous: string[] = [];
  for (const entry of entries) {
    const ids = entrySteps(entry).filter((id) => !out.some((s) => s.id === id));
    for (const id of ids) out.push({ id, needs: previous });
    if (ids.length > 0) previous = ids;
  }
  return out;
}
