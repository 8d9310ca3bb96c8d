// What the person can do to a run: pause, resume, cancel, retry it, or fork it from one snapshot; and run a named
// snapshot.
// Runs they create are selected, as after Run; every failure lands in the error bar.
import type { ReplayReport, RetryOptions, RunSummary } from '@shared/api';
import type { Json } from '@shared/snapshot';
import { importedCodeConsentAskedBy, studio } from '../../lib/studio';
import { useDiff } from '../diff/diffStore';
import { attempt } from '../../lib/attempt';
import { runById, useRuns } from '../runs/runsStore';
import { selectRun } from '../../app/selection';
import { needsImportedCodeConsent, useImportedCodeConsent } from './importedCodeConsent';

async function update(action: string, call: () => Promise<RunSummary>): Promise<void> {
  const run = await attempt(action, call);
  if (run) useRuns.getState().upsert(run);
}

/** Runs a call that creates a run (null: the person called it off) and selects the new run. */
async function create(action: string, call: () => Promise<RunSummary | null>): Promise<void> {
  const run = await attempt(action, call);
  if (!run) return;
  useRuns.getState().upsert(run);
  selectRun(run.id);
}

export const pauseRun = (runId: string) => update('Could not pause the run', () => studio().pause(runId));
export const resumeRun = (runId: string) => update('Could not resume the run', () => studio().resume(runId));
export const cancelRun = (runId: string) => update('Could not cancel the run', () => studio().cancel(runId));
/**
 * Starts a run from an existing one (retry, fork). With the original version of a run whose code came with an
 * import, the core refuses until the person consents — in the window's dialog in browser mode, in the desktop
 * app's own dialog when the consent is requested — and the core's one-time consent is spent by the same call again.
 */
async function withImportedCodeConsent(runId: string, start: (consent?: string) => Promise<RunSummary>): Promise<RunSummary | null> {
  try {
    return await start();
  } catch (err) {
    if (!needsImportedCodeConsent(err)) throw err;
    if (importedCodeConsentAskedBy() === 'window') {
      const run = runById(useRuns.getState().runs, runId) ?? (await studio().getRun(runId));
      if (!(await useImportedCodeConsent.getState().ask(run))) return null;
    }
    let consent: string;
    try {
      ({ consent } = await studio().consentToImportedCode(runId));
    } catch (declined) {
      // The desktop app's own dialog answered Cancel: nothing to report.
      if (/E_CONSENT_DECLINED/.test(String((declined as { code?: string }).code ?? (declined as Error).message))) return null;
      throw declined;
    }
    return start(consent);
  }
}

export const retryRun = (runId: string, version: RetryOptions['version'], config?: Json) =>
  create('Could not retry the run', () =>
    withImportedCodeConsent(runId, (consent) =>
      studio().retry(runId, { version, ...(config === undefined ? {} : { config }), ...(consent ? { importedCodeConsent: consent } : {}) }),
    ),
  );
export const resumeWithSignal = (runId: string, signal: string, payload: Json) =>
  update(`Could not resume the run with signal "${signal}"`, () => studio().resume(runId, { signal, payload }));
export const forkRun = (runId: string, seq: number) =>
  create(`Could not fork the run from #${seq}`, () =>
    withImportedCodeConsent(runId, (consent) => studio().fork(runId, seq, consent ? { importedCodeConsent: consent } : {})),
  );
export const runNamedSnapshot = (name: string) =>
  create(`Could not run the named snapshot "${name}"`, () => studio().runNamedSnapshot({ name }));

/**
 * Replays a recorded run against the local workflow of the same id, then compares the two runs side by side
 * (the recording's last snapshot with the replay's) in the Diff. Resolves with the report to show.
 */
export async function replayRun(run: RunSummary): Promise<ReplayReport | null> {
  const result = await attempt('Could not replay the run', () => studio().replay({ runIds: [run.id] }));
  const report = result?.runs[0];
  if (!report?.replayRunId) return report ?? null;
  const replayId = report.replayRunId;
  const replay = await attempt('Could not read the replay', () => studio().getRun(replayId));
  if (!replay) return report;
  useRuns.getState().upsert(replay);
  void useDiff.getState().compare({ runId: run.id, seq: run.lastSeq }, { runId: replay.id, seq: replay.lastSeq });
  return report;
}
