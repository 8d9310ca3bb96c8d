// Lays a workflow's steps out left to right with dagre: each step a box, each `needs` an edge into it.
import { Graph, layout } from '@dagrejs/dagre';
import type { WorkflowStep } from '@shared/api';

export const NODE_WIDTH = 140;
export const NODE_HEIGHT = 34;

export interface PlacedStep {
  id: string;
  x: number;
  y: number;
}

export function layoutSteps(steps: WorkflowStep[]): PlacedStep[] {
  const g = new Graph();
  // A looping step's arc rises above its node: leave room for it.
  const loops = steps.some((s) => s.loop);
  g.setGraph({ rankdir: 'LR', nodesep: loops ? 44 : 18, ranksep: 48, marginx: 12, marginy: loops ? 40 : 12 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const s of steps) g.setNode(s.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  for (const s of steps) for (const need of s.needs) if (g.hasNode(need)) g.setEdge(need, s.id);
  layout(g);
  return steps.map((s) => {
    const n = g.node(s.id);
    return { id: s.id, x: n.x - NODE_WIDTH / 2, y: n.y - NODE_HEIGHT / 2 };
  });
}
