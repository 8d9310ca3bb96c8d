// The code of a step worker, kept as a string so it runs from any build (tsx, vitest, the Electron
// bundle) with `new Worker(source, { eval: true })`. A worker evaluates one bundled workflow module,
// describes it, parses configurations, and runs its steps; nothing of it runs on the UI's thread.
export const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');

// zod is loaded when the module or its config schema needs it, not for every worker (it costs tens of ms).
const immer = require(workerData.immerPath);
immer.enablePatches();
immer.setAutoFreeze(false);
let definition = null;
// This worker's copy of the run's state, as of the main thread's state id 'replicaId'. A step gets a
// draft of it and sends back only its changes (patches), so a 15 KB state is not cloned across threads
// for every step; the main thread sends the whole state only when this copy is out of date.
let replica = null;
let replicaId = -1;

function toError(err) {
  if (err && typeof err === 'object') {
    const out = { name: String(err.name || 'Error'), message: String(err.message || err) };
    if (typeof err.stack === 'string') out.stack = err.stack;
    if (err.retryable === false || err.name === 'NonRetryableError') out.retryable = false;
    return out;
  }
  return { name: 'Error', message: String(err) };
}

function shown(value) {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

// A step's results: the outputs of every step upstream of it (the main thread sends exactly those). A read of
// another step of the workflow fails at once, saying what to add, instead of handing back undefined.
function upstreamResults(results, stepId) {
  return new Proxy(results, {
    get(target, key, receiver) {
      if (typeof key === 'string' && !Object.prototype.hasOwnProperty.call(target, key) && Object.prototype.hasOwnProperty.call(definition.steps, key)) {
        throw new Error('results.' + key + ': step "' + stepId + '" does not depend on "' + key + '"; add it to needs');
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

function toJson(value) {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value));
}

function load(bundle, file, scriptName) {
  const moduleRequire = createRequire(file);
  const mod = { exports: {} };
  const localRequire = (id) => (id === 'zod' || id.startsWith('zod/') ? require(workerData.zodPath) : moduleRequire(id));
  // Compiled under a name of its own, so stack frames give bundle positions that its source map turns into the user's lines.
  const compiled = require('node:vm').compileFunction(bundle, ['module', 'exports', 'require', '__filename', '__dirname'], { filename: scriptName });
  compiled(mod, mod.exports, localRequire, file, require('node:path').dirname(file));
  const def = mod.exports && mod.exports.__esModule ? mod.exports.default : mod.exports.default || mod.exports;
  if (!def || typeof def !== 'object') throw new Error('the file has no default export: export default defineWorkflow({ id, steps })');
  if (typeof def.id !== 'string' || def.id.trim() === '') throw new Error('the workflow definition needs an "id" string');
  if (!def.steps || typeof def.steps !== 'object' || Array.isArray(def.steps)) throw new Error('workflow "' + def.id + '" needs a "steps" object');
  const steps = [];
  for (const [id, step] of Object.entries(def.steps)) {
    if (!step || typeof step.run !== 'function') throw new Error('step "' + id + '" of workflow "' + def.id + '" needs a run function');
    const needs = step.needs === undefined ? [] : step.needs;
    if (!Array.isArray(needs) || needs.some((n) => typeof n !== 'string')) throw new Error('step "' + id + '": needs must be a list of step ids');
    const meta = { id, needs: needs.slice(), effect: step.effect === true, hasWhen: typeof step.when === 'function' };
    if (step.timeoutMs !== undefined) {
      if (typeof step.timeoutMs !== 'number' || !(step.timeoutMs >= 0)) throw new Error('step "' + id + '": timeoutMs must be a number of milliseconds (0 or Infinity: no timeout), got ' + shown(step.timeoutMs));
      meta.timeoutMs = Number.isFinite(step.timeoutMs) ? step.timeoutMs : 0;
    }
    if (step.retry !== undefined) {
      const r = step.retry;
      if (!r || !Number.isInteger(r.maxAttempts) || r.maxAttempts < 1) throw new Error('step "' + id + '": retry.maxAttempts must be a whole number from 1');
      if (r.backoff !== undefined && r.backoff !== 'fixed' && r.backoff !== 'exponential') throw new Error('step "' + id + '": retry.backoff must be "fixed" or "exponential"');
      meta.retry = { maxAttempts: r.maxAttempts, backoff: r.backoff || 'fixed', intervalMs: typeof r.intervalMs === 'number' ? r.intervalMs : 1000 };
      if (typeof r.maxIntervalMs === 'number') meta.retry.maxIntervalMs = r.maxIntervalMs;
    }
    if (step.loop !== undefined) {
      const l = step.loop;
      if (l && typeof l.while === 'function') meta.loop = 'while';
      else if (l && typeof l.until === 'function') meta.loop = 'until';
      else throw new Error('step "' + id + '": loop needs a while or an until function, e.g. loop: { while: ({ state }) => state.left > 0 }');
    }
    steps.push(meta);
  }
  if (def.stepLimit !== undefined && (!Number.isInteger(def.stepLimit) || def.stepLimit < 1)) throw new Error('workflow "' + def.id + '": stepLimit must be a whole number from 1');
  if (def.memoryLimitMb !== undefined && (!Number.isInteger(def.memoryLimitMb) || def.memoryLimitMb < 16)) throw new Error('workflow "' + def.id + '": memoryLimitMb must be a whole number of megabytes from 16, got ' + shown(def.memoryLimitMb));
  const defaultTimeout = def.defaultStepTimeoutMs;
  if (defaultTimeout !== undefined && (typeof defaultTimeout !== 'number' || !(defaultTimeout >= 0))) throw new Error('workflow "' + def.id + '": defaultStepTimeoutMs must be a number of milliseconds (0 turns the default off), got ' + shown(defaultTimeout));
  let configSchema;
  if (def.config !== undefined) {
    if (!def.config || typeof def.config.safeParse !== 'function') throw new Error('workflow "' + def.id + '": config must be a zod schema');
    configSchema = require(workerData.zodPath).toJSONSchema(def.config, { unrepresentable: 'any' });
  }
  definition = def;
  const meta = { id: def.id, name: typeof def.name === 'string' ? def.name : def.id, steps };
  if (typeof def.description === 'string') meta.description = def.description;
  if (configSchema !== undefined) meta.configSchema = configSchema;
  if (def.stepLimit !== undefined) meta.stepLimit = def.stepLimit;
  if (def.memoryLimitMb !== undefined) meta.memoryLimitMb = def.memoryLimitMb;
  if (defaultTimeout !== undefined) meta.defaultStepTimeoutMs = Number.isFinite(defaultTimeout) ? defaultTimeout : 0;
  return meta;
}

function parseConfig(config) {
  if (!definition.config) return { ok: true, config: toJson(config === undefined ? {} : config) };
  const result = definition.config.safeParse(config === undefined ? {} : config);
  if (result.success) return { ok: true, config: toJson(result.data) };
  const issue = result.error.issues[0];
  const path = issue.path.length ? issue.path.join('.') : '(root)';
  return { ok: false, message: 'config.' + path + ': ' + issue.message };
}

/** Brings this worker's state copy up to date when the message carries the whole state. */
function syncState(msg) {
  if (msg.state !== undefined) {
    replica = msg.state;
    replicaId = msg.stateId;
  } else if (replicaId !== msg.stateId) {
    throw new Error('internal: the worker has state ' + replicaId + ' but the step needs state ' + msg.stateId);
  }
}

function evalWhen(msg) {
  syncState(msg);
  const step = definition.steps[msg.stepId];
  if (typeof step.when !== 'function') return true;
  return step.when({ input: msg.input, config: msg.config, results: upstreamResults(msg.results, msg.stepId), state: replica, runId: msg.runId, stepId: msg.stepId }) === true;
}

/** Patches as plain JSON: values through JSON (a Date becomes its string), undefined values removed. */
function jsonPatches(patches) {
  const out = [];
  for (const p of patches) {
    if (p.op === 'remove') out.push({ op: 'remove', path: p.path });
    else if (p.value === undefined) {
      if (p.op === 'replace') out.push({ op: 'remove', path: p.path });
    } else out.push({ op: p.op, path: p.path, value: toJson(p.value) });
  }
  return out;
}

/** A value JSON keeps as it is: null, strings, booleans, finite numbers, and plain objects and arrays of them. */
function isPlainJson(v) {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
  if (typeof v !== 'object') return false;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!(i in v) || !isPlainJson(v[i])) return false;
    return true;
  }
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return false;
  for (const key of Object.keys(v)) if (!isPlainJson(v[key])) return false;
  return true;
}

/** A removal, or a change to a value JSON keeps as it is. */
function isPlainJsonPatch(p) {
  return p.op === 'remove' || isPlainJson(p.value);
}

// Thrown through the step's own code to suspend it: the step ends here and runs again once the signal
// arrives or the timer fires, finding the payload (or the finished sleep) recorded in its step record.
class Suspend {
  constructor(what) { this.what = what; }
}

async function runStep(msg) {
  const step = definition.steps[msg.stepId];
  try {
    syncState(msg);
  } catch (err) {
    parentPort.postMessage({ type: 'step-error', callId: msg.callId, error: toError(err) });
    return;
  }
  const state = immer.createDraft(replica);
  const signals = msg.signals || {};
  const results = upstreamResults(msg.results, msg.stepId);
  let sleeps = 0;
  const ctx = {
    waitFor(signal, schema) {
      if (typeof signal !== 'string' || signal === '') return Promise.reject(new Error('waitFor(signal) needs a signal name'));
      const zodSchema = schema && typeof schema.safeParse === 'function' ? schema : undefined;
      if (Object.prototype.hasOwnProperty.call(signals, signal)) {
        return zodSchema ? Promise.resolve().then(() => zodSchema.parse(signals[signal])) : Promise.resolve(signals[signal]);
      }
      // The payload's JSON Schema goes with the wait, for the window to show and check the payload against.
      let payloadSchema;
      if (zodSchema) {
        try {
          payloadSchema = toJson(require(workerData.zodPath).toJSONSchema(zodSchema, { unrepresentable: 'any' }));
        } catch {
          payloadSchema = undefined;
        }
      }
      return Promise.reject(new Suspend(payloadSchema ? { kind: 'signal', signal, schema: payloadSchema } : { kind: 'signal', signal }));
    },
    sleep(ms) {
      sleeps += 1;
      if (sleeps <= (msg.sleepsDone || 0)) return Promise.resolve();
      if (typeof ms !== 'number' || !(ms >= 0)) return Promise.reject(new Error('sleep(ms) needs a number of milliseconds'));
      return Promise.reject(new Suspend({ kind: 'sleep', ms }));
    },
    input: msg.input,
    config: msg.config,
    results,
    state,
    attempt: msg.attempt,
    iteration: msg.iteration || 1,
    runId: msg.runId,
    stepId: msg.stepId,
    log(message, data) {
      parentPort.postMessage({ type: 'log', callId: msg.callId, message: String(message), data: data === undefined ? undefined : toJson(data) });
    },
  };
  try {
    const output = toJson(await step.run(ctx));
    let recorded = [];
    const finished = immer.finishDraft(state, (p) => (recorded = p));
    const patches = jsonPatches(recorded);
    // The main thread applies the patches as JSON; when every value already is plain JSON the finished draft
    // is that very state. Otherwise (a Date, an undefined member) the state goes through JSON once, as the main
    // thread's copy did. Not immer.applyPatches: its copy of a value drops an own "__proto__" member.
    const after = patches.length === 0 ? replica : recorded.every(isPlainJsonPatch) ? finished : toJson(finished);
    let again = false;
    if (step.loop) {
      const lctx = { output, state: after, input: msg.input, config: msg.config, results, iteration: msg.iteration || 1 };
      again = typeof step.loop.while === 'function' ? step.loop.while(lctx) === true : step.loop.until(lctx) !== true;
    }
    replica = after;
    if (patches.length > 0) replicaId = msg.nextStateId;
    parentPort.postMessage({ type: 'step-done', callId: msg.callId, output, patches, again });
  } catch (err) {
    if (err instanceof Suspend) parentPort.postMessage({ type: 'step-done', callId: msg.callId, suspend: err.what });
    else parentPort.postMessage({ type: 'step-error', callId: msg.callId, error: toError(err) });
  }
}

// Another run of the same module: only in a thread the last run left nothing running in (its timers, sockets,
// files, child processes would go on into this run), and with the module evaluated afresh. Ports are not
// counted: the worker's own, and its console's (held while output is on its way to the main thread).
function reload(msg) {
  const left = process.getActiveResourcesInfo();
  if (left.some((r) => r !== 'MessagePort')) {
    parentPort.postMessage({ type: 'load-error', error: { name: 'WorkerBusy', message: 'the last run left work in the thread: ' + left.join(', ') } });
    return;
  }
  replica = null;
  replicaId = -1;
  definition = null;
  loadAndReply(msg);
}

function loadAndReply(msg) {
  try {
    parentPort.postMessage({ type: 'loaded', meta: load(msg.bundle, msg.file, msg.scriptName) });
  } catch (err) {
    parentPort.postMessage({ type: 'load-error', error: toError(err) });
  }
}

parentPort.on('message', (msg) => {
  if (msg.type === 'load') {
    loadAndReply(msg);
  } else if (msg.type === 'reload') {
    reload(msg);
  } else if (msg.type === 'parse-config') {
    try {
      parentPort.postMessage({ type: 'config', result: parseConfig(msg.config) });
    } catch (err) {
      parentPort.postMessage({ type: 'config', result: { ok: false, message: toError(err).message } });
    }
  } else if (msg.type === 'eval-when') {
    try {
      parentPort.postMessage({ type: 'step-done', callId: msg.callId, output: evalWhen(msg), patches: [] });
    } catch (err) {
      parentPort.postMessage({ type: 'step-error', callId: msg.callId, error: toError(err) });
    }
  } else if (msg.type === 'run-step') {
    runStep(msg);
  }
});
`;
