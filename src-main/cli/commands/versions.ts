// `versions`: a workflow's versions, newest first. It loads the workspace, so a file edited since the last
// command is a version here too, and "latest" is the workspace's.
import type { Command } from '../command';
import { table } from '../format';

export const versions: Command = {
  usage: 'versions <workflowId>',
  summary: "a workflow's versions, newest first (each distinct content of its file is one)",
  positionals: [1, 1],
  workspace: true,
  async run(ctx) {
    const list = await ctx.call('listVersions', ctx.positionals[0]);
    if (ctx.json) return ctx.out(JSON.stringify(list)), 0;
    ctx.out(table(['VERSION', 'WHY', 'CREATED', 'FILE', ''], list.map((v) => [v.version, v.why, v.createdAt, v.file, v.latest ? 'latest' : ''])));
    return 0;
  },
};
