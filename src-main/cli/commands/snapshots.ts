// `snapshots`: a run's snapshots, read a page at a time.
import type { SnapshotSummary } from '../../shared/api';
import type { Command } from '../command';
import { table } from '../format';

export const snapshots: Command = {
  usage: 'snapshots <runId>',
  summary: "list a run's snapshots",
  positionals: [1, 1],
  async run(ctx) {
    const runId = await ctx.runId(ctx.positionals[0]);
    const items: SnapshotSummary[] = [];
    for (let offset = 0; ; ) {
      const page = await ctx.call('listSnapshots', runId, { offset, limit: 5000 });
      items.push(...page.items);
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total) break;
    }
    if (ctx.json) return ctx.out(JSON.stringify(items)), 0;
    // STATUS: the row's own step's outcome (the run's on a run's row); RUN: the run's status at that snapshot.
    ctx.out(table(['SEQ', 'KIND', 'STEP', 'STATUS', 'RUN', 'AT', 'BYTES'], items.map((s) => [s.seq, s.kind, s.stepId, s.stepStatus ?? s.status, s.status, s.at, s.size])));
    return 0;
  },
};
