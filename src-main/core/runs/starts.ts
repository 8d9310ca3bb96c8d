// How a run starts: fresh from the workspace, as a retry of another run (whole, or from one step on), or
// as a fork of any snapshot (with state and config optionally edited first, recorded as an `edited` snapshot).
import type { ForkOptions, RetryOptions, RunSummary, StartRunOptions } from '../../shared/api';
import { StudioError } from '../../shared/errors';
import type { SnapshotDocument, StepRecord } from '../../shared/snapshot';
import { downstreamOf, graphOf, type StepGraph } from '../engine/stepGraph';
import type { SnapshotStore } from '../store/contract';
import type { VersionRegistry } from '../versions/registry';
import type { EditEvent, RunLifecycle } from './lifecycle';
import type { WorkerCache } from './workerCache';

/** The parts of core a new run is made with: named snapshots and replays start runs through them too. */
export interface RunParts {
  store: SnapshotStore;
  versions: VersionRegistry;
  workers: WorkerCache;
  runs: RunLifecycle;
}

const now = () => new Date().toISOString();

/** The steps a retry from `fromStep` reuses: those done in the last snapshot that do not depend on it. */
export function retryKeeps(graph: StepGraph, last: SnapshotDocument, fromStep: string): Record<string, StepRecord> {
  const rerun = downstreamOf(graph, fromStep);
  const steps: Record<string, StepRecord> = {};
  for (const id of Object.keys(graph)) {
    const recorded = last.steps[id];
    if (!rerun.has(id) && recorded && (recorded.status === 'completed' || recorded.status === 'skipped')) steps[id] = recorded;
  }
  return steps;
}

/** The steps a fork reuses: those done in the snapshot it starts from. */
export function forkKeeps(graph: StepGraph, source: SnapshotDocument): Record<string, StepRecord> {
  const steps: Record<string, StepRecord> = {};
  for (const id of Object.keys(graph)) {
    const s = source.steps[id];
    if (s && (s.status === 'completed' || s.status === 'skipped')) steps[id] = s;
  }
  return steps;
}

export async function startRun({ versions, workers, runs }: RunParts, workflowId: string, options: StartRunOptions): Promise<RunSummary> {
  const workflow = versions.latest(workflowId);
  const config = await workers.parseConfig(workflow, options.config);
  return runs.begin(workflow, { input: options.input ?? null, config, origin: 'local' }, undefined, options.detach === true);
}

export async function retry({ store, versions, workers, runs }: RunParts, runId: string, options: RetryOptions): Promise<RunSummary> {
  const original = await store.read.getRun(runId);
  const workflow = options.version === 'original' ? await versions.stored(original.workflowVersion, { consent: options.importedCodeConsent }) : versions.latest(original.workflowId);
  const config = await workers.parseConfig(workflow, options.config ?? original.config);
  if (!options.fromStep) return runs.begin(workflow, { input: original.input, config, origin: 'local', retryOf: runId, metadata: await versions.consentOf(workflow) });
  const graph = graphOf(workflow.summary.steps);
  if (!graph[options.fromStep]) {
    throw new StudioError('E_BAD_ARGUMENT', `retry: options.fromStep: workflow "${original.workflowId}" has no step "${options.fromStep}" (steps: ${Object.keys(graph).join(', ')})`);
  }
  const last = await store.read.latestSnapshot(runId);
  if (!last) throw new StudioError('E_NO_SNAPSHOT', `run ${runId} has no snapshots to retry from`);
  const steps = retryKeeps(graph, last, options.fromStep);
  // The state the step saw when it first started; the final state when it never started.
  const seq = await store.read.findSnapshotSeq(runId, 'step-started', options.fromStep);
  const state = seq ? (await store.read.getSnapshot(runId, seq)).state : last.state;
  return runs.begin(workflow, { input: original.input, config, origin: 'local', retryOf: runId, steps, state, metadata: { retryFromStep: options.fromStep, ...(await versions.consentOf(workflow)) } });
}

export async function fork({ store, versions, workers, runs }: RunParts, runId: string, seq: number, options: ForkOptions): Promise<RunSummary> {
  const source = await store.read.getSnapshot(runId, seq);
  const workflow = options.version === 'latest' ? versions.latest(source.workflowId) : await versions.stored(source.workflowVersion, { consent: options.importedCodeConsent });
  const steps = forkKeeps(graphOf(workflow.summary.steps), source);
  const config = options.config !== undefined ? await workers.parseConfig(workflow, options.config) : source.config;
  const edit: EditEvent | undefined =
    options.state !== undefined || options.config !== undefined
      ? { type: 'edited', at: now(), ...(options.state !== undefined ? { state: options.state } : {}), ...(options.config !== undefined ? { config } : {}), note: 'edited before fork' }
      : undefined;
  return runs.begin(
    workflow,
    { input: source.input, config: source.config, origin: 'local', forkedFrom: runId, steps, state: source.state, metadata: { forkedFrom: { runId, seq }, ...(await versions.consentOf(workflow)) } },
    edit,
  );
}
