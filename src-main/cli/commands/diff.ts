// `diff`: what changed between two snapshots, of one run or two. By default only the changes, without the fields
// that change on every snapshot (the window's volatile fields); --all shows every field, --ignore names others.
import { format as formatConsoleDiff } from 'jsondiffpatch/formatters/console';
import { createDiffer, summarizeDelta, VOLATILE_FIELDS } from '../../shared/differ';
import { UsageError } from '../args';
import { stringOption, type Command } from '../command';
import { changeLines } from '../diffLines';

export const diff: Command = {
  usage: 'diff <runId>:<seq> <runId>:<seq> [--all | --ignore a,b] [--console]',
  summary: 'compare two snapshots, of one run or of two: the changed paths, volatile fields left out',
  options: { all: { type: 'boolean' }, ignore: { type: 'string' }, console: { type: 'boolean' } },
  optionsHelp: `  --all                compare every field (by default ${VOLATILE_FIELDS.join(', ')} are left out)
  --ignore a,b         leave out these fields instead (a trailing * matches any ending: duration*)
  --console            jsondiffpatch's console format instead of the list of changed paths`,
  positionals: [2, 2],
  async run(ctx) {
    const ignoreText = stringOption(ctx, 'ignore');
    if (ctx.values.all && ignoreText !== undefined) throw new UsageError('diff: give --all or --ignore, not both');
    const ignored = ctx.values.all ? [] : ignoreText !== undefined ? ignoreText.split(',').map((f) => f.trim()).filter(Boolean) : [...VOLATILE_FIELDS];
    const a = await ctx.snapshotRef(ctx.positionals[0], 'the first snapshot');
    const b = await ctx.snapshotRef(ctx.positionals[1], 'the second snapshot');
    const [left, right] = await Promise.all([ctx.call('getSnapshot', a.runId, a.seq), ctx.call('getSnapshot', b.runId, b.seq)]);
    const { delta, notes } = createDiffer(ignored).diffWithNotes(left, right);
    const summary = summarizeDelta(delta, notes);
    if (ctx.json) return ctx.out(JSON.stringify({ a, b, ignored, delta: delta ?? null, summary })), 0;
    const leftOut = ignored.length ? ` (left out: ${ignored.join(', ')})` : '';
    ctx.out(`${a.runId}:${a.seq} → ${b.runId}:${b.seq}: ${summary.added} added, ${summary.removed} removed, ${summary.changed} changed${leftOut}`);
    for (const note of summary.notes ?? []) ctx.out(`note: ${note}`);
    if (delta === undefined) return 0;
    if (ctx.values.console) ctx.out(formatConsoleDiff(delta, left) ?? '');
    else for (const line of changeLines(delta)) ctx.out(`  ${line}`);
    return 0;
  },
};
