// `export` and `import`: runs to and from export files (native, or a foreign format on import).
import { resolve } from 'node:path';
import { EXCHANGE_FORMATS, type ExportOptions, type ImportOptions } from '../../shared/api';
import { UsageError } from '../args';
import { stringOption, type Command } from '../command';
import { followImports, parseInterval } from '../follow';
import { IMPORT_SOURCE_HELP, IMPORT_SOURCE_OPTIONS, importOptionsFrom, importSummaryLines } from '../sources';

/** `auto|native|mastra|…`: what --format takes. */
export const FORMAT_CHOICES = ['auto', ...EXCHANGE_FORMATS];
/** `--format NAME`, as given: the contract's schema refuses a name that is not a format. */
export const formatOption = (value: string | undefined) => value as ImportOptions['format'];

export const exportRuns: Command = {
  usage: 'export [runId...] [--workflow ID] [--since DATE] --out FILE',
  summary: 'write runs to a native export file (.ssx.ndjson, gzip if it ends in .gz), secrets redacted; exit 1 when no run matches',
  options: { out: { type: 'string' }, workflow: { type: 'string' }, since: { type: 'string' }, 'no-redact': { type: 'boolean' }, redact: { type: 'string' }, 'whole-documents': { type: 'boolean' } },
  optionsHelp: `  --out FILE           the file to write, e.g. runs.ssx.ndjson.gz
  --workflow ID        every run of this workflow (instead of run ids)
  --since DATE         runs created at or after DATE (2025-01-31, or an ISO date-time)
  --no-redact          keep the values of secret-looking keys
  --redact KEY,...     more keys to redact, besides password, secret, token, apiKey, authorization, cookie, ...
  --whole-documents    every snapshot whole (format 1: older builds and jq read it), not as a delta from the one before`,
  positionals: [0, Infinity],
  async run(ctx) {
    const out = stringOption(ctx, 'out');
    const workflowId = stringOption(ctx, 'workflow');
    const since = stringOption(ctx, 'since');
    const redact = stringOption(ctx, 'redact');
    if (!out) throw new UsageError('export: --out FILE is required');
    if (ctx.values['no-redact'] && redact !== undefined) throw new UsageError('export: --redact and --no-redact contradict each other');
    if (!ctx.positionals.length && workflowId === undefined && since === undefined) {
      throw new UsageError('export: say which runs: run ids, --workflow ID or --since DATE');
    }
    const options: ExportOptions = { out: resolve(out) };
    if (ctx.positionals.length) options.runIds = await Promise.all(ctx.positionals.map((id) => ctx.runId(id)));
    if (workflowId !== undefined) options.workflowId = workflowId;
    if (since !== undefined) options.since = since;
    if (ctx.values['no-redact']) options.redact = false;
    if (redact !== undefined) options.redactKeys = redact.split(',').map((k) => k.trim()).filter(Boolean);
    if (ctx.values['whole-documents']) options.wholeDocuments = true;
    const result = await ctx.call('exportRuns', options);
    if (ctx.json) return ctx.out(JSON.stringify(result)), 0;
    ctx.out(`exported ${result.runs} run(s), ${result.snapshots} snapshot(s) to ${result.file}; ${result.redacted} value(s) redacted`);
    return 0;
  },
};

export const importFiles: Command = {
  usage: `import FILE|postgres://URL... [--format ${FORMAT_CHOICES.join('|')}] [--thread ID]... [--since DATE] [--schema NAME] [--follow [--interval 2s]]`,
  summary: 'import export files, LangGraph checkpoint databases or Mastra Postgres stores, all or nothing; runs already in the database are skipped, threads that went on gain their new checkpoints',
  options: IMPORT_SOURCE_OPTIONS,
  optionsHelp: IMPORT_SOURCE_HELP,
  positionals: [1, Infinity],
  async run(ctx) {
    const options = importOptionsFrom(ctx.positionals, ctx.values);
    const importOnce = () => ctx.importing(() => ctx.call('importFiles', options));
    const interval = stringOption(ctx, 'interval');
    if (interval !== undefined && !ctx.values.follow) throw new UsageError('import: --interval goes with --follow');
    if (ctx.values.follow) return followImports({ importOnce, intervalMs: parseInterval(interval), out: ctx.out, json: ctx.json });
    const summary = await importOnce();
    if (ctx.json) return ctx.out(JSON.stringify(summary)), 0;
    for (const line of importSummaryLines(summary)) ctx.out(line);
    return 0;
  },
};
