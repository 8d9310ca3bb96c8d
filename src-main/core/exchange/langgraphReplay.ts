// Replays a recorded LangGraph thread against the person's own graph: their module is loaded with their own
// @langchain/langgraph (resolved from the module's folder), run on an in-memory checkpointer with the thread's
// first input and, at each interrupt, the resume payload the recording received (and any later input); then its checkpoints are
// compared with the recording's, channel values checkpoint by checkpoint, up to the first human edit. Nodes
// named as recorded return what they wrote in the recording instead of running (nodes that call the outside
// world). The replay is stored as a run of origin `replay`, linked to the recording (replayOf).
//
// This runs the person's code in this process, as `replay` runs their workflows: only ever a module they
// named on the command line, never one a window or an import brings.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { StudioError } from '../../shared/errors';
import type { Json, SnapshotDocument } from '../../shared/snapshot';
import type { SnapshotStore } from '../store/contract';
import type { LgCheckpoint } from './adapters/langgraph/checkpoints';
import { langgraphRuns, threadRunId } from './adapters/langgraph/threads';
import { stageForeignRun } from './stageForeignRun';
import { importSessionFor } from './importer';

export interface LangGraphReplayOptions {
  /** The recorded thread, already imported into the store. */
  thread: string;
  /** `path/to/graph.ts` or `path/to/graph.ts#exportName`. */
  graph: string;
  /** Nodes that return their recorded writes instead of running. */
  recorded?: string[];
}

export interface LangGraphDivergence {
  /** LangGraph's superstep (metadata.step) of the first checkpoint that differs. */
  superstep: number;
  /** The nodes that ran into that checkpoint. */
  nodes: string[];
  /** A JSON pointer into the snapshot ('/state/…'), or '' when one side has no such checkpoint. */
  path: string;
  recorded?: Json;
  replayed?: Json;
}

export interface LangGraphReplayReport {
  recordedRunId: string;
  replayRunId: string;
  outcome: 'identical' | 'diverged';
  /** Checkpoints compared. */
  compared: number;
  divergence?: LangGraphDivergence;
  message: string;
}

type Graph = {
  invoke(input: unknown, config: unknown): Promise<unknown>;
  getState(config: unknown): Promise<{ next: string[]; tasks: { interrupts?: unknown[] }[] }>;
  nodes: Record<string, { bound: unknown }>;
  checkpointer?: unknown;
};

function isCompiledGraph(value: unknown): value is Graph {
  const v = value as Partial<Graph> | null;
  return typeof v === 'object' && v !== null && typeof v.invoke === 'function' && typeof v.getState === 'function' && typeof v.nodes === 'object' && v.nodes !== null;
}

/** The ESM entry of a package as seen from a folder (its own copy, the one the person's module imports). */
async function importFrom(fromFile: string, pkg: string, subpath = '.'): Promise<Record<string, unknown>> {
  const require = createRequire(fromFile);
  let manifest: string;
  try {
    manifest = require.resolve(`${pkg}/package.json`);
  } catch {
    throw new StudioError('E_BAD_ARGUMENT', `${pkg} is not installed where ${fromFile} can import it: the graph runs with the project's own ${pkg}`);
  }
  const json = JSON.parse(readFileSync(manifest, 'utf8')) as { exports?: Record<string, unknown>; module?: string; main?: string };
  const entry = json.exports?.[subpath] as { import?: string | { default?: string }; default?: string } | string | undefined;
  const target = typeof entry === 'string' ? entry : typeof entry?.import === 'string' ? entry.import : (entry?.import?.default ?? entry?.default ?? json.module ?? json.main ?? 'index.js');
  return (await import(pathToFileURL(join(dirname(manifest), target)).href)) as Record<string, unknown>;
}

/** Loads the graph module and picks its compiled graph: the export named after #, else the default, else the only one. */
async function loadGraph(spec: string): Promise<{ graph: Graph; file: string }> {
  const hash = spec.lastIndexOf('#');
  const file = resolve(hash > 0 ? spec.slice(0, hash) : spec);
  const name = hash > 0 ? spec.slice(hash + 1) : undefined;
  let mod: Record<string, unknown>;
  try {
    // A TypeScript module goes through tsx, as workflow files do; the built CLI runs on plain Node.
    if (/\.[cm]?tsx?$/.test(file)) {
      const { tsImport } = (await import('tsx/esm/api')) as { tsImport(specifier: string, parent: string): Promise<Record<string, unknown>> };
      mod = await tsImport(pathToFileURL(file).href, import.meta.url);
    } else mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new StudioError('E_BAD_ARGUMENT', `graph ${spec}: cannot load the module (${(err as Error).message.split('\n')[0]})`);
  }
  const graphs = Object.entries(mod).filter(([, v]) => isCompiledGraph(v));
  const picked = name !== undefined ? mod[name] : (mod.default ?? (graphs.length === 1 ? graphs[0][1] : undefined));
  if (!isCompiledGraph(picked)) {
    const exports = Object.keys(mod).join(', ') || 'nothing';
    if (name === undefined && graphs.length > 1) throw new StudioError('E_BAD_ARGUMENT', `graph ${spec}: it exports several compiled graphs (${graphs.map(([k]) => k).join(', ')}): name one with #, e.g. ${spec}#${graphs[0][0]}`);
    const what = name !== undefined ? `its export "${name}" is not a compiled LangGraph graph` : 'it does not export a compiled LangGraph graph (call .compile() on the StateGraph and export the result)';
    throw new StudioError('E_BAD_ARGUMENT', `graph ${spec}: ${what}; it exports ${exports}`);
  }
  return { graph: picked, file };
}

/** The first branch of a recorded run up to (not including) its first human edit, as checkpoint snapshots. */
function checkpointsOf(snapshots: SnapshotDocument[]): SnapshotDocument[] {
  const out: SnapshotDocument[] = [];
  for (const s of snapshots) {
    if (s.kind === 'edited') break;
    if (String(s.metadata.sourceKey ?? '').startsWith('checkpoint:')) out.push(s);
  }
  return out;
}

function ranInto(s: SnapshotDocument): string[] {
  const lg = (s.metadata.langgraph ?? {}) as { superstep?: string[] };
  return lg.superstep ?? (s.stepId ? [s.stepId] : []);
}

/** The first place two JSON values differ, as a JSON pointer under `base`. */
function firstDifference(a: Json | undefined, b: Json | undefined, base: string): { path: string; recorded?: Json; replayed?: Json } | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  const isObj = (v: Json | undefined): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = firstDifference(a[i], b[i], `${base}/${i}`);
      if (d) return d;
    }
  }
  if (isObj(a) && isObj(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = firstDifference(a[key], b[key], `${base}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (d) return d;
    }
  }
  return { path: base, ...(a !== undefined ? { recorded: a } : {}), ...(b !== undefined ? { replayed: b } : {}) };
}

export async function replayLangGraphThread(store: SnapshotStore, options: LangGraphReplayOptions): Promise<LangGraphReplayReport> {
  const recordedRunId = threadRunId(options.thread);
  const recordedRun = (await store.read.listRuns()).find((r) => r.id === recordedRunId);
  if (!recordedRun) throw new StudioError('E_NO_RUN', `thread ${options.thread} is not in the source (no run ${recordedRunId})`);
  const snapshots = await Promise.all((await store.read.listSnapshots(recordedRunId, 0, 100_000)).map((s) => store.read.getSnapshot(recordedRunId, s.seq)));
  const recordedCheckpoints = checkpointsOf(snapshots);

  const { graph, file } = await loadGraph(options.graph);
  const langgraph = await importFrom(file, '@langchain/langgraph');
  const MemorySaver = langgraph.MemorySaver as new () => { list(config: unknown): AsyncIterable<{ checkpoint: unknown; metadata?: unknown; parentConfig?: { configurable?: { checkpoint_id?: string } }; config: { configurable?: { checkpoint_id?: string; checkpoint_ns?: string } }; pendingWrites?: [string, string, unknown][] }> };
  const Command = langgraph.Command as new (args: { resume: unknown }) => unknown;
  const saver = new MemorySaver();
  graph.checkpointer = saver;

  // Recorded nodes give back what the recording says they wrote, in the order they ran.
  const recorded = new Set(options.recorded ?? []);
  for (const node of recorded) if (!graph.nodes[node]) throw new StudioError('E_BAD_ARGUMENT', `recorded node ${node}: the graph has no node "${node}" (it has ${Object.keys(graph.nodes).filter((n) => n !== '__start__').join(', ')})`);
  if (recorded.size > 0) {
    const { RunnableLambda } = (await importFrom(createRequire(file).resolve('@langchain/langgraph/package.json'), '@langchain/core', './runnables')) as { RunnableLambda: { from(fn: () => unknown): unknown } };
    const outputs = new Map<string, Json[]>();
    for (const s of recordedCheckpoints) for (const node of ranInto(s)) if (recorded.has(node)) outputs.set(node, [...(outputs.get(node) ?? []), s.steps[node]?.output ?? {}]);
    for (const node of recorded) {
      const queue = [...(outputs.get(node) ?? [])];
      graph.nodes[node].bound = RunnableLambda.from(() => {
        if (queue.length === 0) throw new Error(`node ${node} ran more often than in the recording, so it has no recorded writes to return`);
        return structuredClone(queue.shift());
      });
    }
  }

  const config = { configurable: { thread_id: `replay-${options.thread}` } };
  // What the recording was given after its first input, in order: resume payloads and new inputs.
  const given: ({ resume: Json } | { input: Json })[] = [];
  for (const s of snapshots) {
    const lg = (s.metadata.langgraph ?? {}) as { resume?: Record<string, Json>; input?: Json };
    if (s.kind === 'edited') break;
    if (s.kind === 'resumed') given.push({ resume: Object.values(lg.resume ?? {})[0] ?? null });
    else if (lg.input !== undefined) given.push({ input: lg.input });
  }
  let failure: Error | undefined;
  try {
    await graph.invoke(snapshots[0]?.input ?? null, config);
    for (const next of given) {
      if ('resume' in next) {
        const state = await graph.getState(config);
        if (!state.tasks.some((t) => (t.interrupts ?? []).length > 0)) break;
        await graph.invoke(new Command({ resume: next.resume }), config);
      } else await graph.invoke(next.input, config);
    }
  } catch (err) {
    // A node that throws is part of what is compared (the recording may have failed there too).
    failure = err as Error;
  }

  // The replay's checkpoints, read back as the import reads a saver's.
  const stamp = Date.now().toString(36);
  const tuples: LgCheckpoint[] = [];
  for await (const t of saver.list(config)) {
    const id = t.config.configurable?.checkpoint_id ?? '';
    tuples.push({
      thread: `replay-${options.thread}-${stamp}`,
      ns: t.config.configurable?.checkpoint_ns ?? '',
      id,
      parent: t.parentConfig?.configurable?.checkpoint_id ?? null,
      checkpoint: { json: JSON.parse(JSON.stringify(t.checkpoint)) as Json },
      metadata: { json: JSON.parse(JSON.stringify(t.metadata ?? {})) as Json },
      writes: (t.pendingWrites ?? []).map(([taskId, channel, value], idx) => ({ taskId, idx, channel, value: { json: JSON.parse(JSON.stringify(value ?? null)) as Json } })),
      source: { file: `replay of ${options.thread}` },
    });
  }
  const replayRun = langgraphRuns(tuples.filter((t) => t.ns === '')).runs.find((r) => !r.runId.includes('~'));
  if (!replayRun) throw new StudioError('E_BAD_ARGUMENT', `the graph made no checkpoint${failure ? ` (${failure.message})` : ''}`);
  replayRun.origin = 'replay';
  delete replayRun.incremental;
  replayRun.links = { replayOf: recordedRunId };
  replayRun.workflow = { ...replayRun.workflow, id: recordedRun.workflowId, name: recordedRun.workflowId };

  const replayed = checkpointsOf(replayRun.snapshots);
  let divergence: LangGraphDivergence | undefined;
  let compared = 0;
  for (let i = 0; i < Math.max(recordedCheckpoints.length, replayed.length) && !divergence; i++) {
    const [a, b] = [recordedCheckpoints[i], replayed[i]];
    const at = a ?? b;
    const step = ((at.metadata.langgraph ?? {}) as { step?: number }).step ?? i - 1;
    if (!a || !b) {
      divergence = { superstep: step, nodes: ranInto(at), path: '', ...(a ? { recorded: a.state } : { replayed: b.state }) };
      break;
    }
    compared++;
    const d = firstDifference(a.state, b.state, '/state');
    if (d) divergence = { superstep: step, nodes: ranInto(b).length > 0 ? ranInto(b) : ranInto(a), ...d };
  }

  const session = await importSessionFor(store);
  try {
    await stageForeignRun(session, replayRun, `replay of ${options.thread}`);
    await session.commitInto();
  } finally {
    session.discard();
  }
  const where = divergence ? `superstep ${divergence.superstep}${divergence.nodes.length ? ` (node ${divergence.nodes.join(', ')})` : ''}` : '';
  const message = divergence
    ? divergence.path === ''
      ? `diverged at ${where}: the ${divergence.recorded !== undefined ? 'replay stopped before' : 'recording ended before'} this checkpoint${failure ? ` (${failure.message})` : ''}`
      : `diverged at ${where}: ${divergence.path} recorded ${JSON.stringify(divergence.recorded)}, replayed ${JSON.stringify(divergence.replayed)}`
    : `identical (${compared} checkpoints)`;
  return { recordedRunId, replayRunId: replayRun.runId, outcome: divergence ? 'diverged' : 'identical', compared, ...(divergence ? { divergence } : {}), message };
}
