// `fork`: a new run continuing from one snapshot, its state or config optionally edited first.
import type { ForkOptions } from '../../shared/api';
import { parseJsonArg } from '../args';
import { stringOption, type Command } from '../command';
import { consentAfterWarning, finishRun } from '../runOutcome';
import { versionOption } from './retry';

export const fork: Command = {
  usage: 'fork <runId>:<seq> [--state JSON|@file] [--config JSON|@file] [--version latest|original]',
  summary: 'start a new run from one snapshot, optionally with edited state or config; returns when it ends',
  options: { state: { type: 'string' }, config: { type: 'string' }, version: { type: 'string' }, 'allow-imported-code': { type: 'boolean' } },
  optionsHelp: `  --state JSON|@file         replaces the snapshot's state (stored as an "edited" snapshot)
  --config JSON|@file        replaces the configuration
  --version latest|original  the workflow version to continue with (default original)
  --allow-imported-code      with the original version of an imported run: run the code that came with the import`,
  positionals: [1, 1],
  workspace: true,
  async run(ctx) {
    const ref = await ctx.snapshotRef(ctx.positionals[0], 'the snapshot');
    const options: ForkOptions = {};
    const state = parseJsonArg('state', stringOption(ctx, 'state'));
    const config = parseJsonArg('config', stringOption(ctx, 'config'));
    const version = versionOption(stringOption(ctx, 'version'));
    // The contract's schema refuses a state that is not a JSON object.
    if (state !== undefined) options.state = state as ForkOptions['state'];
    if (config !== undefined) options.config = config;
    if (version !== undefined) options.version = version;
    if (ctx.values['allow-imported-code']) options.importedCodeConsent = await consentAfterWarning(ctx.call, ref.runId, version !== 'latest');
    return finishRun(ctx, await ctx.call('fork', ref.runId, ref.seq, options));
  },
};
