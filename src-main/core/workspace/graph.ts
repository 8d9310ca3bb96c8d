// Checks a workflow's step graph: every `needs` names a step, and there is no cycle.
import type { WorkflowStep } from '../../shared/api';

export function stepGraphProblem(workflowId: string, steps: WorkflowStep[]): string | null {
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
