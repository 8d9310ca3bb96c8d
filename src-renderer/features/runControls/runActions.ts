// What the person can do to a run: pause, resume, cancel, retry it, or fork it from one snapshot.
// Runs they create are selected, as after Run; every failure lands in the error bar.
import type { RetryOptions, RunSummary } from '../../../src-main/shared/api';
import type { Json } from '../../../src-main/shared/snapshot';
import { studio } from '../../lib/studio';
import { attempt } from '../errors/errorStore';
import { useRuns } from '../runs/runsStore';

async function update(action: string, call: () => Promise<RunSummary>): Promise<void> {
  const run = await attempt(action, call);
  if (run) useRuns.getState().upsert(run);
}

async function create(action: string, call: () => Promise<RunSummary>): Promise<void> {
  const run = await attempt(action, call);
  if (!run) return;
  useRuns.getState().upsert(run);
  useRuns.getState().select(run.id);
}

export const pauseRun = (runId: string) => update('Could not pause the run', () => studio().pause(runId));
export const resumeRun = (runId: string) => update('Could not resume the run', () => studio().resume(runId));
export const cancelRun = (runId: string) => update('Could not cancel the run', () => studio().cancel(runId));
export const retryRun = (runId: string, version: RetryOptions['version'], config?: Json) =>
  create('Could not retry the run', () => studio().retry(runId, config === undefined ? { version } : { version, config }));
export const resumeWithSignal = (runId: string, signal: string, payload: Json) =>
  update(`Could not resume the run with signal "${signal}"`, () => studio().resume(runId, { signal, payload }));
export const forkRun = (runId: string, seq: number) =>
  create(`Could not fork the run from #${seq}`, () => studio().fork(runId, seq, {}));
