// LangGraph threads → our runs (pure). A thread is a run; its checkpoints, in id order (time-ordered
// UUIDv6), are its snapshots; the nodes that ran between two checkpoints are steps (started at the first,
// ended at the second, their writes as output; several in one superstep ran in parallel). Interrupts,
// resumes and errors are pending writes of the checkpoint a task ran from: they add a `waiting`, `resumed`
// or failed snapshot after it. A checkpoint whose parent is not the one before it starts a branch (time
// travel): each branch after the first is a run of its own, forkedFrom the run and seq it left, and an
// update_state checkpoint (source "update") is an `edited` snapshot. A subgraph's checkpoints (checkpoint_ns
// not empty) are a child run, named from the parent's step that ran it.
//
// Every snapshot carries metadata.sourceKey, the same for the same checkpoint or event on every import:
// a thread read again maps to the same snapshots, then the new ones, so an import can append only those.
import type { Json, RunStatus, SnapshotKind, StepRecord } from '../../../../shared/snapshot';
import type { ImportedRun, ImportedWorkflow } from '../../types';
import { buildRun, emptyCursor, groupBy, stepRecord, type TimelinePoint } from '../shared/document';
import { toStepError } from '../shared/errors';
import { isObject, own, type JsonObject } from '../shared/fields';
import { needsFromOrder, withSteps, type OrderEvent } from '../../../engine/stepGraph';
import { isBookkeepingChannel, isUnreadablePlaceholder, uuid5, uuid6Time, valueJson, type LgCheckpoint, type LgWrite } from './checkpoints';

/** The run id of a thread's branch (its first branch: the thread itself) or subgraph. */
export function threadRunId(thread: string, ns = '', branchStart?: string): string {
  return `langgraph-${thread}${ns ? `/${ns}` : ''}${branchStart ? `~${branchStart}` : ''}`;
}

interface Read {
  values: JsonObject;
  versions: JsonObject;
  seen: JsonObject;
  ts: string;
  source: string;
  step: number;
  graphId?: string;
}

function read(cp: LgCheckpoint): Read {
  const body = 'json' in cp.checkpoint && isObject(cp.checkpoint.json) ? cp.checkpoint.json : {};
  const meta = 'json' in cp.metadata && isObject(cp.metadata.json) ? cp.metadata.json : {};
  const obj = (v: Json | undefined): JsonObject => (isObject(v) ? v : {});
  const ts = own(body, 'ts');
  const idTime = uuid6Time(cp.id);
  const graphId = own(meta, 'graph_id');
  return {
    values: obj(own(body, 'channel_values')),
    versions: obj(own(body, 'channel_versions')),
    seen: obj(own(body, 'versions_seen')),
    ts: typeof ts === 'string' && !Number.isNaN(Date.parse(ts)) ? new Date(ts).toISOString() : new Date(idTime ?? 0).toISOString(),
    source: typeof own(meta, 'source') === 'string' ? (own(meta, 'source') as string) : 'loop',
    step: typeof own(meta, 'step') === 'number' ? (own(meta, 'step') as number) : 0,
    ...(typeof graphId === 'string' && graphId !== '' ? { graphId } : {}),
  };
}

function stateOf(values: JsonObject): { [key: string]: Json } {
  return Object.fromEntries(Object.entries(values).filter(([name]) => !isBookkeepingChannel(name)));
}

/** The nodes a checkpoint schedules next: `branch:to:X`, and joins whose every source has arrived. */
function nextNodes(values: JsonObject): string[] {
  const next: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const branch = /^branch:to:(.+)$/.exec(name);
    if (branch) next.push(branch[1]);
    const join = /^join:(.+):([^:]+)$/.exec(name);
    if (join && Array.isArray(value)) {
      const sources = join[1].split('+');
      if (sources.every((s) => value.includes(s))) next.push(join[2]);
    }
  }
  return next;
}

/** The nodes that ran between two checkpoints: those whose versions_seen changed (LangGraph's own entries left out). */
function nodesThatRan(before: Read | undefined, after: Read): string[] {
  return Object.keys(after.seen).filter((node) => !node.startsWith('__') && JSON.stringify(after.seen[node]) !== JSON.stringify(before?.seen[node]));
}

/**
 * Which node each task that wrote from this checkpoint ran, by LangGraph.js's task id
 * (uuid5 of [namespace, step, node, "__pregel_pull", [trigger]] in the checkpoint's id). A task whose id
 * does not match (a Python saver, another version) is named after the only node that ran, or by its id.
 */
function taskNodes(cp: LgCheckpoint, r: Read, candidates: string[], ran: string[]): Map<string, string> {
  const tasks = new Set(cp.writes.map((w) => w.taskId));
  const out = new Map<string, string>();
  const step = String(r.step + 1);
  const triggers = Object.keys(r.versions);
  for (const node of new Set([...candidates, '__start__'])) {
    for (const space of cp.ns === '' ? [node] : [`${cp.ns}|${node}`, node]) {
      for (const trigger of triggers) {
        const id = uuid5(JSON.stringify([space, step, node, '__pregel_pull', [trigger]]), cp.id);
        if (tasks.has(id)) out.set(id, node);
      }
    }
  }
  const unmatched = [...tasks].filter((t) => !out.has(t) && !/^0{8}-/.test(t));
  for (const task of unmatched) out.set(task, ran.length === 1 && unmatched.length === 1 ? ran[0] : `task-${task.slice(0, 8)}`);
  return out;
}

function outputOf(writes: LgWrite[]): Json {
  const out: { [key: string]: Json } = {};
  for (const w of writes) if (!isBookkeepingChannel(w.channel)) out[w.channel] = valueJson(w.value);
  return out;
}

function countUnreadable(value: Json): number {
  if (isUnreadablePlaceholder(value)) return 1;
  if (Array.isArray(value)) return value.reduce<number>((n, v) => n + countUnreadable(v), 0);
  if (isObject(value)) return Object.values(value).reduce<number>((n, v) => n + countUnreadable(v), 0);
  return 0;
}

function original(cp: LgCheckpoint): Json {
  return {
    thread_id: cp.thread,
    checkpoint_ns: cp.ns,
    checkpoint_id: cp.id,
    parent_checkpoint_id: cp.parent,
    checkpoint: valueJson(cp.checkpoint),
    metadata: valueJson(cp.metadata),
  };
}

function writeRecord(cp: LgCheckpoint, writes: LgWrite[]): Json {
  return { thread_id: cp.thread, checkpoint_ns: cp.ns, checkpoint_id: cp.id, writes: writes.map((w) => ({ task_id: w.taskId, idx: w.idx, channel: w.channel, value: valueJson(w.value) })) };
}

/** What a branch starts from: the steps and order as the checkpoint it left had them. */
interface Carry {
  steps: Map<string, StepRecord>;
  order: OrderEvent[];
  previous?: Read;
}

interface BranchOut {
  points: TimelinePoint[];
  /** The steps as each checkpoint's own snapshot had them, for branches that leave from it. */
  carryAt: Map<string, Carry>;
  order: OrderEvent[];
  /** The thread's first input (of the first branch). */
  input: Json;
  graphId?: string;
}

function buildBranch(branch: LgCheckpoint[], start: Carry, childOf: Map<string, string>, first: boolean): BranchOut {
  const steps = new Map(start.steps);
  const order = [...start.order];
  const carryAt = new Map<string, Carry>();
  const points: TimelinePoint[] = [];
  let previous = start.previous;
  let input: Json = null;
  let graphId: string | undefined;
  const config: Json = { configurable: { thread_id: branch[0].thread, checkpoint_ns: branch[0].ns } };
  let previousCp: LgCheckpoint | undefined;
  let previousRan = new Map<string, string>();
  branch.forEach((cp, i) => {
    const r = read(cp);
    graphId ??= r.graphId;
    if (i === 0 && first) input = own(r.values, '__start__') ?? null;
    const next = nextNodes(r.values);
    const ran = r.source === 'loop' || r.source === 'input' ? nodesThatRan(previous, r) : [];
    const subgraphs: { [node: string]: Json } = {};
    for (const node of ran) {
      const before = steps.get(node);
      const task = [...previousRan].find(([, n]) => n === node)?.[0];
      const writes = previousCp && task ? previousCp.writes.filter((w) => w.taskId === task && !w.channel.startsWith('__')) : [];
      const startedAt = previous?.ts ?? r.ts;
      steps.set(node, stepRecord({
        status: 'completed',
        // A node that waited and was resumed finishes its attempt; one that ran before (a later input) runs again.
        attempts: before?.status === 'waiting' || before?.status === 'running' ? before.attempts : (before?.attempts ?? 0) + 1,
        output: outputOf(writes),
        startedAt,
        endedAt: r.ts,
        durationMs: Math.max(0, Date.parse(r.ts) - Date.parse(startedAt)),
        signals: before?.signals,
      }));
      const child = task ? childOf.get(task) : undefined;
      if (child) subgraphs[node] = child;
    }
    for (const node of ran) order.push({ stepId: node, phase: 'start' });
    for (const node of ran) order.push({ stepId: node, phase: 'end' });
    const completed = next.length === 0 && r.source === 'loop';
    const kind: SnapshotKind =
      r.source === 'update' || r.source === 'fork' ? 'edited' : i === 0 && first ? 'run-started' : completed ? 'run-completed' : ran.length > 0 ? 'step-completed' : 'imported';
    const lg: { [key: string]: Json } = { checkpointId: cp.id, source: r.source, step: r.step, next };
    if (ran.length > 1) lg.superstep = ran;
    if (Object.keys(subgraphs).length > 0) lg.subgraphs = subgraphs;
    if (r.source === 'input' && i > 0) lg.input = own(r.values, '__start__') ?? null;
    if ('unreadable' in cp.checkpoint) lg.unreadableCheckpoint = valueJson(cp.checkpoint);
    const cursor = emptyCursor();
    cursor.ready = next;
    points.push({
      at: r.ts,
      kind,
      stepId: ran.length === 1 ? ran[0] : null,
      status: completed ? 'completed' : 'running',
      input,
      config,
      state: stateOf(r.values),
      steps: new Map(steps),
      cursor,
      original: original(cp),
      source: cp.source,
      metadata: { sourceKey: `checkpoint:${cp.id}`, langgraph: lg },
      key: `checkpoint:${cp.id}`,
    });
    carryAt.set(cp.id, { steps: new Map(steps), order: [...order], previous: r });

    // What the tasks that ran from this checkpoint left: an interrupt, a resume, an error.
    const tasks = taskNodes(cp, r, [...next, ...steps.keys()], i + 1 < branch.length ? nodesThatRan(r, read(branch[i + 1])) : next);
    const byChannel = (channel: string) => cp.writes.filter((w) => w.channel === channel);
    const event = (kindOf: SnapshotKind, status: RunStatus, stepId: string | null, writes: LgWrite[], extra: { [key: string]: Json }, eventCursor = emptyCursor()) =>
      points.push({
        at: r.ts,
        kind: kindOf,
        stepId,
        status,
        input,
        config,
        state: stateOf(r.values),
        steps: new Map(steps),
        cursor: eventCursor,
        original: writeRecord(cp, writes),
        source: cp.source,
        metadata: { sourceKey: `${kindOf}:${cp.id}`, langgraph: { checkpointId: cp.id, ...extra } },
        key: `${kindOf}:${cp.id}`,
      });
    const interrupts = byChannel('__interrupt__');
    if (interrupts.length > 0) {
      const cursorWaiting = emptyCursor();
      const shown: Json[] = [];
      for (const w of interrupts) {
        const node = tasks.get(w.taskId) ?? `task-${w.taskId.slice(0, 8)}`;
        const before = steps.get(node);
        steps.set(node, stepRecord({ status: 'waiting', attempts: (before?.attempts ?? 0) + 1, startedAt: r.ts, suspended: true }));
        order.push({ stepId: node, phase: 'start' });
        cursorWaiting.waiting.push({ stepId: node, signal: 'resume', since: r.ts });
        shown.push({ node, interrupts: valueJson(w.value) });
      }
      event('waiting', 'waiting', cursorWaiting.waiting[0].stepId, interrupts, { interrupts: shown }, cursorWaiting);
    }
    const resumes = byChannel('__resume__').filter((w) => !/^0{8}-/.test(w.taskId));
    const resumeWrites = resumes.length > 0 ? resumes : byChannel('__resume__');
    if (resumeWrites.length > 0) {
      const resumed: { [node: string]: Json } = {};
      for (const w of resumeWrites) {
        const node = tasks.get(w.taskId) ?? cursorNode(steps);
        if (!node) continue;
        const payload = valueJson(w.value);
        const value = Array.isArray(payload) && payload.length === 1 ? payload[0] : payload;
        resumed[node] = value;
        const before = steps.get(node);
        steps.set(node, stepRecord({ ...(before ?? { attempts: 1 }), status: 'running', suspended: undefined, signals: { ...before?.signals, resume: value } }));
      }
      const nodes = Object.keys(resumed);
      const running = emptyCursor();
      running.running = nodes;
      event('resumed', 'running', nodes.length === 1 ? nodes[0] : null, resumeWrites, { resume: resumed }, running);
    }
    const errors = byChannel('__error__');
    if (errors.length > 0) {
      const last = i === branch.length - 1;
      let error;
      for (const w of errors) {
        const node = tasks.get(w.taskId) ?? `task-${w.taskId.slice(0, 8)}`;
        const value = valueJson(w.value);
        error = toStepError(value) ?? { name: 'Error', message: `node ${node} failed (LangGraph kept ${JSON.stringify(value).slice(0, 200)})` };
        const before = steps.get(node);
        steps.set(node, stepRecord({ status: 'failed', attempts: (before?.attempts ?? 0) + 1, error, startedAt: r.ts, endedAt: r.ts, durationMs: 0 }));
        order.push({ stepId: node, phase: 'start' }, { stepId: node, phase: 'end' });
      }
      const failedNode = tasks.get(errors[0].taskId) ?? null;
      points.push({ ...points[points.length - 1], kind: last ? 'run-failed' : 'step-failed', stepId: failedNode, status: last ? 'failed' : 'error', steps: new Map(steps), cursor: emptyCursor(), error, original: writeRecord(cp, errors), metadata: { sourceKey: `failed:${cp.id}`, langgraph: { checkpointId: cp.id } }, key: `failed:${cp.id}` });
    }
    previous = r;
    previousCp = cp;
    previousRan = tasks;
  });
  return { points, carryAt, order, input, ...(graphId ? { graphId } : {}) };
}

function cursorNode(steps: Map<string, StepRecord>): string | undefined {
  return [...steps].find(([, s]) => s.status === 'waiting')?.[0];
}

/** Splits checkpoints (of one thread and namespace, in id order) into branches: a checkpoint whose parent is not the tip of a branch starts one. */
function branchesOf(checkpoints: LgCheckpoint[]): { checkpoints: LgCheckpoint[]; from?: string }[] {
  const branches: { checkpoints: LgCheckpoint[]; from?: string }[] = [];
  const tipOf = new Map<string, number>();
  for (const cp of checkpoints) {
    const at = cp.parent !== null ? tipOf.get(cp.parent) : branches.length > 0 ? undefined : -1;
    if (at !== undefined && at >= 0) {
      tipOf.delete(cp.parent!);
      branches[at].checkpoints.push(cp);
      tipOf.set(cp.id, at);
    } else {
      branches.push({ checkpoints: [cp], ...(cp.parent !== null ? { from: cp.parent } : {}) });
      tipOf.set(cp.id, branches.length - 1);
    }
  }
  return branches;
}

export interface ThreadRuns {
  runs: ImportedRun[];
  /** Values of a serialisation this build cannot read, over every run. */
  unreadable: number;
}

/** Every run the checkpoints of some threads make. */
export function langgraphRuns(checkpoints: LgCheckpoint[]): ThreadRuns {
  const runs: ImportedRun[] = [];
  let unreadable = 0;
  for (const [thread, ofThread] of groupBy(checkpoints, (c) => c.thread)) {
    const byNs = groupBy(ofThread, (c) => c.ns);
    // Deepest namespaces first, so a parent knows its children's run ids.
    const depth = (ns: string) => (ns === '' ? 0 : ns.split('|').length);
    const namespaces = [...byNs.keys()].sort((a, b) => depth(b) - depth(a));
    const childOf = new Map<string, string>();
    for (const ns of namespaces) {
      const made = nsRuns(thread, ns, [...byNs.get(ns)!].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), childOf);
      if (ns !== '') childOf.set(ns.slice(ns.lastIndexOf(':') + 1), made[0].runId);
      runs.push(...made);
    }
  }
  for (const run of runs) {
    run.unreadableValues = run.snapshots.reduce((n, s) => {
      const whole = (s.metadata.langgraph as { unreadableCheckpoint?: Json } | undefined)?.unreadableCheckpoint !== undefined ? 1 : 0;
      return n + whole + countUnreadable(s.state) + countUnreadable(Object.values(s.steps).map((st) => st.output ?? null));
    }, 0);
    unreadable += run.unreadableValues;
  }
  // Parents before children and forks (links resolve either way; the list reads better).
  runs.sort((a, b) => a.runId.length - b.runId.length || (a.runId < b.runId ? -1 : 1));
  return { runs, unreadable };
}

function nsRuns(thread: string, ns: string, checkpoints: LgCheckpoint[], childOf: Map<string, string>): ImportedRun[] {
  const runs: ImportedRun[] = [];
  const carryAt = new Map<string, { carry: Carry; runId: string }>();
  const branches = branchesOf(checkpoints);
  let input: Json = null;
  let graphId: string | undefined;
  const node = ns === '' ? undefined : ns.split('|').pop()!.split(':')[0];
  branches.forEach((branch, b) => {
    const from = branch.from !== undefined ? carryAt.get(branch.from) : undefined;
    const out = buildBranch(branch.checkpoints, from?.carry ?? { steps: new Map(), order: [] }, childOf, b === 0);
    if (b === 0) {
      input = out.input;
      graphId = out.graphId;
    } else for (const p of out.points) p.input = input;
    const runId = threadRunId(thread, ns, b === 0 ? undefined : branch.checkpoints[0].id);
    const workflowId = `${graphId ?? thread}${node ? `:${node}` : ''}`;
    const seen = out.points.flatMap((p) => [...p.steps.keys()]);
    const workflow: ImportedWorkflow = { id: workflowId, name: workflowId, steps: withSteps(needsFromOrder(out.order), seen) };
    const run = buildRun({ format: 'langgraph', foreignRunId: runId.slice('langgraph-'.length), workflow, points: out.points });
    run.incremental = 'timeline';
    if (from) {
      const seq = runs.find((r) => r.runId === from.runId)?.snapshots.find((s) => s.metadata.sourceKey === `checkpoint:${branch.from}`)?.seq;
      run.links = { forkedFrom: from.runId };
      run.snapshots[0].metadata.forkedFrom = { runId: from.runId, ...(seq !== undefined ? { seq } : {}), checkpointId: branch.from! };
    }
    if (ns !== '') for (const s of run.snapshots) s.metadata.parent = { runId: threadRunId(thread, ns.includes('|') ? ns.slice(0, ns.lastIndexOf('|')) : ''), node: node! };
    for (const [id, carry] of out.carryAt) carryAt.set(id, { carry, runId });
    runs.push(run);
  });
  return runs;
}
