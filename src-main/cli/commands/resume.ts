// `resume`: continues a paused or waiting run, or one a dead process left unfinished; returns when it stops.
import type { ResumeOptions } from '../../shared/api';
import { parseJsonArg, UsageError } from '../args';
import { stringOption, type Command } from '../command';
import { detached, finishRun } from '../runOutcome';

export const resume: Command = {
  usage: 'resume <runId> [--signal NAME --payload JSON|@file] [--detach]',
  summary: 'continue a paused or waiting run, or one left unfinished by a process that died; returns when it stops',
  options: { signal: { type: 'string' }, payload: { type: 'string' }, detach: { type: 'boolean' } },
  optionsHelp: `  --signal NAME        the signal a waiting step waits for (its waitFor returns the payload)
  --payload JSON|@file the signal's payload
  --detach             leave the run to a worker (snapshot-studio worker on the same database) and return at once`,
  positionals: [1, 1],
  workspace: true,
  async run(ctx) {
    const signal = stringOption(ctx, 'signal');
    const payload = parseJsonArg('payload', stringOption(ctx, 'payload'));
    if (payload !== undefined && signal === undefined) throw new UsageError('--payload goes with --signal NAME');
    const options: ResumeOptions = {};
    if (signal !== undefined) options.signal = signal;
    if (payload !== undefined) options.payload = payload;
    if (ctx.values.detach) return detached(ctx, await ctx.call('resume', await ctx.runId(ctx.positionals[0]), { ...options, detach: true }));
    return finishRun(ctx, await ctx.call('resume', await ctx.runId(ctx.positionals[0]), options));
  },
};
