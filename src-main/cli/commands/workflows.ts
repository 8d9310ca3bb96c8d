// `workflows`: the workspace's workflows, and the files that failed to load.
import type { Command } from '../command';
import { table } from '../format';

export const workflows: Command = {
  usage: 'workflows',
  summary: 'list the workflows of the workspace, and files that failed to load',
  positionals: [0, 0],
  workspace: true,
  async run(ctx) {
    const list = await ctx.call('listWorkflows');
    if (ctx.json) return ctx.out(JSON.stringify(list)), 0;
    ctx.out(`workspace ${list.workspace}`);
    ctx.out(table(['ID', 'STEPS', 'VERSION', 'FILE'], list.workflows.map((w) => [w.id, w.steps.length, w.version, w.file])));
    for (const p of list.problems) ctx.out(`problem: ${p.message}`);
    return 0;
  },
};
