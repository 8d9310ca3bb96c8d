// snapshot-studio: the CLI shell over StudioService. It parses argv, calls the contract through the same
// validated dispatch as every other shell, and prints for people (tables) or programs (--json).
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { format as formatConsoleDiff } from 'jsondiffpatch/formatters/console';
import type {
  ExportResult,
  ImportSummary,
  ImportedCodeConsent,
  NamedSnapshot,
  Page,
  PruneReport,
  ReplayResult,
  RetentionPolicy,
  RetentionSetting,
  RunSummary,
  SnapshotDiff,
  SnapshotSummary,
  WorkflowList,
  WorkflowVersionSummary,
} from '../shared/api';
import { isPostgresUrl } from '../core/store/open';
import { StudioError } from '../shared/errors';
import { dispatchApiCall } from '../shared/schemas';
import type { SnapshotDocument } from '../shared/snapshot';
import { firstUserFrame, frameLocation } from '../shared/stackFrames';
import { failureLine, firstLine } from '../shared/stepOutcome';
import { openStudio } from '../core/openStudio';
import { StudioService } from '../core/studio';
import { startStudioServer } from '../server/server';
import { parseJsonArg, parseSnapshotRef, UsageError } from './args';
import { importProgressLine, table } from './format';
import { undoCreationOf } from './newDatabase';

const appRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

const COMMON = {
  db: { type: 'string' },
  workspace: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** The database `--db` names, else SNAPSHOT_STUDIO_DB, else the default file: a file path resolved, a postgres:// URL as given. */
function databaseOf(option: string | undefined): string {
  const db = option ?? (process.env.SNAPSHOT_STUDIO_DB || '.snapshot-studio/studio.db');
  return isPostgresUrl(db) ? db : resolve(db);
}

const COMMON_HELP = `  --db PATH|URL    SQLite file, or a postgres:// URL (default $SNAPSHOT_STUDIO_DB, else ./.snapshot-studio/studio.db)
  --workspace DIR  folder of *.workflow.ts files (default: the bundled examples)
  --json           print exactly one JSON document on stdout
  -h, --help       this help`;

interface Command {
  usage: string;
  summary: string;
  options?: ParseArgsConfig['options'];
  /** Help lines for the command's own options. */
  optionsHelp?: string;
  positionals: [min: number, max: number];
  run(ctx: Ctx): Promise<number>;
}

interface Ctx {
  service: () => Promise<StudioService>;
  /**
   * Runs an import (or a replay of files) with the service, its progress on stderr; refused, it removes the
   * database again when the command created it.
   */
  importing<T>(work: (service: StudioService) => Promise<T>): Promise<T>;
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  json: boolean;
  out(text: string): void;
}

/** Prints import progress on stderr while an import runs; returns the unsubscribe. */
function importProgressOnStderr(service: StudioService): () => void {
  return service.subscribe((e) => {
    if (e.type === 'import-progress') process.stderr.write(`${importProgressLine(e)}\n`);
  });
}

/**
 * The warning a person gets before code that came with an import runs: which version, from which file, and
 * that it runs with their rights. Returns true (the consent) when the run's version is imported code.
 */
/** With --allow-imported-code and the original version: shows the core's warning on stderr, then gives the consent it issued. */
async function consentAfterWarning(service: StudioService, runId: string, original: boolean): Promise<string | undefined> {
  if (!original) return undefined;
  const run = await service.store.read.getRunSummary(runId);
  if ((await service.store.read.getWorkflowVersion(run.workflowVersion))?.why !== 'imported') return undefined;
  const given = await call<ImportedCodeConsent>(service, 'consentToImportedCode', runId);
  process.stderr.write(`warning: ${given.warning}\n`);
  return given.consent;
}

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

const call = <T>(service: StudioService, method: string, ...args: unknown[]) => dispatchApiCall(service, method, args) as Promise<T>;

/** Prints where a run the command ran stopped; exit 1 when it failed or was cancelled (paused and waiting are no failure). */
async function finishRun(ctx: Ctx, run: RunSummary): Promise<number> {
  if (ctx.json) ctx.out(JSON.stringify({ runId: run.id, status: run.status }));
  else ctx.out(`run ${run.id} ${run.status} (${run.snapshotCount} snapshots)`);
  if (run.status === 'failed') process.stderr.write(`${await failureOf(await ctx.service(), run)}\n`);
  return run.status === 'completed' || run.status === 'paused' || run.status === 'waiting' ? 0 : 1;
}

/**
 * Why a run failed, as the run header says it, with the user's frame that threw:
 * "failed at charge: card declined for 120 EUR (payment-fails.workflow.ts:20:15)".
 */
async function failureOf(service: StudioService, run: RunSummary): Promise<string> {
  const { failure, error } = await service.getRun(run.id);
  if (!failure) return `failed: ${error ? firstLine(error.message) : 'no error recorded'}`;
  const stack = (await service.getSnapshot(run.id, failure.seq ?? run.lastSeq)).steps[failure.stepId]?.error?.stack;
  const frame = firstUserFrame(stack);
  return `${failureLine(failure)}${frame ? ` (${frameLocation(frame)})` : ''}`;
}

function stopCommand(method: 'pause' | 'cancel', summary: string): Command {
  return {
    usage: `${method} <runId>`,
    summary,
    positionals: [1, 1],
    async run(ctx) {
      const run = await call<RunSummary>(await ctx.service(), method, ctx.positionals[0]);
      ctx.out(ctx.json ? JSON.stringify({ runId: run.id, status: run.status }) : `run ${run.id} ${run.status}`);
      return 0;
    },
  };
}

const commands: Record<string, Command> = {
  workflows: {
    usage: 'workflows',
    summary: 'list the workflows of the workspace, and files that failed to load',
    positionals: [0, 0],
    async run(ctx) {
      const list = await call<WorkflowList>(await ctx.service(), 'listWorkflows');
      if (ctx.json) return ctx.out(JSON.stringify(list)), 0;
      ctx.out(`workspace ${list.workspace}`);
      ctx.out(table(['ID', 'STEPS', 'VERSION', 'FILE'], list.workflows.map((w) => [w.id, w.steps.length, w.version, w.file])));
      for (const p of list.problems) ctx.out(`problem: ${p.message}`);
      return 0;
    },
  },
  run: {
    usage: 'run <workflowId> [--input JSON|@file] [--config JSON|@file]',
    summary: 'run a workflow and return when the run ends (exit 1 when it failed)',
    options: { input: { type: 'string' }, config: { type: 'string' } },
    optionsHelp: `  --input JSON|@file   the run's input
  --config JSON|@file  the run's configuration, checked against the workflow's config schema`,
    positionals: [1, 1],
    async run(ctx) {
      const input = parseJsonArg('input', ctx.values.input as string | undefined);
      const config = parseJsonArg('config', ctx.values.config as string | undefined);
      const service = await ctx.service();
      const options: Record<string, unknown> = {};
      if (input !== undefined) options.input = input;
      if (config !== undefined) options.config = config;
      const started = await call<RunSummary>(service, 'startRun', ctx.positionals[0], options);
      return finishRun(ctx, await service.waitForRun(started.id));
    },
  },
  runs: {
    usage: 'runs',
    summary: 'list runs, newest first',
    positionals: [0, 0],
    async run(ctx) {
      const runs = await call<RunSummary[]>(await ctx.service(), 'listRuns');
      if (ctx.json) return ctx.out(JSON.stringify(runs)), 0;
      ctx.out(table(['ID', 'WORKFLOW', 'STATUS', 'SNAPSHOTS', 'CREATED'], runs.map((r) => [r.id, r.workflowId, r.status, r.snapshotCount, r.createdAt])));
      return 0;
    },
  },
  snapshots: {
    usage: 'snapshots <runId>',
    summary: "list a run's snapshots",
    positionals: [1, 1],
    async run(ctx) {
      const service = await ctx.service();
      const items: SnapshotSummary[] = [];
      for (let offset = 0; ; ) {
        const page = await call<Page<SnapshotSummary>>(service, 'listSnapshots', ctx.positionals[0], { offset, limit: 5000 });
        items.push(...page.items);
        offset += page.items.length;
        if (page.items.length === 0 || offset >= page.total) break;
      }
      if (ctx.json) return ctx.out(JSON.stringify(items)), 0;
      // STATUS: the row's own step's outcome (the run's on a run's row); RUN: the run's status at that snapshot.
      ctx.out(table(['SEQ', 'KIND', 'STEP', 'STATUS', 'RUN', 'AT', 'BYTES'], items.map((s) => [s.seq, s.kind, s.stepId, s.stepStatus ?? s.status, s.status, s.at, s.size])));
      return 0;
    },
  },
  show: {
    usage: 'show <runId>:<seq>',
    summary: 'print one snapshot document',
    positionals: [1, 1],
    async run(ctx) {
      const ref = parseSnapshotRef(ctx.positionals[0], 'the snapshot');
      const doc = await call<SnapshotDocument>(await ctx.service(), 'getSnapshot', ref.runId, ref.seq);
      ctx.out(ctx.json ? JSON.stringify(doc) : JSON.stringify(doc, null, 2));
      return 0;
    },
  },
  diff: {
    usage: 'diff <runId>:<seq> <runId>:<seq>',
    summary: 'compare two snapshots, of one run or of two',
    positionals: [2, 2],
    async run(ctx) {
      const a = parseSnapshotRef(ctx.positionals[0], 'the first snapshot');
      const b = parseSnapshotRef(ctx.positionals[1], 'the second snapshot');
      const diff = await call<SnapshotDiff>(await ctx.service(), 'diffSnapshots', a, b);
      if (ctx.json) return ctx.out(JSON.stringify({ a: diff.a, b: diff.b, delta: diff.delta ?? null, summary: diff.summary })), 0;
      const { added, removed, changed } = diff.summary;
      ctx.out(`${a.runId}:${a.seq} → ${b.runId}:${b.seq}: ${added} added, ${removed} removed, ${changed} changed`);
      if (diff.delta !== undefined) ctx.out(formatConsoleDiff(diff.delta as never, diff.left) ?? '');
      return 0;
    },
  },
  versions: {
    usage: 'versions <workflowId>',
    summary: "a workflow's versions, newest first (each distinct content of its file is one)",
    positionals: [1, 1],
    async run(ctx) {
      const versions = await call<WorkflowVersionSummary[]>(await ctx.service(), 'listVersions', ctx.positionals[0]);
      if (ctx.json) return ctx.out(JSON.stringify(versions)), 0;
      ctx.out(table(['VERSION', 'WHY', 'CREATED', 'FILE', ''], versions.map((v) => [v.version, v.why, v.createdAt, v.file, v.latest ? 'latest' : ''])));
      return 0;
    },
  },
  resume: {
    usage: 'resume <runId> [--signal NAME --payload JSON|@file]',
    summary: 'continue a paused or waiting run, or one left unfinished by a process that died; returns when it stops',
    options: { signal: { type: 'string' }, payload: { type: 'string' } },
    optionsHelp: `  --signal NAME        the signal a waiting step waits for (its waitFor returns the payload)
  --payload JSON|@file the signal's payload`,
    positionals: [1, 1],
    async run(ctx) {
      const service = await ctx.service();
      const payload = parseJsonArg('payload', ctx.values.payload as string | undefined);
      if (payload !== undefined && ctx.values.signal === undefined) throw new UsageError('--payload goes with --signal NAME');
      const options: Record<string, unknown> = {};
      if (ctx.values.signal !== undefined) options.signal = ctx.values.signal;
      if (payload !== undefined) options.payload = payload;
      const resumed = await call<RunSummary>(service, 'resume', ctx.positionals[0], options);
      return finishRun(ctx, await service.waitForRun(resumed.id));
    },
  },
  retry: {
    usage: 'retry <runId> [--version latest|original] [--config JSON|@file] [--from-step ID]',
    summary: 'run again as a new run linked to this one; returns when it ends',
    options: { version: { type: 'string' }, config: { type: 'string' }, 'from-step': { type: 'string' }, 'allow-imported-code': { type: 'boolean' } },
    optionsHelp: `  --version latest|original  the workspace's current version (default) or the one the run used
  --config JSON|@file        replaces the run's configuration
  --from-step ID             reuse the steps that ID does not depend on, as recorded
  --allow-imported-code      with --version original of an imported run: run the code that came with the import`,
    positionals: [1, 1],
    async run(ctx) {
      const options: Record<string, unknown> = { version: ctx.values.version ?? 'latest' };
      const config = parseJsonArg('config', ctx.values.config as string | undefined);
      if (config !== undefined) options.config = config;
      if (ctx.values['from-step'] !== undefined) options.fromStep = ctx.values['from-step'];
      const service = await ctx.service();
      if (ctx.values['allow-imported-code']) options.importedCodeConsent = await consentAfterWarning(service, ctx.positionals[0], options.version === 'original');
      const started = await call<RunSummary>(service, 'retry', ctx.positionals[0], options);
      return finishRun(ctx, await service.waitForRun(started.id));
    },
  },
  fork: {
    usage: 'fork <runId>:<seq> [--state JSON|@file] [--config JSON|@file] [--version latest|original]',
    summary: 'start a new run from one snapshot, optionally with edited state or config; returns when it ends',
    options: { state: { type: 'string' }, config: { type: 'string' }, version: { type: 'string' }, 'allow-imported-code': { type: 'boolean' } },
    optionsHelp: `  --state JSON|@file         replaces the snapshot's state (stored as an "edited" snapshot)
  --config JSON|@file        replaces the configuration
  --version latest|original  the workflow version to continue with (default original)
  --allow-imported-code      with the original version of an imported run: run the code that came with the import`,
    positionals: [1, 1],
    async run(ctx) {
      const ref = parseSnapshotRef(ctx.positionals[0], 'the snapshot');
      const options: Record<string, unknown> = {};
      const state = parseJsonArg('state', ctx.values.state as string | undefined);
      const config = parseJsonArg('config', ctx.values.config as string | undefined);
      if (state !== undefined) options.state = state;
      if (config !== undefined) options.config = config;
      if (ctx.values.version !== undefined) options.version = ctx.values.version;
      const service = await ctx.service();
      if (ctx.values['allow-imported-code']) options.importedCodeConsent = await consentAfterWarning(service, ref.runId, options.version !== 'latest');
      const started = await call<RunSummary>(service, 'fork', ref.runId, ref.seq, options);
      return finishRun(ctx, await service.waitForRun(started.id));
    },
  },
  snapshot: {
    usage: 'snapshot create|run|list|delete [NAME] [--workflow ID] …',
    summary: 'named snapshots: a workflow version frozen with a config (and input) under a name',
    options: { workflow: { type: 'string' }, version: { type: 'string' }, config: { type: 'string' }, input: { type: 'string' } },
    optionsHelp: `  snapshot create NAME --workflow ID [--version latest|HASH] [--config JSON|@file] [--input JSON|@file]
  snapshot run NAME | snapshot run --workflow ID   run it (by name, or the workflow's newest) and wait for the end
  snapshot list [--workflow ID]
  snapshot delete NAME`,
    positionals: [1, 2],
    async run(ctx) {
      const [sub, name] = ctx.positionals;
      const workflowId = ctx.values.workflow as string | undefined;
      const service = await ctx.service();
      const needName = () => {
        if (!name) throw new UsageError(`snapshot ${sub} needs a NAME`);
        return name;
      };
      switch (sub) {
        case 'create': {
          if (!workflowId) throw new UsageError('snapshot create needs --workflow ID');
          const options: Record<string, unknown> = { workflowId };
          if (ctx.values.version !== undefined) options.version = ctx.values.version;
          const config = parseJsonArg('config', ctx.values.config as string | undefined);
          const input = parseJsonArg('input', ctx.values.input as string | undefined);
          if (config !== undefined) options.config = config;
          if (input !== undefined) options.input = input;
          const named = await call<NamedSnapshot>(service, 'createNamedSnapshot', needName(), options);
          ctx.out(ctx.json ? JSON.stringify(named) : `named snapshot "${named.name}": ${named.workflowId} version ${named.workflowVersion}`);
          return 0;
        }
        case 'run': {
          if (!name && !workflowId) throw new UsageError('snapshot run needs a NAME or --workflow ID (its newest named snapshot)');
          const started = await call<RunSummary>(service, 'runNamedSnapshot', name ? { name } : { workflowId });
          return finishRun(ctx, await service.waitForRun(started.id));
        }
        case 'list': {
          const list = await call<NamedSnapshot[]>(service, 'listNamedSnapshots', ...(workflowId ? [workflowId] : []));
          if (ctx.json) return ctx.out(JSON.stringify(list)), 0;
          ctx.out(table(['NAME', 'WORKFLOW', 'VERSION', 'CREATED'], list.map((n) => [n.name, n.workflowId, n.workflowVersion, n.createdAt])));
          return 0;
        }
        case 'delete': {
          const gone = await call<NamedSnapshot>(service, 'deleteNamedSnapshot', needName());
          ctx.out(ctx.json ? JSON.stringify(gone) : `deleted named snapshot "${gone.name}"`);
          return 0;
        }
        default:
          throw new UsageError(`snapshot: unknown subcommand "${sub}" (create, run, list or delete)`);
      }
    },
  },
  retention: {
    usage: 'retention [all | last N | older-than DAYS]',
    summary: 'show or set which snapshots of finished runs are kept (default: all)',
    positionals: [0, 2],
    async run(ctx) {
      const service = await ctx.service();
      const [mode, value] = ctx.positionals;
      let setting: RetentionSetting;
      if (mode === undefined) setting = await call<RetentionSetting>(service, 'getRetention');
      else setting = await call<RetentionSetting>(service, 'setRetention', retentionFromArgs(mode, value));
      ctx.out(ctx.json ? JSON.stringify(setting) : `retention: ${describeRetention(setting)}`);
      return 0;
    },
  },
  prune: {
    usage: 'prune [--keep-last N | --older-than DATE|DAYSd]',
    summary: 'remove old snapshots of finished runs (by the retention setting, or the flags) and report them',
    options: { 'keep-last': { type: 'string' }, 'older-than': { type: 'string' } },
    optionsHelp: `  --keep-last N        keep each finished run's newest N snapshots
  --older-than DATE    remove snapshots taken before DATE (ISO date), or before N days ago with e.g. 30d`,
    positionals: [0, 0],
    async run(ctx) {
      const keepLast = ctx.values['keep-last'] as string | undefined;
      const olderThan = ctx.values['older-than'] as string | undefined;
      if (keepLast !== undefined && olderThan !== undefined) throw new UsageError('prune: give --keep-last or --older-than, not both');
      const policy = keepLast !== undefined ? retentionFromArgs('last', keepLast) : olderThan !== undefined ? retentionFromArgs('older-than', olderThan) : undefined;
      const report = await call<PruneReport>(await ctx.service(), 'prune', ...(policy ? [policy] : []));
      ctx.out(
        ctx.json
          ? JSON.stringify(report)
          : `pruned ${report.snapshots} snapshots of ${report.runs} runs (${report.bytes} bytes) by ${describeRetention(report.policy)}`,
      );
      return 0;
    },
  },
  export: {
    usage: 'export [runId...] [--workflow ID] [--since DATE] --out FILE',
    summary: 'write runs to a native export file (.ssx.ndjson, gzip if it ends in .gz), secrets redacted; exit 1 when no run matches',
    options: { out: { type: 'string' }, workflow: { type: 'string' }, since: { type: 'string' }, 'no-redact': { type: 'boolean' }, redact: { type: 'string' } },
    optionsHelp: `  --out FILE           the file to write, e.g. runs.ssx.ndjson.gz
  --workflow ID        every run of this workflow (instead of run ids)
  --since DATE         runs created at or after DATE (2025-01-31, or an ISO date-time)
  --no-redact          keep the values of secret-looking keys
  --redact KEY,...     more keys to redact, besides password, secret, token, apiKey, authorization, cookie, ...`,
    positionals: [0, Infinity],
    async run(ctx) {
      const out = ctx.values.out as string | undefined;
      if (!out) throw new UsageError('export: --out FILE is required');
      if (ctx.values['no-redact'] && ctx.values.redact !== undefined) throw new UsageError('export: --redact and --no-redact contradict each other');
      const options: Record<string, unknown> = { out: resolve(out) };
      if (ctx.positionals.length) options.runIds = ctx.positionals;
      if (ctx.values.workflow !== undefined) options.workflowId = ctx.values.workflow;
      if (ctx.values.since !== undefined) options.since = ctx.values.since;
      if (!ctx.positionals.length && options.workflowId === undefined && options.since === undefined) {
        throw new UsageError('export: say which runs: run ids, --workflow ID or --since DATE');
      }
      if (ctx.values['no-redact']) options.redact = false;
      if (typeof ctx.values.redact === 'string') options.redactKeys = ctx.values.redact.split(',').map((k) => k.trim()).filter(Boolean);
      const result = await call<ExportResult>(await ctx.service(), 'exportRuns', options);
      if (ctx.json) return ctx.out(JSON.stringify(result)), 0;
      ctx.out(`exported ${result.runs} run(s), ${result.snapshots} snapshot(s) to ${result.file}; ${result.redacted} value(s) redacted`);
      return 0;
    },
  },
  import: {
    usage: 'import FILE... [--format auto|native|mastra|kaiban|refluxo|temporal]',
    summary: 'import export files, all or nothing; runs already in the database are skipped',
    options: { format: { type: 'string' } },
    optionsHelp: '  --format NAME        auto (default: detected from each file\'s content), native, mastra, kaiban, refluxo or temporal',
    positionals: [1, Infinity],
    async run(ctx) {
      const options: Record<string, unknown> = { files: ctx.positionals.map((f) => resolve(f)) };
      if (ctx.values.format !== undefined) options.format = ctx.values.format;
      const summary = await ctx.importing((service) => call<ImportSummary>(service, 'importFiles', options));
      if (ctx.json) return ctx.out(JSON.stringify(summary)), 0;
      for (const f of summary.formats) ctx.out(`${f.file}: ${f.format}`);
      ctx.out(`imported ${summary.runs} run(s), ${summary.snapshots} snapshot(s); ${summary.skipped} run(s) skipped as already present`);
      for (const l of summary.unresolvedLinks ?? []) ctx.out(`run ${l.runId}: ${l.link} ${l.target} is in neither the files nor the database; kept in the run's metadata`);
      return 0;
    },
  },
  replay: {
    usage: 'replay FILE...|runId... [--live-effects] [--format NAME]',
    summary: 'run recorded runs (export files, or runs in the database) through the local workflows of the same id and compare step by step; exit 1 when any diverged or could not be replayed',
    options: { 'live-effects': { type: 'boolean' }, format: { type: 'string' } },
    optionsHelp: `  --live-effects       run steps marked effect for real (by default they return their recorded output)
  --format NAME        of the files: auto (default), native, mastra, kaiban, refluxo or temporal`,
    positionals: [1, Infinity],
    async run(ctx) {
      const isFile = (p: string) => existsSync(p) && statSync(p).isFile();
      const files = ctx.positionals.filter((p) => isFile(resolve(p)));
      if (files.length && files.length !== ctx.positionals.length) {
        const odd = ctx.positionals.filter((p) => !isFile(resolve(p)));
        throw new UsageError(`replay: give files or run ids, not both (${odd.map((p) => JSON.stringify(p)).join(', ')} ${odd.length === 1 ? 'is' : 'are'} not a file)`);
      }
      const options: Record<string, unknown> = files.length ? { files: files.map((f) => resolve(f)) } : { runIds: ctx.positionals };
      if (ctx.values.format !== undefined) options.format = ctx.values.format;
      if (ctx.values['live-effects']) options.liveEffects = true;
      const result = await ctx.importing((service) => call<ReplayResult>(service, 'replay', options));
      if (ctx.json) ctx.out(JSON.stringify(result));
      else {
        if (result.imported) ctx.out(`imported ${result.imported.runs} run(s), ${result.imported.snapshots} snapshot(s); ${result.imported.skipped} already present`);
        for (const r of result.runs) {
          const head = `run ${r.runId} (workflow ${r.workflowId})${r.replayRunId ? ` → replay ${r.replayRunId}` : ''}`;
          ctx.out(`${head}: ${r.outcome === 'not-replayed' ? 'not replayed: ' : ''}${r.message}`);
        }
        const count = (o: string) => result.runs.filter((r) => r.outcome === o).length;
        ctx.out(`${result.runs.length} run(s): ${count('identical')} identical, ${count('diverged')} diverged, ${count('not-replayed')} not replayed`);
      }
      return result.diverged > 0 ? 1 : 0;
    },
  },
  pause: stopCommand('pause', 'pause a run (it stops after the steps now running; resume continues it)'),
  cancel: stopCommand('cancel', 'cancel a run'),
  serve: {
    usage: 'serve [--port N]',
    summary: 'serve the app to a browser on 127.0.0.1, with a token',
    options: { port: { type: 'string' } },
    optionsHelp: '  --port N         port on 127.0.0.1 (0, the default, picks a free one)',
    positionals: [0, 0],
    async run(ctx) {
      const portText = (ctx.values.port as string | undefined) ?? '0';
      if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, got ${JSON.stringify(portText)}`);
      const rendererDir = resolve(appRoot, 'out/renderer');
      if (!existsSync(resolve(rendererDir, 'index.html'))) {
        throw new UsageError(`the renderer is not built (${rendererDir} has no index.html): run npm run build, or use npm run serve, which builds first`);
      }
      // Runs left unfinished by a process that died continue from their last snapshot; saved workflow files become new versions.
      const workspaceDir = ctx.values.workspace ? resolve(ctx.values.workspace as string) : undefined;
      const studio = await openStudio({ db: databaseOf(ctx.values.db as string | undefined), workspaceDir, appRoot, watch: true, recover: true });
      const { service } = studio;
      const server = await startStudioServer({ service, rendererDir, port: Number(portText) }).catch(async (err: unknown) => {
        await service.close();
        throw err;
      });
      process.stdout.write(`Snapshot Studio ready at ${server.url}\n`);
      const recovered = await studio.recovered;
      if (recovered.length) process.stderr.write(`continued ${recovered.length} unfinished run(s): ${recovered.join(', ')}\n`);
      await new Promise<void>((done) => {
        const stop = () => done();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      // Runs still in flight stay as their last snapshot left them and continue at the next start.
      process.exit(0);
    },
  },
};

function globalHelp(): string {
  const lines = Object.values(commands).map((c) => `  ${c.usage.padEnd(62)} ${c.summary}`);
  return `snapshot-studio: debug workflow runs from their snapshots\n\nUsage: snapshot-studio <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nOptions of every command:\n${COMMON_HELP}\n`;
}

function commandHelp(name: string, c: Command): string {
  return `Usage: snapshot-studio ${c.usage} [options]\n\n${c.summary}\n\nOptions:\n${c.optionsHelp ? `${c.optionsHelp}\n` : ''}${COMMON_HELP}\n`;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(globalHelp());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}"; run snapshot-studio --help for the list`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${name}: ${(err as Error).message}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(commandHelp(name, command));
    return 0;
  }
  const [min, max] = command.positionals;
  if (positionals.length < min || positionals.length > max) {
    throw new UsageError(`usage: snapshot-studio ${command.usage}`);
  }
  let service: StudioService | undefined;
  const dbPath = databaseOf(values.db as string | undefined);
  const ctx: Ctx = {
    positionals,
    values: values as Ctx['values'],
    json: values.json === true,
    out: (text) => process.stdout.write(`${text}\n`),
    service: async () => {
      service ??= await StudioService.open({ db: dbPath, workspaceDir: values.workspace ? resolve(values.workspace as string) : undefined, appRoot });
      return service;
    },
    async importing(work) {
      const undo = isPostgresUrl(dbPath) ? null : undoCreationOf(dbPath);
      const opened = await ctx.service();
      const stop = importProgressOnStderr(opened);
      try {
        return await work(opened);
      } catch (err) {
        // Refused before anything was imported (all or nothing): a database made only for it goes again.
        if (undo && err instanceof StudioError && (err.code === 'E_IMPORT' || err.code === 'E_BAD_ARGUMENT')) {
          service = undefined;
          await opened.close();
          undo();
        }
        throw err;
      } finally {
        stop();
      }
    },
  };
  try {
    return await command.run(ctx);
  } finally {
    await service?.close();
  }
}

const USER_INPUT_CODES = new Set([
  'E_USAGE',
  'E_BAD_ARGUMENT',
  'E_BAD_CONFIG',
  'E_UNKNOWN_WORKFLOW',
  'E_NO_RUN',
  'E_NO_SNAPSHOT',
  'E_UNKNOWN_METHOD',
  'E_NOT_RUNNING',
  'E_NOT_RESUMABLE',
  'E_ALREADY_RUNNING',
  'E_NO_VERSION',
  'E_NO_NAMED_SNAPSHOT',
  'E_NEEDS_SIGNAL',
  'E_NOT_WAITING',
  'E_IMPORT',
  'E_EXPORT_OUT',
  'E_IMPORTED_RUN',
  'E_IMPORTED_CODE',
]);

if (process.argv[1] && (process.argv[1].endsWith('main.ts') || process.argv[1].endsWith('bin.mjs') || process.argv[1].endsWith('snapshot-studio'))) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`snapshot-studio: ${message.split('\n')[0]}\n`);
      process.exitCode = err instanceof StudioError && (USER_INPUT_CODES.has(err.code) || err.code.startsWith('E_DB')) ? 2 : 1;
    },
  );
}
