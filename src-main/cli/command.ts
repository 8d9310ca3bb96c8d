// What a command is (usage, options, how many positionals, whether it needs the workspace) and what its run gets:
// a typed call into the contract, so a wrong method or option name is a compile error, not a runtime refusal.
import type { ParseArgsConfig } from 'node:util';
import type { SnapshotRef, StudioApi, StudioMethod } from '../shared/api';
import type { StudioService, StudioServiceOptions } from '../core/studio';

/** Calls one contract method through the same validated dispatch as every other shell. */
export type Call = <M extends StudioMethod>(method: M, ...args: Parameters<StudioApi[M]>) => ReturnType<StudioApi[M]>;

export interface Command {
  usage: string;
  summary: string;
  options?: ParseArgsConfig['options'];
  /** Help lines for the command's own options. */
  optionsHelp?: string;
  positionals: [min: number, max: number];
  /** It runs workflow code or lists the workspace, so the workspace is loaded (bundled) first; reads of runs skip that. */
  workspace?: true;
  run(ctx: Ctx): Promise<number>;
}

export interface Ctx {
  call: Call;
  /** The service itself, for what is not a contract call: waiting for a run's end, events, serving. */
  service(): Promise<StudioService>;
  /** What the service is opened with (database, workspace, app root): for a shell that opens it itself (serve). */
  openOptions(): StudioServiceOptions;
  /**
   * Runs an import (or a replay of files), its progress on stderr; refused, it removes the database again when the
   * command created it.
   */
  importing<T>(work: () => Promise<T>): Promise<T>;
  /** A run id as the person gave it: the whole id, or any unique prefix of one. */
  runId(given: string): Promise<string>;
  /** `runId:seq`, the run id whole or a unique prefix. */
  snapshotRef(given: string | undefined, what: string): Promise<SnapshotRef>;
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
  json: boolean;
  out(text: string): void;
}

/** A string option's value (parseArgs types every option as string | boolean). */
export function stringOption(ctx: Ctx, name: string): string | undefined {
  const value = ctx.values[name];
  return typeof value === 'string' ? value : undefined;
}
