// The run lifecycle: begin a run (its row and first snapshots), drive it in the background, stop it
// (pause, cancel), resume it (after a pause, a signal or a crash), and recover runs a dead process left.
import type { RunOrigin, RunSummary, ResumeOptions, StudioEvent } from '../../shared/api';
import { StudioError } from '../../shared/errors';
import type { Json, SnapshotDocument, StepRecord } from '../../shared/snapshot';
import { DEFAULT_DRIVE_OPTIONS, RunDriver, type DriveOptions } from '../engine/runDriver';
import { graphOf } from '../engine/stepGraph';
import { next, startSnapshot, type EngineEvent } from '../engine/transition';
import { WorkerPool } from '../engine/workerPool';
import { newRunId } from '../ids';
import { replayPlan } from '../replay/plan';
import { stateChangesOf } from '../replay/stateChanges';
import { applyRetention } from '../retention';
import type { SnapshotStore } from '../store/contract';
import type { Runnable, VersionRegistry } from '../versions/registry';
import { LEASE_RENEW_MS, LEASE_TTL_MS, newLeaseOwner, ownerIsGone } from './lease';
import type { WorkerCache } from './workerCache';

/** What a new run starts from: its input and config, where it came from, and steps and state it reuses. */
export interface RunInit {
  input: Json;
  config: Json;
  origin: RunOrigin;
  retryOf?: string;
  forkedFrom?: string;
  replayOf?: string;
  steps?: Record<string, StepRecord>;
  state?: Record<string, Json>;
  metadata?: Record<string, Json>;
}

export type EditEvent = Extract<EngineEvent, { type: 'edited' }>;

/**
 * When a run needs a driver: now, unless it waits — then at its earliest timer, or never (Infinity) when it waits
 * only for a signal.
 */
function dueOf(last: SnapshotDocument | undefined, nowMs: number): number {
  if (last?.status !== 'waiting') return nowMs;
  return Math.min(...last.cursor.timers.map((t) => Date.parse(t.wakeAt)));
}

/** A run a worker leaves alone for now: until a time, and (for a run that waits) only while it still waits. */
export interface WorkerSkip {
  until: number;
  whileWaiting: boolean;
}

const now = () => new Date().toISOString();

export class RunLifecycle {
  private readonly drivers = new Map<string, { driver: RunDriver; done: Promise<SnapshotDocument> }>();
  private readonly engine: DriveOptions;
  /** The owner id of this lifecycle's leases on the runs it drives. */
  private readonly owner = newLeaseOwner();

  constructor(
    private readonly store: SnapshotStore,
    private readonly emit: (event: StudioEvent) => void,
    private readonly versions: VersionRegistry,
    private readonly workers: WorkerCache,
    engine: Partial<DriveOptions> = {},
  ) {
    this.engine = { ...DEFAULT_DRIVE_OPTIONS, ...engine };
  }

  /**
   * Creates the run row and its first snapshot(s), then drives it in the background; `detach`ed, leaves it for
   * a worker (any process running `worker` on this database) to drive.
   */
  async begin(workflow: Runnable, init: RunInit, edit?: EditEvent, detach = false): Promise<RunSummary> {
    await this.versions.remember(workflow, 'ran');
    const { summary } = workflow;
    const runId = newRunId();
    const at = now();
    await this.store.write.createRun({ id: runId, workflowId: summary.id, workflowVersion: summary.version, origin: init.origin, input: init.input, config: init.config, at, retryOf: init.retryOf, forkedFrom: init.forkedFrom, replayOf: init.replayOf });
    const graph = graphOf(summary.steps);
    let doc = startSnapshot(graph, { runId, workflowId: summary.id, workflowVersion: summary.version, input: init.input, config: init.config, at, steps: init.steps, state: init.state, metadata: init.metadata });
    await this.writeSnapshot(doc);
    if (edit) {
      doc = next(graph, doc, edit);
      await this.writeSnapshot(doc);
    }
    if (!detach) await this.drive(workflow, doc);
    return this.store.read.getRunSummary(runId);
  }

  /** How many runs this process drives now. */
  get driving(): number {
    return this.drivers.size;
  }

  /**
   * A worker's turn: takes the leases of up to `limit` runs that need a driver and nobody drives (left by a process
   * that died, detached, resumed elsewhere, a durable sleep or retry due) and drives each. A run that waits only for
   * a signal, or on a timer not due within `dueWithinMs`, is handed back and skipped until `skipUntil` says so.
   * Gives the ids it now drives.
   */
  async driveNext(limit: number, dueWithinMs: number, skip: Map<string, WorkerSkip>): Promise<string[]> {
    if (limit <= 0) return [];
    const nowMs = Date.now();
    const unfinished = await this.store.read.unfinishedRuns();
    // A run skipped while it waited is looked at again once due, or as soon as it waits no more (a signal
    // brought by another process, `resume --signal … --detach`, made it running).
    const waiting = new Set(unfinished.filter((r) => r.status === 'waiting').map((r) => r.id));
    for (const [id, { until, whileWaiting }] of skip) if (until <= nowMs || (whileWaiting && !waiting.has(id))) skip.delete(id);
    // A waiting run nobody holds is looked at before it is claimed: one that waits for a signal, or for a timer
    // not due soon, is skipped without taking its lease, so a person's `resume --signal` never finds it held.
    for (const r of unfinished) {
      if (r.status !== 'waiting' || r.lease || skip.has(r.id) || this.drivers.has(r.id)) continue;
      const due = dueOf(await this.store.read.latestSnapshot(r.id), nowMs);
      if (due - nowMs > dueWithinMs) skip.set(r.id, { until: Number.isFinite(due) ? due - dueWithinMs : nowMs + 60_000, whileWaiting: true });
    }
    const stale = unfinished.flatMap(({ lease }) => (lease && ownerIsGone(lease.owner, this.owner) ? [lease.owner] : []));
    const claimed = await this.store.write.claimNextRuns(this.owner, LEASE_TTL_MS, limit, [...new Set(stale)], [...skip.keys(), ...this.drivers.keys()]);
    const driving: string[] = [];
    for (const id of claimed) {
      try {
        const last = await this.store.read.latestSnapshot(id);
        const due = dueOf(last, nowMs);
        if (!last || due - Date.now() > dueWithinMs) {
          // Waiting for a signal (Infinity: no timer) or for a timer later on: nobody needs to drive it now.
          skip.set(id, { until: Number.isFinite(due) ? due - dueWithinMs : nowMs + 60_000, whileWaiting: true }); // a signal ends it sooner (above)
          await this.store.write.releaseRun(id, this.owner);
          continue;
        }
        await this.take(id, {}, false, last);
        driving.push(id);
      } catch (err) {
        skip.set(id, { until: Date.now() + 10_000, whileWaiting: false });
        await this.store.write.releaseRun(id, this.owner).catch(() => undefined);
        process.stderr.write(`could not continue run ${id}: ${(err as Error).message}\n`);
      }
    }
    return driving;
  }

  /** Resolves once any run this process drives stops (at once when it drives none). */
  async anyStopped(): Promise<void> {
    if (this.drivers.size === 0) return;
    await Promise.race([...this.drivers.values()].map((d) => d.done.catch(() => undefined)));
  }

  /** `held`: the caller has just taken the run's lease for this lifecycle (see hold). */
  private async drive(workflow: Runnable, from: SnapshotDocument, held = false): Promise<void> {
    const runId = from.runId;
    const pool = new WorkerPool(() => this.workers.start(workflow), (worker) => this.workers.recycle(workflow, worker));
    const { stepLimit, defaultStepTimeoutMs } = workflow.summary;
    const options: DriveOptions = {
      ...this.engine,
      ...(stepLimit ? { stepLimit } : {}),
      ...(defaultStepTimeoutMs !== undefined ? { defaultStepTimeoutMs, defaultStepTimeoutSource: `defaultStepTimeoutMs of workflow "${workflow.summary.id}"` } : {}),
    };
    // A replay (after a crash too) takes its effects and signals from its recording, named in its metadata.
    const replay = from.metadata.replay as { of?: Json; liveEffects?: Json } | undefined;
    if (replay && typeof replay.of === 'string') {
      const recorded = await this.store.read.latestSnapshot(replay.of);
      if (recorded) options.replay = replayPlan(recorded, workflow.summary.steps, replay.liveEffects === true, await stateChangesOf(this.store.read, replay.of));
    }
    const logsInFlight = new Set<Promise<void>>();
    const driver = new RunDriver(workflow.summary.steps, from, pool, {
      write: (docs) => this.writeSnapshots(docs),
      log: (line) => {
        const stored = this.store.write.appendLog({ ...line, level: 'info', data: line.data as Json | undefined }).catch((err: Error) => {
          process.stderr.write(`run ${runId}: a line step ${line.stepId} logged was not stored: ${err.message}\n`);
        });
        logsInFlight.add(stored);
        void stored.finally(() => logsInFlight.delete(stored));
        return stored;
      },
      // A pause or cancel from another process (the CLI beside serve) is seen here within a poll.
      newerThan: async (id, seq) => ((await this.store.read.getRunSummary(id)).lastSeq > seq ? this.store.read.latestSnapshot(id) : undefined),
    }, options);
    if (!held) await this.hold(runId);
    // Renewed while the run is driven; a lease another process took after it expired stops this driver.
    const renew = setInterval(() => {
      this.store.write.claimRun(runId, this.owner, LEASE_TTL_MS).then(
        (held) => {
          if (!held) {
            process.stderr.write(`run ${runId}: its lease was taken by another process; this one stops driving it\n`);
            driver.abandon();
          }
        },
        () => undefined, // a failed renewal is tried again; the lease outlasts two of them
      );
    }, LEASE_RENEW_MS);
    const done = driver.run().finally(async () => {
      // A run is over once its log lines are stored too (on a network database they travel apart).
      await Promise.allSettled([...logsInFlight]);
      clearInterval(renew);
      this.drivers.delete(runId);
      if (this.store.isOpen) await this.store.write.releaseRun(runId, this.owner);
    });
    // A finished run is pruned by the stored retention policy (keep all, the default, prunes nothing).
    done.then(() => applyRetention(this.store, runId)).catch(() => undefined);
    // A store failure mid-run leaves the run at its last written snapshot; say so where a person can see it.
    done.catch((err: Error) => {
      if (!err.message.startsWith('abandoned')) process.stderr.write(`run ${runId} stopped: ${err.message}\n`);
    });
    this.drivers.set(runId, { driver, done });
  }

  /** An imported run is a record to read and compare, never one to continue: that would run imported code. */
  private refuseImported(run: RunSummary, what: string): void {
    const runId = run.id;
    if (run.origin === 'imported') {
      throw new StudioError('E_IMPORTED_RUN', `run ${runId} was imported: it is a record and cannot be ${what}; retry or fork it with the latest version to run it with the workspace's code`, { hints: [{ use: 'version', value: 'latest' }] });
    }
  }

  /**
   * Pauses or cancels a run. Driven here, the driver stops itself; driven by another process (the CLI
   * beside `serve`), the paused or cancelled snapshot is written directly, and that process's next write
   * is refused by the seq check, which stops its driver: the store is the one arbiter.
   */
  async stop(runId: string, how: 'pause' | 'cancel'): Promise<RunSummary> {
    this.refuseImported(await this.store.read.getRunSummary(runId), how === 'pause' ? 'paused' : 'cancelled');
    const wanted = how === 'pause' ? 'paused' : 'cancelled';
    const active = this.drivers.get(runId);
    if (active) {
      active.driver.request(how);
      await active.done.catch(() => undefined);
      // A driver that had already come to rest (its last snapshot written: waiting for a signal, or ended)
      // when the request came could not act on it: the stored run decides below, as for a run driven nowhere.
      const after = await this.store.read.getRunSummary(runId);
      if (after.status === wanted) return after;
    }
    const last = await this.store.read.latestSnapshot(runId);
    const stoppable = how === 'pause' ? ['pending', 'running', 'error'] : ['pending', 'running', 'error', 'paused', 'waiting'];
    if (!last || !stoppable.includes(last.status)) {
      throw new StudioError('E_NOT_RUNNING', `run ${runId} cannot be ${how === 'pause' ? 'paused' : 'cancelled'}: it is ${last?.status ?? 'without snapshots'}`);
    }
    // Only the step graph is read here: nothing runs, so imported code may be named.
    const version = await this.versions.stored(last.workflowVersion, true);
    await this.writeSnapshot(next(graphOf(version.summary.steps), last, { type: wanted, at: now() }));
    return await this.store.read.getRunSummary(runId);
  }

  async resume(runId: string, options: ResumeOptions = {}, detach = false): Promise<RunSummary> {
    await this.take(runId, options, detach);
    return this.store.read.getRunSummary(runId);
  }

  /**
   * Resume's work, without reading the run it leaves (a worker's turn has no use for it: on PostgreSQL each read is
   * a round trip). `claimed`: the run's last snapshot, read just after claimNextRuns took its lease for this
   * lifecycle (a worker's turn): the lease is not taken again, and the snapshot is used while it is still the last.
   */
  private async take(runId: string, options: ResumeOptions, detach: boolean, claimed?: SnapshotDocument): Promise<void> {
    const run = await this.store.read.getRunSummary(runId);
    this.refuseImported(run, 'resumed');
    const last = claimed?.runId === runId && claimed.seq === run.lastSeq ? claimed : await this.store.read.latestSnapshot(runId);
    if (!last || !['paused', 'running', 'error', 'pending', 'waiting'].includes(run.status)) {
      throw new StudioError('E_NOT_RESUMABLE', `run ${runId} is ${run.status}: only paused or waiting runs, or runs left unfinished by a process that died, can be resumed`);
    }
    const active = this.drivers.get(runId);
    if (options.signal === undefined) {
      if (active) throw new StudioError('E_ALREADY_RUNNING', `run ${runId} is already running`);
      if (run.status === 'waiting' && last.cursor.timers.length === 0) {
        const awaited = last.cursor.waiting.map((w) => `"${w.signal}" (step ${w.stepId})`).join(', ');
        throw new StudioError('E_NEEDS_SIGNAL', `run ${runId} waits for a signal: ${awaited}; resume it with one`);
      }
    }
    if (!active && !claimed) await this.hold(runId);
    // A run someone started with imported code after its warning goes on with it (after a pause or a crash).
    const workflow = await this.versions.stored(last.workflowVersion, last.metadata.importedCodeAllowed === true);
    const graph = graphOf(workflow.summary.steps);
    // Every step the version declares has a record in a snapshot it wrote; one without (a crafted or damaged
    // file) is said so, rather than failing inside the scheduler, and the run is left as it was.
    const missing = Object.keys(graph).filter((id) => !last.steps[id]);
    if (missing.length > 0) {
      if (!active) await this.store.write.releaseRun(runId, this.owner);
      const named = `step${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`;
      throw new StudioError('E_SNAPSHOT_CORRUPT', `run ${runId}: snapshot #${last.seq} has no record of ${named}, which workflow version ${last.workflowVersion} declares; it cannot be resumed`);
    }
    let doc = last;
    if (options.signal !== undefined) {
      const waiting = last.cursor.waiting.filter((w) => w.signal === options.signal);
      if (waiting.length === 0) {
        const awaited = last.cursor.waiting.map((w) => `"${w.signal}"`).join(', ') || 'none';
        throw new StudioError('E_NOT_WAITING', `run ${runId} is not waiting for signal "${options.signal}" (it waits for: ${awaited})`);
      }
      if (active) await active.done.catch(() => undefined);
      for (const w of waiting) {
        doc = next(graph, (await this.store.read.latestSnapshot(runId))!, { type: 'signal-received', at: now(), stepId: w.stepId, signal: w.signal, payload: options.payload ?? null });
        await this.writeSnapshot(doc);
      }
      if (this.drivers.has(runId)) return;
    }
    if (run.status !== 'waiting' || options.signal === undefined) {
      doc = next(graph, doc, { type: 'resumed', at: now(), reason: run.status === 'paused' ? 'resume' : 'recovery' });
      await this.writeSnapshot(doc);
    }
    if (detach) {
      // Handed to a worker: the lease goes, the run stays as written, ready for whoever claims it next.
      await this.store.write.releaseRun(runId, this.owner);
      return;
    }
    // The lease was taken above, unless a driver here held it, which has stopped since (a signal waited for it).
    await this.drive(workflow, doc, !active);
  }

  /** Continues every run left unfinished by a process that died (at start of the app and of serve). */
  async recoverRuns(): Promise<string[]> {
    const recovered: string[] = [];
    for (const { id, lease } of await this.store.read.unfinishedRuns()) {
      if (this.drivers.has(id) || (lease && lease.owner !== this.owner && !ownerIsGone(lease.owner, this.owner))) continue;
      // An imported run that was unfinished where it was recorded stays as recorded.
      if ((await this.store.read.getRunSummary(id)).origin === 'imported') continue;
      const last = await this.store.read.latestSnapshot(id);
      // A run waiting only for a signal needs nobody to drive it; one waiting on a timer does.
      if (last?.status === 'waiting' && last.cursor.timers.length === 0) continue;
      try {
        await this.resume(id);
        recovered.push(id);
      } catch (err) {
        process.stderr.write(`could not recover run ${id}: ${(err as Error).message}\n`);
      }
    }
    return recovered;
  }

  /** Resolves with the run's summary once it stops (ends, pauses or is cancelled) in this process. */
  async waitForRun(runId: string): Promise<RunSummary> {
    await this.drivers.get(runId)?.done.catch(() => undefined);
    return this.store.read.getRunSummary(runId);
  }

  /** Stops driving every run without writing: each stays as its last snapshot left it, for the next start. */
  async abandonAll(): Promise<void> {
    const active = [...this.drivers.values()];
    for (const { driver } of active) driver.abandon();
    await Promise.allSettled(active.map((d) => d.done));
  }

  /** Takes (or keeps) the run's lease for this lifecycle; refuses a run whose live lease another process holds. */
  private async hold(runId: string): Promise<void> {
    const lease = await this.store.read.leaseOf(runId);
    const gone = lease && ownerIsGone(lease.owner, this.owner) ? [lease.owner] : [];
    if (await this.store.write.claimRun(runId, this.owner, LEASE_TTL_MS, gone)) return;
    const holder = await this.store.read.leaseOf(runId);
    const until = holder ? ` (${holder.owner}, whose lease runs until ${new Date(holder.expiresAt).toISOString()} unless renewed)` : '';
    throw new StudioError('E_ALREADY_RUNNING', `run ${runId} is being run by another process${until}`);
  }

  private writeSnapshot(doc: SnapshotDocument): Promise<void> {
    return this.writeSnapshots([doc]);
  }

  private async writeSnapshots(docs: SnapshotDocument[]): Promise<void> {
    const written = await this.store.write.appendSnapshots(docs);
    for (const { snapshot, run } of written) this.emit({ type: 'snapshot-added', runId: run.id, snapshot });
    this.emit({ type: 'run-updated', run: written[written.length - 1].run });
  }
}
