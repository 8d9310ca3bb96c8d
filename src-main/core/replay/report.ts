// The words of a replay report: why a run was not replayed, where it diverged, or that it was identical.
import type { Json, SnapshotDocument } from '../../shared/snapshot';
import { startOrder, type RunComparison } from './compare';

/** No local workflow of the recorded id: what file to add so the run can be replayed. */
export function noLocalWorkflowMessage(workflowId: string, workspaceDir: string, recorded: SnapshotDocument): string {
  const steps = startOrder(recorded).slice(0, 8);
  return (
    `no local workflow with id "${workflowId}" in ${workspaceDir}: add a file such as ${workflowId}.workflow.ts there that ` +
    `default-exports defineWorkflow({ id: '${workflowId}', steps: { ${steps.map((s) => `${/^[A-Za-z_$][\w$]*$/.test(s) ? s : JSON.stringify(s)}: { run: ... }`).join(', ')} } }), then replay again`
  );
}

export function badConfigMessage(reason: string): string {
  return `the recorded config does not fit the local workflow: ${reason}`;
}

/** What became of a replay that did not end on its own: waiting for a signal (then cancelled), paused or cancelled. */
export function unfinishedNote(replayed: SnapshotDocument): string {
  if (replayed.status === 'waiting') {
    const awaited = replayed.cursor.waiting.map((w) => `"${w.signal}" (step ${w.stepId})`).join(', ');
    return `; the replay waited for ${awaited}, which the recording never received, and was cancelled`;
  }
  if (replayed.status === 'paused' || replayed.status === 'cancelled') {
    return `; the replay was ${replayed.status} before it ended${replayed.status === 'paused' ? ': resume it, then compare the two runs' : ''}`;
  }
  return '';
}

/** The first divergence (step, field, path, both values) and the steps missing or added; or "identical". */
export function comparisonMessage(comparison: RunComparison, recordedEffects: string[]): string {
  const d = comparison.firstDivergence;
  const shown = (v: Json | undefined) => (v === undefined ? '(absent)' : JSON.stringify(v).slice(0, 200));
  return d
    ? `diverged at step ${d.stepId}, ${d.field === d.path ? d.field : `${d.field} ${d.path || '(whole)'}`}: recorded ${shown(d.recorded)}, replayed ${shown(d.replayed)}` +
        (comparison.missingSteps.length ? `; missing steps: ${comparison.missingSteps.join(', ')}` : '') +
        (comparison.addedSteps.length ? `; added steps: ${comparison.addedSteps.join(', ')}` : '')
    : `identical: ${comparison.compared} step(s) compared (status, output, state)${recordedEffects.length ? `, ${recordedEffects.length} effect(s) from the recording (${recordedEffects.join(', ')})` : ''}`;
}
