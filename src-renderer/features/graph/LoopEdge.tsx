// A looping step's edge to itself: an arc over the node from its right side back to its left, labelled with
// the loop's kind (while / until) and, once the step has run, the iteration at the selected snapshot.
import { BaseEdge, EdgeLabelRenderer, type Edge, type EdgeProps } from '@xyflow/react';
import { NODE_HEIGHT } from './graphLayout';

export type LoopEdgeData = { kind: 'while' | 'until'; iteration: number | null };
export type LoopEdgeType = Edge<LoopEdgeData, 'loop'>;

/** Height of the arc above the node's middle. */
export const LOOP_RISE = NODE_HEIGHT + 8;

export function LoopEdge({ id, sourceX, sourceY, targetX, targetY, data, markerEnd, animated }: EdgeProps<LoopEdgeType>) {
  const top = Math.min(sourceY, targetY) - LOOP_RISE;
  const path = `M ${sourceX} ${sourceY} C ${sourceX + 34} ${top}, ${targetX - 34} ${top}, ${targetX} ${targetY}`;
  const label = `↻ ${data?.kind ?? 'loop'}${data?.iteration ? ` · ${data.iteration}` : ''}`;
  return (
    <>
      <BaseEdge id={id} path={path} markerEnd={markerEnd} className={`graph-loop-edge${animated ? ' is-running' : ''}`} />
      <EdgeLabelRenderer>
        <span className="graph-loop-label nodrag nopan" style={{ transform: `translate(-50%, -50%) translate(${(sourceX + targetX) / 2}px, ${top + 8}px)` }}>
          {label}
        </span>
      </EdgeLabelRenderer>
    </>
  );
}
