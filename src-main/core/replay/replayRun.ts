// Replay: an imported (or any) run's input and config run through the local workflow of the same id, as a
// run of its own linked to the original, then compared with the recording step by step.
import type { ImportOptions, ImportSummary, ReplayOptions, ReplayReport, ReplayResult } from '../../shared/api';
import { StudioError } from '../../shared/errors';
import type { Json } from '../../shared/snapshot';
import type { ImportOutcome } from '../exchange/importer';
import type { RunParts } from '../runs/starts';
import { compareRuns } from './compare';
import { replayPlan } from './plan';
import { badConfigMessage, comparisonMessage, noLocalWorkflowMessage, unfinishedNote } from './report';
import { stateChangesOf } from './stateChanges';

export interface ReplayParts extends RunParts {
  importFiles(options: ImportOptions): Promise<ImportOutcome>;
}

export async function replay(parts: ReplayParts, options: ReplayOptions): Promise<ReplayResult> {
  let runIds = options.runIds ?? [];
  let imported: ImportSummary | undefined;
  if (options.files) {
    const { runIds: _added, seenRunIds, extendedRunIds: _extended, ...summary } = await parts.importFiles({ files: options.files, format: options.format });
    imported = summary;
    runIds = seenRunIds;
  }
  // Every run named must exist before any replay starts.
  for (const id of runIds) await parts.store.read.getRunSummary(id);
  const runs: ReplayReport[] = [];
  for (const id of runIds) runs.push(await replayOne(parts, id, options.liveEffects === true));
  return { runs, diverged: runs.filter((r) => r.outcome !== 'identical').length, ...(imported ? { imported } : {}) };
}

async function replayOne({ store, versions, workers, runs }: ReplayParts, runId: string, liveEffects: boolean): Promise<ReplayReport> {
  const original = await store.read.getRun(runId);
  const recorded = await store.read.latestSnapshot(runId);
  const report: ReplayReport = { runId, workflowId: original.workflowId, outcome: 'not-replayed', missingSteps: [], addedSteps: [], compared: 0, recordedEffects: [], message: '' };
  if (!recorded) return { ...report, message: `run ${runId} has no snapshots to replay` };
  const workflow = versions.local(original.workflowId);
  if (!workflow) return { ...report, message: noLocalWorkflowMessage(original.workflowId, versions.dir, recorded) };
  let config: Json;
  try {
    config = await workers.parseConfig(workflow, original.config);
  } catch (err) {
    if (!(err instanceof StudioError)) throw err;
    return { ...report, workflowVersion: workflow.summary.version, message: badConfigMessage(err.message) };
  }
  const plan = replayPlan(recorded, workflow.summary.steps, liveEffects);
  const recordedEffects = [...plan.effects.keys()];
  const started = await runs.begin(workflow, {
    input: original.input,
    config,
    origin: 'replay',
    replayOf: runId,
    metadata: { replay: { of: runId, liveEffects }, recordedEffects },
  });
  await runs.waitForRun(started.id);
  const replayed = (await store.read.latestSnapshot(started.id))!;
  const comparison = compareRuns(recorded, replayed, { recorded: await stateChangesOf(store.read, runId), replayed: await stateChangesOf(store.read, started.id) });
  const note = unfinishedNote(replayed);
  // It waits for a signal the recording never received: nothing would ever continue it.
  if (replayed.status === 'waiting') await runs.stop(started.id, 'cancel');
  return {
    ...report,
    ...comparison,
    outcome: comparison.firstDivergence ? 'diverged' : 'identical',
    replayRunId: started.id,
    workflowVersion: workflow.summary.version,
    status: { recorded: recorded.status, replayed: replayed.status },
    recordedEffects,
    message: comparisonMessage(comparison, recordedEffects) + note,
  };
}
