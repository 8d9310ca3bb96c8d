// `replay`: recorded runs (files, or runs in the database) through the local workflows, compared step by step.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { EXCHANGE_FORMATS, type ReplayOptions } from '../../shared/api';
import { UsageError } from '../args';
import { stringOption, type Command } from '../command';
import { formatOption } from './exchange';
import { REPLAY_THREAD_HELP, REPLAY_THREAD_OPTIONS, replayThreadCommand } from '../replayThread';

export const replay: Command = {
  usage: 'replay FILE...|runId... [--live-effects] [--format NAME] | replay SOURCE --thread ID --graph ./graph.ts[#export] [--recorded NODE,...]',
  summary: 'run recorded runs (export files, or runs in the database) through the local workflows of the same id and compare step by step; exit 1 when any diverged or could not be replayed',
  options: { 'live-effects': { type: 'boolean' }, format: { type: 'string' }, ...REPLAY_THREAD_OPTIONS },
  optionsHelp: `  --live-effects       run steps marked effect for real (by default they return their recorded output)
  --format NAME        of the files: auto (default), ${EXCHANGE_FORMATS.slice(0, -1).join(', ')} or ${EXCHANGE_FORMATS.at(-1)}
${REPLAY_THREAD_HELP}`,
  positionals: [1, Infinity],
  workspace: true,
  async run(ctx) {
    if (ctx.values.graph !== undefined) return replayThreadCommand(ctx);
    const isFile = (p: string) => existsSync(p) && statSync(p).isFile();
    const files = ctx.positionals.filter((p) => isFile(resolve(p)));
    if (files.length && files.length !== ctx.positionals.length) {
      const odd = ctx.positionals.filter((p) => !isFile(resolve(p)));
      throw new UsageError(`replay: give files or run ids, not both (${odd.map((p) => JSON.stringify(p)).join(', ')} ${odd.length === 1 ? 'is' : 'are'} not a file)`);
    }
    const options: ReplayOptions = files.length ? { files: files.map((f) => resolve(f)) } : { runIds: await Promise.all(ctx.positionals.map((id) => ctx.runId(id))) };
    const format = formatOption(stringOption(ctx, 'format'));
    if (format !== undefined) options.format = format;
    if (ctx.values['live-effects']) options.liveEffects = true;
    const result = await ctx.importing(() => ctx.call('replay', options));
    if (ctx.json) ctx.out(JSON.stringify(result));
    else {
      if (result.imported) ctx.out(`imported ${result.imported.runs} run(s), ${result.imported.snapshots} snapshot(s); ${result.imported.skipped} already present`);
      for (const r of result.runs) {
        const head = `run ${r.runId} (workflow ${r.workflowId})${r.replayRunId ? ` → replay ${r.replayRunId}` : ''}`;
        ctx.out(`${head}: ${r.outcome === 'not-replayed' ? 'not replayed: ' : ''}${r.message}`);
      }
      const count = (o: string) => result.runs.filter((r) => r.outcome === o).length;
      ctx.out(`${result.runs.length} run(s): ${count('identical')} identical, ${count('diverged')} diverged, ${count('not-replayed')} not replayed`);
    }
    return result.diverged > 0 ? 1 : 0;
  },
};
