// `runs`: every run, newest first.
import type { Command } from '../command';
import { table } from '../format';

export const runs: Command = {
  usage: 'runs',
  summary: 'list runs, newest first',
  positionals: [0, 0],
  async run(ctx) {
    const list = await ctx.call('listRuns');
    if (ctx.json) return ctx.out(JSON.stringify(list)), 0;
    ctx.out(table(['ID', 'WORKFLOW', 'STATUS', 'SNAPSHOTS', 'CREATED'], list.map((r) => [r.id, r.workflowId, r.status, r.snapshotCount, r.createdAt])));
    return 0;
  },
};
