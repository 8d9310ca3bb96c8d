// `replay SOURCE --thread ID --graph ./graph.ts[#export] [--recorded NODE,...]`: imports the thread from the
// LangGraph source (what is new of it), replays it against the person's graph and prints the comparison.
// Exit 1 when the replay diverged, as the replay of our own runs.
import type { LangGraphReplayReport } from '../core/exchange/langgraphReplay';
import { UsageError } from './args';
import type { Ctx } from './command';
import { importOptionsFrom } from './sources';

export const REPLAY_THREAD_OPTIONS = {
  graph: { type: 'string' },
  thread: { type: 'string', multiple: true },
  recorded: { type: 'string' },
  schema: { type: 'string' },
} as const;

export const REPLAY_THREAD_HELP = `  --graph FILE[#NAME]  with a LangGraph source: the local graph module (its compiled graph: the export NAME, the default, or the only one)
  --thread ID          the thread to replay
  --recorded NODE,...  nodes that return their recorded writes instead of running (they call the outside world)
  --schema NAME        of a PostgreSQL source: the schema of its tables (default public)`;

export async function replayThreadCommand(ctx: Ctx): Promise<number> {
  const given = (ctx.values as Record<string, unknown>).thread;
  const threads = Array.isArray(given) ? (given as string[]) : [];
  if (ctx.positionals.length !== 1 || threads.length !== 1) throw new UsageError('replay --graph: give one LangGraph source and one --thread ID');
  const options = importOptionsFrom(ctx.positionals, { thread: threads, schema: ctx.values.schema, format: 'langgraph' });
  const recorded = typeof ctx.values.recorded === 'string' ? ctx.values.recorded.split(',').map((n) => n.trim()).filter(Boolean) : undefined;
  const report: LangGraphReplayReport = await ctx.importing(async () => {
    await ctx.call('importFiles', options);
    // Loaded here, not with the CLI: the LangGraph replay (and what it imports) only for this command.
    const { replayLangGraphThread } = await import('../core/exchange/langgraphReplay');
    return replayLangGraphThread((await ctx.service()).store, { thread: threads[0], graph: ctx.values.graph as string, ...(recorded ? { recorded } : {}) });
  });
  if (ctx.json) ctx.out(JSON.stringify(report));
  else ctx.out(`thread ${threads[0]} (run ${report.recordedRunId}) → replay ${report.replayRunId}: ${report.message}`);
  return report.outcome === 'diverged' ? 1 : 0;
}
