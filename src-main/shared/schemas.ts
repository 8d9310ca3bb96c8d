// zod schemas for every argument of the contract: each shell parses with these before core sees a thing.
import { z } from 'zod';
import type { StudioApi, StudioMethod } from './api';
import { StudioError } from './errors';

const json: z.ZodType<unknown> = z.json();
const runId = z.string().min(1).max(200);
const seq = z.number().int().nonnegative();
const snapshotRef = z.object({ runId, seq }).strict();
const stepId = z.string().min(1).max(200);

export const apiArgs = {
  listWorkflows: z.tuple([]),
  startRun: z.tuple([
    z.string().min(1).max(200),
    z.object({ input: json.optional(), config: json.optional() }).strict(),
  ]),
  listRuns: z.tuple([]),
  getRun: z.tuple([runId]),
  listSnapshots: z.tuple([
    runId,
    z
      .object({
        offset: z.number().int().nonnegative().optional(),
        limit: z.number().int().positive().max(10_000).optional(),
      })
      .strict(),
  ]),
  getSnapshot: z.tuple([runId, seq]),
  diffSnapshots: z.tuple([snapshotRef, snapshotRef]),
  listLogs: z.tuple([runId, z.object({ stepId: stepId.optional() }).strict()]),
  findStepSnapshot: z.tuple([runId, stepId, z.enum(['first', 'last'])]),
  firstChange: z.tuple([
    runId,
    z.string().max(2000).regex(/^(\/.*)?$/, 'a path is a JSON pointer such as /steps/fetch/output'),
    z.object({ from: seq.optional(), to: seq.optional() }).strict(),
  ]),
  listVersions: z.tuple([z.string().min(1).max(200)]),
  getVersion: z.tuple([z.string().regex(/^[0-9a-f]{8,64}$/, 'a version is a hex content hash')]),
  pause: z.tuple([runId]),
  cancel: z.tuple([runId]),
  resume: z.tuple([runId, z.object({ signal: z.string().min(1).max(200).optional(), payload: json.optional() }).strict().optional()]),
  retry: z.tuple([
    runId,
    z
      .object({
        version: z.enum(['latest', 'original']),
        config: json.optional(),
        fromStep: z.string().min(1).max(200).optional(),
      })
      .strict(),
  ]),
  fork: z.tuple([
    runId,
    seq,
    z
      .object({
        state: z.record(z.string(), json).optional(),
        config: json.optional(),
        version: z.enum(['latest', 'original']).optional(),
      })
      .strict(),
  ]),
} satisfies Record<StudioMethod, z.ZodType<unknown[]>>;

export const studioMethods = Object.keys(apiArgs) as StudioMethod[];

export function isStudioMethod(name: unknown): name is StudioMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiArgs, name);
}

/** Turns unknown input from a shell into the arguments of one contract method, or a StudioError naming what is wrong. */
export function parseApiCall<M extends StudioMethod>(method: unknown, args: unknown): { method: M; args: Parameters<StudioApi[M]> } {
  if (!isStudioMethod(method)) {
    throw new StudioError('E_UNKNOWN_METHOD', `unknown method ${JSON.stringify(method)}; expected one of ${studioMethods.join(', ')}`);
  }
  const parsed = apiArgs[method].safeParse(args ?? []);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `argument ${issue.path.join('.')}` : 'arguments';
    throw new StudioError('E_BAD_ARGUMENT', `${method}: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return { method: method as M, args: parsed.data as Parameters<StudioApi[M]> };
}

/** Calls one contract method on an implementation after parsing its arguments: the one path every shell uses. */
export async function dispatchApiCall(api: StudioApi, method: unknown, args: unknown): Promise<unknown> {
  const call = parseApiCall(method, args);
  const fn = api[call.method] as (...a: unknown[]) => Promise<unknown>;
  return fn.apply(api, call.args as unknown[]);
}
