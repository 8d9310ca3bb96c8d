// snapshot-studio: the CLI shell over StudioService. It parses argv, calls the contract through the same
// validated dispatch as every other shell, and prints for people (tables) or programs (--json). Each command is a
// file of commands/; this file opens the service (the workspace only for commands that run code) and turns errors
// into one stderr line (and, with --json, one JSON document) and an exit code by their kind.
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { StudioApi } from '../shared/api';
import { StudioError } from '../shared/errors';
import { dispatchApiCall } from '../shared/schemas';
import { StudioService } from '../core/studio';
import { appRoot } from './appRoot';
import { parseSnapshotRef, UsageError } from './args';
import type { Call, Ctx } from './command';
import { commands } from './commands';
import { errorBody, errorLine, exitCodeOf } from './exitCodes';
import { importProgressLine } from './format';
import { commandHelp, globalHelp } from './help';
import { undoCreationOf } from './newDatabase';
import { isPostgresUrl } from '../core/store/open';
import { resolveRunId } from './runIds';

const COMMON = {
  db: { type: 'string' },
  workspace: { type: 'string' },
  json: { type: 'boolean' },
  'read-only': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

/** The database `--db` names, else SNAPSHOT_STUDIO_DB, else the default file: a file path resolved, a postgres:// URL as given. */
function databaseOf(option: string | undefined): string {
  const db = option ?? (process.env.SNAPSHOT_STUDIO_DB || '.snapshot-studio/studio.db');
  return isPostgresUrl(db) ? db : resolve(db);
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(globalHelp(commands));
    return name ? 0 : 2;
  }
  const command = Object.prototype.hasOwnProperty.call(commands, name) ? commands[name] : undefined;
  if (!command) throw new UsageError(`unknown command "${name}"; run snapshot-studio --help for the list`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...COMMON, ...command.options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${name}: ${(err as Error).message}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  const [min, max] = command.positionals;
  if (positionals.length < min || positionals.length > max) {
    throw new UsageError(`usage: snapshot-studio ${command.usage}`);
  }
  let service: StudioService | undefined;
  const dbPath = databaseOf(values.db as string | undefined);
  const openOptions = () => ({ db: dbPath, workspaceDir: values.workspace ? resolve(values.workspace as string) : undefined, appRoot, readOnly: values['read-only'] === true });
  const open = async () => {
    service ??= await StudioService.open({ ...openOptions(), workspace: command.workspace ? 'load' : 'lazy' });
    return service;
  };
  const call: Call = (async (method: keyof StudioApi, ...args: unknown[]) => dispatchApiCall(await open(), method, args)) as Call;
  const ctx: Ctx = {
    call,
    service: open,
    openOptions,
    runId: (given) => resolveRunId(call, given),
    async snapshotRef(given, what) {
      const ref = parseSnapshotRef(given, what);
      return { runId: await resolveRunId(call, ref.runId), seq: ref.seq };
    },
    positionals,
    values: values as Ctx['values'],
    json: values.json === true,
    out: (text) => process.stdout.write(`${text}\n`),
    async importing(work) {
      const undo = isPostgresUrl(dbPath) ? null : undoCreationOf(dbPath);
      const opened = await open();
      const stop = opened.subscribe((e) => {
        if (e.type === 'import-progress') process.stderr.write(`${importProgressLine(e)}\n`);
      });
      try {
        return await work();
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

/** Runs the command line and sets the exit code; an error is one line on stderr, and with --json also on stdout. */
export async function main(argv: string[]): Promise<void> {
  try {
    process.exitCode = await runCli(argv);
  } catch (err) {
    process.stderr.write(`snapshot-studio: ${errorLine(err)}\n`);
    if (argv.includes('--json')) process.stdout.write(`${JSON.stringify({ error: errorBody(err) })}\n`);
    process.exitCode = exitCodeOf(err);
  }
}

if (process.argv[1] && /(main\.ts|main\.mjs|bin\.mjs|snapshot-studio)$/.test(process.argv[1])) await main(process.argv.slice(2));
