// `show`: one snapshot document.
import type { Command } from '../command';

export const show: Command = {
  usage: 'show <runId>:<seq>',
  summary: 'print one snapshot document',
  positionals: [1, 1],
  async run(ctx) {
    const ref = await ctx.snapshotRef(ctx.positionals[0], 'the snapshot');
    const doc = await ctx.call('getSnapshot', ref.runId, ref.seq);
    ctx.out(ctx.json ? JSON.stringify(doc) : JSON.stringify(doc, null, 2));
    return 0;
  },
};
