// `snapshot create|run|list|delete`: named snapshots, a workflow version frozen with a config (and input).
import type { CreateNamedSnapshotOptions } from '../../shared/api';
import { parseJsonArg, UsageError } from '../args';
import { stringOption, type Command, type Ctx } from '../command';
import { table } from '../format';
import { finishRun } from '../runOutcome';

async function create(ctx: Ctx, name: string): Promise<number> {
  const workflowId = stringOption(ctx, 'workflow');
  if (!workflowId) throw new UsageError('snapshot create needs --workflow ID');
  const options: CreateNamedSnapshotOptions = { workflowId };
  const version = stringOption(ctx, 'version');
  const config = parseJsonArg('config', stringOption(ctx, 'config'));
  const input = parseJsonArg('input', stringOption(ctx, 'input'));
  if (version !== undefined) options.version = version;
  if (config !== undefined) options.config = config;
  if (input !== undefined) options.input = input;
  const named = await ctx.call('createNamedSnapshot', name, options);
  ctx.out(ctx.json ? JSON.stringify(named) : `named snapshot "${named.name}": ${named.workflowId} version ${named.workflowVersion}`);
  return 0;
}

export const snapshot: Command = {
  usage: 'snapshot create|run|list|delete [NAME] [--workflow ID] …',
  summary: 'named snapshots: a workflow version frozen with a config (and input) under a name',
  options: { workflow: { type: 'string' }, version: { type: 'string' }, config: { type: 'string' }, input: { type: 'string' } },
  optionsHelp: `  snapshot create NAME --workflow ID [--version latest|HASH] [--config JSON|@file] [--input JSON|@file]
  snapshot run NAME | snapshot run --workflow ID   run it (by name, or the workflow's newest) and wait for the end
  snapshot list [--workflow ID]
  snapshot delete NAME`,
  positionals: [1, 2],
  workspace: true,
  async run(ctx) {
    const [sub, name] = ctx.positionals;
    const workflowId = stringOption(ctx, 'workflow');
    const needName = () => {
      if (!name) throw new UsageError(`snapshot ${sub} needs a NAME`);
      return name;
    };
    switch (sub) {
      case 'create':
        return create(ctx, needName());
      case 'run': {
        if (!name && !workflowId) throw new UsageError('snapshot run needs a NAME or --workflow ID (its newest named snapshot)');
        return finishRun(ctx, await ctx.call('runNamedSnapshot', name ? { name } : { workflowId: workflowId! }));
      }
      case 'list': {
        const list = await ctx.call('listNamedSnapshots', ...(workflowId ? [workflowId] : []));
        if (ctx.json) return ctx.out(JSON.stringify(list)), 0;
        ctx.out(table(['NAME', 'WORKFLOW', 'VERSION', 'CREATED'], list.map((n) => [n.name, n.workflowId, n.workflowVersion, n.createdAt])));
        return 0;
      }
      case 'delete': {
        const gone = await ctx.call('deleteNamedSnapshot', needName());
        ctx.out(ctx.json ? JSON.stringify(gone) : `deleted named snapshot "${gone.name}"`);
        return 0;
      }
      default:
        throw new UsageError(`snapshot: unknown subcommand "${sub}" (create, run, list or delete)`);
    }
  },
};
