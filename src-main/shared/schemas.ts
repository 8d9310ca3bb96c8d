// zod schemas for every argument of the contract: each shell parses with these before core sees a thing.
import * as z from 'zod';
import { EXCHANGE_FORMATS, type StudioApi, type StudioMethod } from './api';
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

/** A schema built on its first use, then kept: building every schema of the contract costs a CLI start ~30 ms. */
function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

/**
 * A JSON value, checked but not copied: zod's own z.json() (and z.record) build a copy by assignment,
 * which drops a "__proto__" member without a word. Here the caller's value goes on as it came, such a
 * member kept as the own data it is (the engine and the store keep it so too).
 */
const json = once((): z.ZodType<unknown> => z.unknown().superRefine((value, ctx) => {
  const bad = notJsonAt(value);
  if (bad) ctx.addIssue({ code: 'custom', message: `not JSON: ${bad.what}`, path: bad.path });
}));
const jsonObject = once(() => z.custom<Record<string, unknown>>((v) => v !== null && typeof v === 'object' && !Array.isArray(v), 'expected a JSON object').superRefine((value, ctx) => {
  const bad = notJsonAt(value);
  if (bad) ctx.addIssue({ code: 'custom', message: `not JSON: ${bad.what}`, path: bad.path });
}));
const runId = once(() => z.string().min(1).max(200));
const seq = once(() => z.number().int().nonnegative());
const snapshotRef = once(() => z.object({ runId: runId(), seq: seq() }).strict());
const workflowId = once(() => z.string().min(1).max(200));
const versionHash = once(() => z.string().regex(/^[0-9a-f]{8,64}$/, 'a version is a hex content hash'));
const snapshotName = once(() => z.string().regex(/^[\w.-][\w .:-]{0,99}$/, 'a name is 1–100 letters, digits, spaces, and . _ : -'));
const retention = once(() => z.discriminatedUnion('keep', [
  z.object({ keep: z.literal('all') }).strict(),
  z.object({ keep: z.literal('last'), count: z.number().int().positive() }).strict(),
  z.object({ keep: z.literal('newer'), before: z.iso.datetime({ offset: true }).or(z.iso.date()) }).strict(),
  z.object({ keep: z.literal('days'), days: z.number().positive() }).strict(),
]));
const filePath = once(() => z.string().min(1).max(4096));
const exchangeFormat = once(() => z.enum(EXCHANGE_FORMATS));
const stepId = once(() => z.string().min(1).max(200));
const consentToken = once(() => z.string().min(1).max(200));

/**
 * The contract's one table: each method of StudioApi with its parameters by name, in order, and the schema each
 * one is parsed with (a function that builds them: a shell pays only for the methods it calls). The method list (studioMethods) and a refusal's field names ("retry: options.config: …")
 * come from here; the compiler refuses a method of StudioApi missing from it, or a name that is not one.
 */
export const apiParameters = {
  getStudioInfo: () => ({}),
  listWorkflows: () => ({}),
  startRun: () => ({ workflowId: workflowId(), options: z.object({ input: json().optional(), config: json().optional(), detach: z.boolean().optional() }).strict() }),
  listRuns: () => ({}),
  listRunPage: () => ({
    query: z
      .object({
        filter: z
          .object({ workflowId: z.string().max(200), status: z.string().max(40), origin: z.string().max(40), query: z.string().max(200) })
          .partial()
          .strict()
          .optional(),
        after: z.string().min(1).max(1000).optional(),
        limit: z.number().int().nonnegative().max(5_000).optional(),
        workOrderOf: runId().optional(),
      })
      .strict(),
  }),
  getRun: () => ({ runId: runId() }),
  listSnapshots: () => ({
    runId: runId(),
    page: z
      .object({
        offset: z.number().int().nonnegative().optional(),
        limit: z.number().int().positive().max(10_000).optional(),
      })
      .strict(),
  }),
  getSnapshot: () => ({ runId: runId(), seq: seq() }),
  getSnapshotOutline: () => ({ runId: runId(), seq: seq() }),
  diffSnapshots: () => ({ a: snapshotRef(), b: snapshotRef() }),
  listLogs: () => ({ runId: runId(), options: z.object({ stepId: stepId().optional() }).strict() }),
  findStepSnapshot: () => ({ runId: runId(), stepId: stepId(), which: z.enum(['first', 'last']) }),
  firstChange: () => ({
    runId: runId(),
    path: z.string().max(2000).regex(/^(\/.*)?$/, 'a path is a JSON pointer such as /steps/fetch/output'),
    range: z.object({ from: seq().optional(), to: seq().optional() }).strict(),
  }),
  listVersions: () => ({ workflowId: workflowId() }),
  getVersion: () => ({ version: versionHash() }),
  pause: () => ({ runId: runId() }),
  cancel: () => ({ runId: runId() }),
  resume: () => ({ runId: runId(), options: z.object({ signal: z.string().min(1).max(200).optional(), payload: json().optional(), detach: z.boolean().optional() }).strict().optional() }),
  consentToImportedCode: () => ({ runId: runId() }),
  retry: () => ({
    runId: runId(),
    options: z
      .object({
        version: z.enum(['latest', 'original']),
        config: json().optional(),
        fromStep: z.string().min(1).max(200).optional(),
        importedCodeConsent: consentToken().optional(),
      })
      .strict(),
  }),
  fork: () => ({
    runId: runId(),
    seq: seq(),
    options: z
      .object({
        state: jsonObject().optional(),
        config: json().optional(),
        version: z.enum(['latest', 'original']).optional(),
        importedCodeConsent: consentToken().optional(),
      })
      .strict(),
  }),
  createNamedSnapshot: () => ({
    name: snapshotName(),
    options: z.object({ workflowId: workflowId(), version: z.union([z.literal('latest'), versionHash()]).optional(), config: json().optional(), input: json().optional() }).strict(),
  }),
  listNamedSnapshots: () => ({ workflowId: workflowId().optional() }),
  runNamedSnapshot: () => ({ ref: z.union([z.object({ name: snapshotName() }).strict(), z.object({ workflowId: workflowId() }).strict()]) }),
  deleteNamedSnapshot: () => ({ name: snapshotName() }),
  getRetention: () => ({}),
  setRetention: () => ({ setting: retention() }),
  prune: () => ({ policy: retention().optional() }),
  exportRuns: () => ({
    options: z
      .object({
        runIds: z.array(runId()).min(1).max(100_000).optional(),
        workflowId: z.string().min(1).max(200).optional(),
        since: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'since must be a date such as 2025-01-31 or 2025-01-31T12:00:00Z').optional(),
        out: filePath(),
        redact: z.boolean().optional(),
        redactKeys: z.array(z.string().min(1).max(200)).max(1000).optional(),
        wholeDocuments: z.boolean().optional(),
      })
      .strict()
      .refine((o) => o.runIds !== undefined || o.workflowId !== undefined || o.since !== undefined, 'say which runs: runIds, workflowId or since')
      .refine((o) => o.runIds === undefined || (o.workflowId === undefined && o.since === undefined), 'runIds goes alone, without workflowId or since'),
  }),
  importFiles: () => ({
    options: z
      .object({
        files: z.array(filePath()).min(1).max(10_000),
        format: z.union([exchangeFormat(), z.literal('auto')]).optional(),
        threads: z.array(z.string().min(1).max(1000)).min(1).max(10_000).optional(),
        since: z.string().min(1).max(100).optional(),
        schema: z.string().min(1).max(63).optional(),
      })
      .strict(),
  }),
  replay: () => ({
    options: z
      .object({
        runIds: z.array(runId()).min(1).max(10_000).optional(),
        files: z.array(filePath()).min(1).max(10_000).optional(),
        format: z.union([exchangeFormat(), z.literal('auto')]).optional(),
        liveEffects: z.boolean().optional(),
      })
      .strict()
      .refine((o) => (o.runIds === undefined) !== (o.files === undefined), 'say what to replay: runIds or files (one of them)'),
  }),
} satisfies MethodTable;

/**
 * What the table must be: every method of StudioApi, each with its named parameters' schemas, built by a function
 * on the method's first call (see parametersOf).
 */
export type MethodTable = { [M in StudioMethod]: () => Record<string, z.ZodType> };

/** Every method of StudioApi, in the table's order. */
export const studioMethods = Object.keys(apiParameters) as StudioMethod[];

const parameters = new Map<StudioMethod, Record<string, z.ZodType>>();
const tuples = new Map<StudioMethod, z.ZodType<unknown[]>>();

/** A method's parameters by name, in order, with their schemas: built on the first call of the method, then kept. */
export function parametersOf(method: StudioMethod): Record<string, z.ZodType> {
  let made = parameters.get(method);
  if (!made) parameters.set(method, (made = apiParameters[method]()));
  return made;
}

/** A method's arguments as one tuple schema, parsed at once so an issue's path starts at the parameter. */
export function argsSchemaOf(method: StudioMethod): z.ZodType<unknown[]> {
  let made = tuples.get(method);
  if (!made) tuples.set(method, (made = z.tuple(Object.values(parametersOf(method)) as [z.ZodType, ...z.ZodType[]]) as z.ZodType<unknown[]>));
  return made;
}

export function isStudioMethod(name: unknown): name is StudioMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(apiParameters, name);
}

/** Turns unknown input from a shell into the arguments of one contract method, or a StudioError naming what is wrong. */
export function parseApiCall<M extends StudioMethod>(method: unknown, args: unknown): { method: M; args: Parameters<StudioApi[M]> } {
  if (!isStudioMethod(method)) {
    throw new StudioError('E_UNKNOWN_METHOD', `unknown method ${JSON.stringify(method)}; expected one of ${studioMethods.join(', ')}`);
  }
  const parsed = argsSchemaOf(method).safeParse(args ?? []);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [first, ...rest] = issue?.path ?? [];
    const names = Object.keys(parametersOf(method));
    const where = first === undefined ? 'arguments' : [names[Number(first)] ?? `argument ${String(first)}`, ...rest.map(String)].join('.');
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
