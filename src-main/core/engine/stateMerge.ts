// Parallel steps each get the state as it was when they started. Their changes are merged key by key at
// the top level: keys a step set or deleted are applied to the run's current state; a key two parallel
// steps both changed ends with the value of the step that completed last.
import type { Json } from '../../shared/snapshot';

export function mergeState(current: Record<string, Json>, before: Record<string, Json>, after: Record<string, Json>): Record<string, Json> {
  const out = { ...current };
  for (const key of Object.keys(after)) {
    if (!(key in before) || JSON.stringify(before[key]) !== JSON.stringify(after[key])) out[key] = after[key];
  }
  for (const key of Object.keys(before)) if (!(key in after)) delete out[key];
  return out;
}
