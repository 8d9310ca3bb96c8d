// `run`: starts a workflow and returns when the run ends.
import type { StartRunOptions } from '../../shared/api';
import { parseJsonArg } from '../args';
import { stringOption, type Command } from '../command';
import { detached, finishRun } from '../runOutcome';

export const run: Command = {
  usage: 'run <workflowId> [--input JSON|@file] [--config JSON|@file] [--detach]',
  summary: 'run a workflow and return when the run ends (exit 1 when it failed)',
  options: { input: { type: 'string' }, config: { type: 'string' }, detach: { type: 'boolean' } },
  optionsHelp: `  --input JSON|@file   the run's input
  --config JSON|@file  the run's configuration, checked against the workflow's config schema
  --detach             leave the run to a worker (snapshot-studio worker on the same database) and return at once`,
  positionals: [1, 1],
  workspace: true,
  async run(ctx) {
    const options: StartRunOptions = {};
    const input = parseJsonArg('input', stringOption(ctx, 'input'));
    const config = parseJsonArg('config', stringOption(ctx, 'config'));
    if (input !== undefined) options.input = input;
    if (config !== undefined) options.config = config;
    if (ctx.values.detach) return detached(ctx, await ctx.call('startRun', ctx.positionals[0], { ...options, detach: true }));
    return finishRun(ctx, await ctx.call('startRun', ctx.positionals[0], options));
  },
};
