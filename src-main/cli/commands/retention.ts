// `retention` and `prune`: which snapshots of finished runs are kept, and removing the others now.
import type { RetentionPolicy, RetentionSetting } from '../../shared/api';
import { UsageError } from '../args';
import { stringOption, type Command } from '../command';

/** `last N`, `older-than DAYS` (or `30d`, or an ISO date), `all`: the retention setting they name. */
function retentionFromArgs(mode: string, value: string | undefined): RetentionSetting {
  if (mode === 'all') return { keep: 'all' };
  if (mode === 'last') {
    const count = Number(value);
    if (!Number.isInteger(count) || count < 1) throw new UsageError(`keep last: expected a whole number from 1, got ${JSON.stringify(value ?? '')}`);
    return { keep: 'last', count };
  }
  if (mode === 'older-than') {
    const days = /^(\d+(?:\.\d+)?)d?$/.exec(value ?? '');
    if (days) return { keep: 'days', days: Number(days[1]) };
    if (value && !Number.isNaN(Date.parse(value))) return { keep: 'newer', before: new Date(value).toISOString() };
    throw new UsageError(`older than: expected a number of days (30 or 30d) or an ISO date, got ${JSON.stringify(value ?? '')}`);
  }
  throw new UsageError(`retention: expected all, last N or older-than DAYS, got ${JSON.stringify(mode)}`);
}

function describeRetention(r: RetentionSetting | RetentionPolicy): string {
  if (r.keep === 'all') return 'keep all';
  if (r.keep === 'last') return `keep the last ${r.count} per run`;
  if (r.keep === 'days') return `remove snapshots older than ${r.days} days`;
  return `remove snapshots taken before ${r.before}`;
}

export const retention: Command = {
  usage: 'retention [all | last N | older-than DAYS]',
  summary: 'show or set which snapshots of finished runs are kept (default: all)',
  positionals: [0, 2],
  async run(ctx) {
    const [mode, value] = ctx.positionals;
    const setting = mode === undefined ? await ctx.call('getRetention') : await ctx.call('setRetention', retentionFromArgs(mode, value));
    ctx.out(ctx.json ? JSON.stringify(setting) : `retention: ${describeRetention(setting)}`);
    return 0;
  },
};

export const prune: Command = {
  usage: 'prune [--keep-last N | --older-than DATE|DAYSd]',
  summary: 'remove old snapshots of finished runs (by the retention setting, or the flags) and report them',
  options: { 'keep-last': { type: 'string' }, 'older-than': { type: 'string' } },
  optionsHelp: `  --keep-last N        keep each finished run's newest N snapshots
  --older-than DATE    remove snapshots taken before DATE (ISO date), or before N days ago with e.g. 30d`,
  positionals: [0, 0],
  async run(ctx) {
    const keepLast = stringOption(ctx, 'keep-last');
    const olderThan = stringOption(ctx, 'older-than');
    if (keepLast !== undefined && olderThan !== undefined) throw new UsageError('prune: give --keep-last or --older-than, not both');
    const policy = keepLast !== undefined ? retentionFromArgs('last', keepLast) : olderThan !== undefined ? retentionFromArgs('older-than', olderThan) : undefined;
    const report = await ctx.call('prune', ...(policy ? [policy] : []));
    ctx.out(
      ctx.json
        ? JSON.stringify(report)
        : `pruned ${report.snapshots} snapshots of ${report.runs} runs (${report.bytes} bytes) by ${describeRetention(report.policy)}`,
    );
    return 0;
  },
};
