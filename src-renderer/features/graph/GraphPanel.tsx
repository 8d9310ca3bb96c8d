// The Graph region: the run's steps and their `needs`, laid out by dagre, each coloured by its status at the
// selected snapshot (the newest one when none is selected). A click on a step selects its last snapshot.
// A looping step has an arc to itself with its loop kind and the iteration it is at.
import { Background, Controls, MarkerType, Position, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import type { WorkflowStep } from '@shared/api';
import { TERMINAL_STATUSES, type SnapshotDocument, type StepStatus } from '@shared/snapshot';
import { EmptyState, Panel } from '../../ui/Panel';
import { useInspector } from '../inspector/inspectorStore';
import { selectStepSnapshot } from '../../app/selection';
import { useTimeline } from '../timeline/timelineStore';
import { useRunSteps } from '../versions/shownVersion';
import { layoutSteps, NODE_HEIGHT, NODE_WIDTH } from './graphLayout';
import { LoopEdge, type LoopEdgeType } from './LoopEdge';
import './GraphPanel.css';

const edgeTypes = { loop: LoopEdge };

/**
 * The version's steps, plus any step the snapshot records that the version does not list (an imported run's
 * graph can be partial), so every recorded step is drawn; `needs` naming no drawn step are left out.
 */
export function drawnSteps(steps: WorkflowStep[], doc: Pick<SnapshotDocument, 'steps'> | null): WorkflowStep[] {
  const known = new Set(steps.map((s) => s.id));
  const extra = Object.keys(doc?.steps ?? {}).filter((id) => !known.has(id));
  const all = [...steps, ...extra.map((id) => ({ id, needs: [], effect: false, hasWhen: false }))];
  const ids = new Set(all.map((s) => s.id));
  return all.map((s) => (s.needs.every((n) => ids.has(n)) ? s : { ...s, needs: s.needs.filter((n) => ids.has(n)) }));
}

/** What a step node says: its status, or "not-run" for a step still pending once the run has stopped (ended, or a step failed). */
export function nodeStatus(doc: Pick<SnapshotDocument, 'status' | 'steps'> | null, stepId: string): StepStatus | 'not-run' {
  const status = doc?.steps[stepId]?.status ?? 'pending';
  if (status !== 'pending' || !doc) return status;
  const stopped = TERMINAL_STATUSES.includes(doc.status) || Object.values(doc.steps).some((s) => s.status === 'failed');
  return stopped ? 'not-run' : status;
}

/** The iteration a looping step is at: from the record (absent on the first), none before it started. */
function iterationOf(doc: SnapshotDocument | null, stepId: string): number | null {
  const record = doc?.steps[stepId];
  if (!record || record.status === 'pending' || record.status === 'skipped') return null;
  return record.iteration ?? 1;
}

export function GraphPanel() {
  const runId = useTimeline((s) => s.runId);
  const latest = useTimeline((s) => s.latest);
  const inspected = useInspector((s) => s.doc);
  const versionSteps = useRunSteps();
  const doc = inspected && inspected.runId === runId ? inspected : latest;
  const recorded = Object.keys(doc?.steps ?? {}).join('\n');
  // Laid out again only when the set of recorded steps changes, not at every snapshot.
  const steps = useMemo(() => (versionSteps ? drawnSteps(versionSteps, doc) : undefined), [versionSteps, recorded]);
  const placed = useMemo(() => (steps ? layoutSteps(steps) : []), [steps]);

  const nodes = useMemo<Node[]>(
    () =>
      placed.map((p) => {
        const step = steps!.find((s) => s.id === p.id)!;
        const status = nodeStatus(doc, p.id);
        const shown = status.replace('-', ' ');
        const current = doc?.stepId === p.id;
        const iteration = step.loop ? iterationOf(doc, p.id) : null;
        const loopText = step.loop ? `, loops ${step.loop}${iteration ? `, iteration ${iteration}` : ''}` : '';
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
              <button type="button" className="graph-node__button" aria-label={`Step ${p.id} ${shown}${loopText}`}>
                <span className="graph-node__id">{p.id}</span>
                <span className="graph-node__meta">
                  {shown}
                  {step.effect ? ' · effect' : ''}
                  {(doc?.steps[p.id]?.attempts ?? 0) > 1 ? ` · ×${doc!.steps[p.id].attempts}` : ''}
                  {step.loop && (
                    <span className="graph-node__loop" title={`Loops ${step.loop} its condition holds${iteration ? `; iteration ${iteration} at this snapshot` : ''}`}>
                      {' · ↻'}
                      {iteration ?? ''}
                    </span>
                  )}
                </span>
              </button>
            ),
          },
        };
      }),
    [placed, steps, doc],
  );
  const edges = useMemo<Edge[]>(
    () =>
      (steps ?? []).flatMap((s) => {
        const running = doc?.steps[s.id]?.status === 'running';
        const needs: Edge[] = s.needs.map((need) => ({ id: `${need}->${s.id}`, source: need, target: s.id, animated: running }));
        if (!s.loop) return needs;
        const loop: LoopEdgeType = {
          id: `${s.id}->${s.id}`,
          type: 'loop',
          source: s.id,
          target: s.id,
          animated: running,
          markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14 },
          data: { kind: s.loop, iteration: iterationOf(doc, s.id) },
        };
        return [...needs, loop];
      }),
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
          edgeTypes={edgeTypes}
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
