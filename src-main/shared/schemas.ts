// zod schemas for every argument of the contract: each shell parses with these before core sees a thing.
import { z } from 'zod';
import type { StudioApi, StudioMethod } from './api';
import { StudioError } from './errors';

/**
 * Where a value is not JSON as JSON.parse makes it (null, booleans, strings, finite numbers, arrays
 * without holes, plain objects), or undefined when it all is. Walks without recursion.
 */
function notJsonAt(value: unknown): { path: PropertyKey[]; what: string } | undefined {
  type Item = { v: unknown; key: PropertyKey | null; parent: Item | null };
  const pathOf = (item: Item) => {
    const path: PropertyKey[] = [];
    for (let at: Item | null = item; at && at.key !== null; at = at.parent) path.unshift(at.key);
    return path;
  };
  const stack: Item[] = [{ v: value, key: null, parent: null }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    const v = item.v;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return { path: pathOf(item), what: `${String(v)}, not a JSON number` };
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        if (!(i in v)) return { path: [...pathOf(item), i], what: 'a hole in an array' };
        stack.push({ v: v[i], key: i, parent: item });
      }
      continue;
    }
    if (typeof v === 'object') {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return { path: pathOf(item), what: 'an object that is not plain JSON' };
      for (const key of Object.keys(v)) stack.push({ v: (v as Record<string, unknown>)[key], key, parent: item });
      continue;
    }
    return { path: pathOf(item), what: `${typeof v === 'undefined' ? 'undefined' : `a ${typeof v}`}, not JSON` };
  }
  return undefined;
}

/**
 * A JSON value, checked but not copied: zod's own z.json() (and z.record) build a copy by assignment,
 * which drops a "__proto__" member without a word. Here the caller's value goes on as it came, such a
 * member kept as the own data it is (the engine and the store keep it so too).
 */
const json: z.ZodType<unknown> = z.unknown().superRefine((value, ctx) => {
  const bad = notJsonAt(value);
  if (bad) ctx.addIssue({ code: 'custom', message: `not JSON: ${bad.what}`, path: bad.path });
});
const jsonObject = z.custom<Record<string, unknown>>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), 'expected a JSON object').superRefine((value, ctx) => {
  const bad = notJsonAt(value);
  if (bad) ctx.addIssue({ code: 'custom', message: `not JSON: ${bad.what}`, path: bad.path });
});
const runId = z.string().min(1).max(200);
const seq = z.number().int().nonnegative();
const snapshotRef = z.object({ runId, seq }).strict();
const workflowId = z.string().min(1).max(200);
const versionHash = z.string().regex(/^[0-9a-f]{8,64}$/, 'a version is a hex content hash');
const snapshotName = z.string().regex(/^[\w.-][\w .:-]{0,99}$/, 'a name is 1–100 letters, digits, spaces, and . _ : -');
const retention = z.discriminatedUnion('keep', [
  z.object({ keep: z.literal('all') }).strict(),
  z.object({ keep: z.literal('last'), count: z.number().int().positive() }).strict(),
  z.object({ keep: z.literal('newer'), before: z.iso.datetime({ offset: true }).or(z.iso.date()) }).strict(),
  z.object({ keep: z.literal('days'), days: z.number().positive() }).strict(),
]);
const filePath = z.string().min(1).max(4096);
const exchangeFormat = z.enum(['native', 'mastra', 'kaiban', 'refluxo', 'temporal', 'langgraph']);
const stepId = z.string().min(1).max(200);
const consentToken = z.string().min(1).max(200);

export const apiArgs = {
  listWorkflows: z.tuple([]),
  startRun: z.tuple([
    z.string().min(1).max(200),
    z.object({ input: json.optional(), config: json.optional() }).strict(),
  ]),
  listRuns: z.tuple([]),
  listRunPage: z.tuple([
    z
      .object({
        filter: z
          .object({ workflowId: z.string().max(200), status: z.string().max(40), origin: z.string().max(40), query: z.string().max(200) })
          .partial()
          .strict()
          .optional(),
        after: z.string().min(1).max(1000).optional(),
        limit: z.number().int().nonnegative().max(5_000).optional(),
        workOrderOf: runId.optional(),
      })
      .strict(),
  ]),
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
  getSnapshotOutline: z.tuple([runId, seq]),
  diffSnapshots: z.tuple([snapshotRef, snapshotRef]),
  listLogs: z.tuple([runId, z.object({ stepId: stepId.optional() }).strict()]),
  findStepSnapshot: z.tuple([runId, stepId, z.enum(['first', 'last'])]),
  firstChange: z.tuple([
    runId,
    z.string().max(2000).regex(/^(\/.*)?$/, 'a path is a JSON pointer such as /steps/fetch/output'),
    z.object({ from: seq.optional(), to: seq.optional() }).strict(),
  ]),
  listVersions: z.tuple([z.string().min(1).max(200)]),
  getVersion: z.tuple([versionHash]),
  pause: z.tuple([runId]),
  cancel: z.tuple([runId]),
  resume: z.tuple([runId, z.object({ signal: z.string().min(1).max(200).optional(), payload: json.optional() }).strict().optional()]),
  consentToImportedCode: z.tuple([runId]),
  retry: z.tuple([
    runId,
    z
      .object({
        version: z.enum(['latest', 'original']),
        config: json.optional(),
        fromStep: z.string().min(1).max(200).optional(),
        importedCodeConsent: consentToken.optional(),
      })
      .strict(),
  ]),
  fork: z.tuple([
    runId,
    seq,
    z
      .object({
        state: jsonObject.optional(),
        config: json.optional(),
        version: z.enum(['latest', 'original']).optional(),
        importedCodeConsent: consentToken.optional(),
      })
      .strict(),
  ]),
  createNamedSnapshot: z.tuple([
    snapshotName,
    z.object({ workflowId, version: z.union([z.literal('latest'), versionHash]).optional(), config: json.optional(), input: json.optional() }).strict(),
  ]),
  listNamedSnapshots: z.tuple([workflowId.optional()]),
  runNamedSnapshot: z.tuple([z.union([z.object({ name: snapshotName }).strict(), z.object({ workflowId }).strict()])]),
  deleteNamedSnapshot: z.tuple([snapshotName]),
  getRetention: z.tuple([]),
  setRetention: z.tuple([retention]),
  prune: z.tuple([retention.optional()]),
  exportRuns: z.tuple([
    z
      .object({
        runIds: z.array(runId).min(1).max(100_000).optional(),
        workflowId: z.string().min(1).max(200).optional(),
        since: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'since must be a date such as 2025-01-31 or 2025-01-31T12:00:00Z').optional(),
        out: filePath,
        redact: z.boolean().optional(),
        redactKeys: z.array(z.string().min(1).max(200)).max(1000).optional(),
      })
      .strict()
      .refine((o) => o.runIds !== undefined || o.workflowId !== undefined || o.since !== undefined, 'say which runs: runIds, workflowId or since')
      .refine((o) => o.runIds === undefined || (o.workflowId === undefined && o.since === undefined), 'runIds goes alone, without workflowId or since'),
  ]),
  importFiles: z.tuple([
    z
      .object({
        files: z.array(filePath).min(1).max(10_000),
        format: z.union([exchangeFormat, z.literal('auto')]).optional(),
        threads: z.array(z.string().min(1).max(1000)).min(1).max(10_000).optional(),
        since: z.string().min(1).max(100).optional(),
        schema: z.string().min(1).max(63).optional(),
      })
      .strict(),
  ]),
  replay: z.tuple([
    z
      .object({
        runIds: z.array(runId).min(1).max(10_000).optional(),
        files: z.array(filePath).min(1).max(10_000).optional(),
        format: z.union([exchangeFormat, z.literal('auto')]).optional(),
        liveEffects: z.boolean().optional(),
      })
      .strict()
      .refine((o) => (o.runIds === undefined) !== (o.files === undefined), 'say what to replay: runIds or files (one of them)'),
  ]),
} satisfies Record<StudioMethod, z.ZodType<unknown[]>>;

export const studioMethods = Object.keys(apiArgs) as StudioMethod[];

/** Each method's parameter names, so a refusal names the field ("retry: options.config: …"), not a position. */
const parameterNames: Record<StudioMethod, readonly string[]> = {
  listWorkflows: [],
  startRun: ['workflowId', 'options'],
  listRuns: [],
  listRunPage: ['query'],
  getRun: ['runId'],
  listSnapshots: ['runId', 'page'],
  getSnapshot: ['runId', 'seq'],
  getSnapshotOutline: ['runId', 'seq'],
  diffSnapshots: ['a', 'b'],
  listLogs: ['runId', 'options'],
  findStepSnapshot: ['runId', 'stepId', 'which'],
  firstChange: ['runId', 'path', 'range'],
  listVersions: ['workflowId'],
  getVersion: ['version'],
  pause: ['runId'],
  cancel: ['runId'],
  resume: ['runId', 'options'],
  consentToImportedCode: ['runId'],
  retry: ['runId', 'options'],
  fork: ['runId', 'seq', 'options'],
  createNamedSnapshot: ['name', 'options'],
  listNamedSnapshots: ['workflowId'],
  runNamedSnapshot: ['ref'],
  deleteNamedSnapshot: ['name'],
  getRetention: [],
  setRetention: ['setting'],
  prune: ['policy'],
  exportRuns: ['options'],
  importFiles: ['options'],
  replay: ['options'],
};

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
    const [first, ...rest] = issue?.path ?? [];
    const where = first === undefined ? 'arguments' : [parameterNames[method][Number(first)] ?? `argument ${String(first)}`, ...rest.map(String)].join('.');
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
