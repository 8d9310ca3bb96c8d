// How a command that ran a run ends: the run's id and status on stdout, where and why it failed on stderr, and
// the exit code (1 when it failed or was cancelled; paused and waiting are no failure).
import type { RunSummary } from '../shared/api';
import { firstUserFrame, frameLocation } from '../shared/stackFrames';
import { failureLine, firstLine } from '../shared/stepOutcome';
import type { Call, Ctx } from './command';

/** Waits for the run the command started (or resumed), then reports it. */
export async function finishRun(ctx: Ctx, started: RunSummary): Promise<number> {
  const run = await (await ctx.service()).waitForRun(started.id);
  if (ctx.json) ctx.out(JSON.stringify({ runId: run.id, status: run.status }));
  else ctx.out(`run ${run.id} ${run.status} (${run.snapshotCount} snapshots)`);
  if (run.status === 'failed') process.stderr.write(`${await failureOf(ctx.call, run)}\n`);
  return run.status === 'completed' || run.status === 'paused' || run.status === 'waiting' ? 0 : 1;
}

/** Reports a run handed to a worker: its id and status now, exit 0. */
export function detached(ctx: Ctx, run: RunSummary): number {
  if (ctx.json) ctx.out(JSON.stringify({ runId: run.id, status: run.status, detached: true }));
  else ctx.out(`run ${run.id} ${run.status}, left to a worker (snapshot-studio worker)`);
  return 0;
}

/**
 * Why a run failed, as the run header says it, with the user's frame that threw:
 * "failed at charge: card declined for 120 EUR (payment-fails.workflow.ts:20:15)".
 */
async function failureOf(call: Call, run: RunSummary): Promise<string> {
  const { failure, error } = await call('getRun', run.id);
  if (!failure) return `failed: ${error ? firstLine(error.message) : 'no error recorded'}`;
  const stack = (await call('getSnapshot', run.id, failure.seq ?? run.lastSeq)).steps[failure.stepId]?.error?.stack;
  const frame = firstUserFrame(stack);
  return `${failureLine(failure)}${frame ? ` (${frameLocation(frame)})` : ''}`;
}

/**
 * With --allow-imported-code and the original version of a run whose version came with an import: shows the
 * core's warning on stderr, then gives the one-time consent it issued (undefined for any other version).
 */
export async function consentAfterWarning(call: Call, runId: string, original: boolean): Promise<string | undefined> {
  if (!original) return undefined;
  const run = await call('getRun', runId);
  if ((await call('getVersion', run.workflowVersion)).why !== 'imported') return undefined;
  const given = await call('consentToImportedCode', runId);
  process.stderr.write(`warning: ${given.warning}\n`);
  return given.consent;
}
