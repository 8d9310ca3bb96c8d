// `retry`: a new run linked to this one, with the latest or the original version, from the start or a step.
import type { RetryOptions } from '../../shared/api';
import { parseJsonArg } from '../args';
import { stringOption, type Command } from '../command';
import { consentAfterWarning, finishRun } from '../runOutcome';

/** `--version latest|original`, as given: the contract's schema refuses any other value. */
export const versionOption = (value: string | undefined) => value as RetryOptions['version'] | undefined;

export const retry: Command = {
  usage: 'retry <runId> [--version latest|original] [--config JSON|@file] [--from-step ID]',
  summary: 'run again as a new run linked to this one; returns when it ends',
  options: { version: { type: 'string' }, config: { type: 'string' }, 'from-step': { type: 'string' }, 'allow-imported-code': { type: 'boolean' } },
  optionsHelp: `  --version latest|original  the workspace's current version (default) or the one the run used
  --config JSON|@file        replaces the run's configuration
  --from-step ID             reuse the steps that ID does not depend on, as recorded
  --allow-imported-code      with --version original of an imported run: run the code that came with the import`,
  positionals: [1, 1],
  workspace: true,
  async run(ctx) {
    const runId = await ctx.runId(ctx.positionals[0]);
    const options: RetryOptions = { version: versionOption(stringOption(ctx, 'version')) ?? 'latest' };
    const config = parseJsonArg('config', stringOption(ctx, 'config'));
    const fromStep = stringOption(ctx, 'from-step');
    if (config !== undefined) options.config = config;
    if (fromStep !== undefined) options.fromStep = fromStep;
    if (ctx.values['allow-imported-code']) options.importedCodeConsent = await consentAfterWarning(ctx.call, runId, options.version === 'original');
    return finishRun(ctx, await ctx.call('retry', runId, options));
  },
};
