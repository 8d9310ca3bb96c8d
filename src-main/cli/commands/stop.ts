// `pause` and `cancel`: stop a run, here or in the process driving it.
import type { Command } from '../command';

function stopCommand(method: 'pause' | 'cancel', summary: string): Command {
  return {
    usage: `${method} <runId>`,
    summary,
    positionals: [1, 1],
    async run(ctx) {
      const run = await ctx.call(method, await ctx.runId(ctx.positionals[0]));
      ctx.out(ctx.json ? JSON.stringify({ runId: run.id, status: run.status }) : `run ${run.id} ${run.status}`);
      return 0;
    },
  };
}

export const pause = stopCommand('pause', 'pause a run (it stops after the steps now running; resume continues it)');
export const cancel = stopCommand('cancel', 'cancel a run');
