// The Graph region: the run's steps and their `needs`, laid out by dagre, each coloured by its status at the
// selected snapshot (the newest one when none is selected). A click on a step selects its last snapshot.
import { Background, Controls, Position, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import type { StepStatus } from '../../../src-main/shared/snapshot';
import { EmptyState, Panel } from '../../ui/Panel';
import { useInspector } from '../inspector/inspectorStore';
import { selectStepSnapshot } from '../timeline/stepSelection';
import { useTimeline } from '../timeline/timelineStore';
import { useRunSteps } from '../versions/runVersionStore';
import { layoutSteps, NODE_HEIGHT, NODE_WIDTH } from './graphLayout';
import './GraphPanel.css';

export function GraphPanel() {
  const runId = useTimeline((s) => s.runId);
  const latest = useTimeline((s) => s.latest);
  const inspected = useInspector((s) => s.doc);
  const steps = useRunSteps();
  const doc = inspected && inspected.runId === runId ? inspected : latest;
  const placed = useMemo(() => (steps ? layoutSteps(steps) : []), [steps]);

  const nodes = useMemo<Node[]>(
    () =>
      placed.map((p) => {
        const step = steps!.find((s) => s.id === p.id)!;
        const status: StepStatus = doc?.steps[p.id]?.status ?? 'pending';
        const current = doc?.stepId === p.id;
        return {
          id: p.id,
          position: { x: p.x, y: p.y },
          width: NODE_WIDTH,
          height: NODE_HEIGHT,
          sourcePosition: Position.Right,
          targetPosition: Position.Left,
          draggable: false,
          connectable: false,
          className: `graph-node graph-node--${status}${current ? ' is-current' : ''}`,
          data: {
            label: (
              <button type="button" className="graph-node__button" aria-label={`Step ${p.id} ${status}`}>
                <span className="graph-node__id">{p.id}</span>
                <span className="graph-node__meta">
                  {status}
                  {step.effect ? ' · effect' : ''}
                  {(doc?.steps[p.id]?.attempts ?? 0) > 1 ? ` · ×${doc!.steps[p.id].attempts}` : ''}
                </span>
              </button>
            ),
          },
        };
      }),
    [placed, steps, doc],
  );
  const edges = useMemo<Edge[]>(
    () => (steps ?? []).flatMap((s) => s.needs.map((need) => ({ id: `${need}->${s.id}`, source: need, target: s.id, animated: doc?.steps[s.id]?.status === 'running' }))),
    [steps, doc],
  );

  const detail = doc ? `at #${doc.seq}` : undefined;
  return (
    <Panel name="Graph" detail={detail} className="graph-panel">
      {!runId ? (
        <EmptyState>Select a run to see its steps as a graph</EmptyState>
      ) : !steps ? (
        <EmptyState>Loading the workflow’s steps…</EmptyState>
      ) : (
        <ReactFlow
          nodes={nodes}
          edges={edges}
          fitView
          fitViewOptions={{ padding: 0.15 }}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          onNodeClick={(_event, node) => void selectStepSnapshot(node.id)}
          proOptions={{ hideAttribution: true }}
          minZoom={0.2}
          colorMode="system"
        >
          <Background gap={16} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      )}
    </Panel>
  );
}
