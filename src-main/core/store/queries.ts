// The store: every query the core runs, grouped by domain, over one better-sqlite3 connection.
// Snapshot appends are optimistic: a write whose seq is not the run's next one is refused.
import type { NamedSnapshot, PruneReport, RetentionPolicy, RunDetail, RunMetadata, RunOrigin, RunSummary, SnapshotSummary } from '../../shared/api';
import { stepOutcome, type RunFailure } from '../../shared/stepOutcome';
import { isDeepStrictEqual } from 'node:util';
import { StudioError } from '../../shared/errors';
import { SNAPSHOT_SCHEMA_VERSION, TERMINAL_STATUSES, type Json, type RunStatus, type SnapshotDocument, type StepError } from '../../shared/snapshot';
import type { Statement } from 'better-sqlite3';
import { openDatabase, type Db, type OpenOptions } from './connection';
import { decodeChain, encodeDelta, encodeKeyframe, KEYFRAME_EVERY, type EncodedSnapshot, type StoredRow } from './snapshotCodec';

/** What the store remembers of a run it is writing: the last document, to write the next as a delta. */
interface Chain {
  doc: SnapshotDocument;
  /** JSON size of doc. */
  size: number;
  keyframeSeq: number;
  /** JSON size of the keyframe's document. */
  keyframeBytes: number;
  /** Stored bytes of the deltas since the keyframe: past the keyframe document's size, the next is a keyframe. */
  deltaBytes: number;
}

/** Set by the test suite: every write is read back and compared with the document written. */
const VERIFY_WRITES = process.env.SNAPSHOT_STUDIO_VERIFY_WRITES === '1';

interface RunRow {
  id: string;
  retry_of: string | null;
  forked_from: string | null;
  replay_of: string | null;
  workflow_id: string;
  workflow_version: string;
  status: RunStatus;
  origin: RunOrigin;
  input: string;
  config: string;
  result: string | null;
  error: string | null;
  last_seq: number;
  first_seq: number;
  created_at: string;
  updated_at: string;
  metadata: string | null;
}

export interface WorkflowVersionRow {
  hash: string;
  workflowId: string;
  source: string;
  bundle: string;
  meta: string;
  why: 'saved' | 'ran' | 'imported';
  createdAt: string;
}

const TERMINAL = new Set<RunStatus>(TERMINAL_STATUSES);

interface NamedSnapshotRow {
  name: string;
  workflow_id: string;
  workflow_version: string;
  config: string;
  input: string;
  created_at: string;
}

function toNamedSnapshot(r: NamedSnapshotRow): NamedSnapshot {
  return {
    name: r.name,
    workflowId: r.workflow_id,
    workflowVersion: r.workflow_version,
    config: JSON.parse(r.config) as Json,
    input: JSON.parse(r.input) as Json,
    createdAt: r.created_at,
  };
}

/** A snapshot about to be appended, with its stored form. */
type EncodedRow = { doc: SnapshotDocument; encoded: EncodedSnapshot };

/** What a run summary is made of: the run row less its input, config, result and error. */
type SummaryRow = Pick<RunRow, 'id' | 'workflow_id' | 'workflow_version' | 'status' | 'origin' | 'created_at' | 'updated_at' | 'last_seq' | 'first_seq' | 'retry_of' | 'forked_from' | 'replay_of'>;
const SUMMARY_COLUMNS = 'id, workflow_id, workflow_version, status, origin, created_at, updated_at, last_seq, first_seq, retry_of, forked_from, replay_of';

function toSummary(row: SummaryRow): RunSummary {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    workflowVersion: row.workflow_version,
    status: row.status,
    origin: row.origin,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    snapshotCount: row.last_seq === 0 ? 0 : row.last_seq - row.first_seq + 1,
    lastSeq: row.last_seq,
    ...(row.retry_of ? { retryOf: row.retry_of } : {}),
    ...(row.forked_from ? { forkedFrom: row.forked_from } : {}),
    ...(row.replay_of ? { replayOf: row.replay_of } : {}),
  };
}

export class Store {
  readonly db: Db;
  /** Prepared once per SQL text: preparing costs more than running on the snapshot write path. */
  private readonly statements = new Map<string, Statement>();
  /** Runs being written by this process: their last snapshot, so the next is stored as a delta. */
  private readonly chains = new Map<string, Chain>();

  /** The rows of writeSnapshots, in one transaction (see there); wrapped once, as wrapping costs on every write. */
  private readonly appendRows: (rows: EncodedRow[]) => SummaryRow[];

  private constructor(db: Db) {
    this.db = db;
    this.appendRows = db.transaction((rows: EncodedRow[]) => this.insertRows(rows));
  }

  static open(file: string, options: OpenOptions = {}): Store {
    return new Store(openDatabase(file, options));
  }

  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  // --- workflows and versions ---

  /**
   * Stores a version once (versions are immutable); with `latest`, also makes it the workflow's newest. A
   * version already stored and already the latest writes nothing: opening a workspace is a read.
   */
  saveWorkflowVersion(v: WorkflowVersionRow, latest?: { name: string; file: string | null }): void {
    this.db.transaction(() => {
      this.sql(
          `INSERT INTO workflow_versions (hash, workflow_id, source, bundle, meta, why, created_at)
           VALUES (@hash, @workflowId, @source, @bundle, @meta, @why, @createdAt) ON CONFLICT (hash) DO NOTHING`,
        )
        .run(v);
      if (!latest) return;
      this.sql(
          `INSERT INTO workflows (id, name, file, latest_version, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET name = excluded.name, file = excluded.file,
             latest_version = excluded.latest_version, updated_at = excluded.updated_at
           WHERE (workflows.name, workflows.file, workflows.latest_version) IS NOT (excluded.name, excluded.file, excluded.latest_version)`,
        )
        .run(v.workflowId, latest.name, latest.file, v.hash, v.createdAt);
    })();
  }

  /** Versions of one workflow, newest first. */
  listWorkflowVersions(workflowId: string): { hash: string; why: string; createdAt: string; meta: string }[] {
    return this.sql(
        `SELECT hash, why, created_at AS createdAt, meta FROM workflow_versions
         WHERE workflow_id = ? ORDER BY created_at DESC, rowid DESC`,
      )
      .all(workflowId) as { hash: string; why: string; createdAt: string; meta: string }[];
  }

  getWorkflowVersion(hash: string): WorkflowVersionRow | undefined {
    const row = this.sql(
        `SELECT hash, workflow_id AS workflowId, source, bundle, meta, why, created_at AS createdAt
         FROM workflow_versions WHERE hash = ?`,
      )
      .get(hash) as WorkflowVersionRow | undefined;
    return row;
  }

  // --- runs ---

  createRun(run: {
    id: string;
    workflowId: string;
    workflowVersion: string;
    origin: RunOrigin;
    input: Json;
    config: Json;
    at: string;
    retryOf?: string;
    forkedFrom?: string;
    replayOf?: string;
  }): void {
    this.sql(
        `INSERT INTO runs (id, workflow_id, workflow_version, status, origin, input, config, retry_of, forked_from, replay_of, created_at, updated_at)
         VALUES (?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.id,
        run.workflowId,
        run.workflowVersion,
        run.origin,
        JSON.stringify(run.input),
        JSON.stringify(run.config),
        run.retryOf ?? null,
        run.forkedFrom ?? null,
        run.replayOf ?? null,
        run.at,
        run.at,
      );
  }

  /** Records which process drives a run (null: none). */
  setRunner(runId: string, pid: number | null): void {
    this.sql('UPDATE runs SET runner_pid = ? WHERE id = ?').run(pid, runId);
  }

  /** Runs that are neither finished nor paused, with the process that last drove them. */
  unfinishedRuns(): { id: string; runnerPid: number | null }[] {
    return this.sql(`SELECT id, runner_pid AS runnerPid FROM runs WHERE status IN ('pending', 'running', 'error', 'waiting') ORDER BY created_at`)
      .all() as { id: string; runnerPid: number | null }[];
  }

  /** The first snapshot of a run matching kind and step, oldest first. */
  findSnapshotSeq(runId: string, kind: string, stepId: string): number | undefined {
    const row = this.sql('SELECT seq FROM snapshots WHERE run_id = ? AND kind = ? AND step_id = ? ORDER BY seq LIMIT 1')
      .get(runId, kind, stepId) as { seq: number } | undefined;
    return row?.seq;
  }

  listRuns(): RunSummary[] {
    const rows = this.sql(`SELECT ${SUMMARY_COLUMNS} FROM runs ORDER BY created_at DESC, id DESC`).all() as SummaryRow[];
    return rows.map(toSummary);
  }

  getRunSummary(runId: string): RunSummary {
    return toSummary(this.runRow(runId));
  }

  getRun(runId: string): RunDetail {
    const row = this.runRow(runId);
    const detail: RunDetail = { ...toSummary(row), input: JSON.parse(row.input) as Json, config: JSON.parse(row.config) as Json };
    if (row.result !== null) detail.result = JSON.parse(row.result) as Json;
    if (row.error !== null) detail.error = JSON.parse(row.error) as StepError;
    if (row.metadata !== null) detail.metadata = JSON.parse(row.metadata) as RunMetadata;
    if (row.status === 'failed') {
      const failure = this.failureOf(runId);
      if (failure) detail.failure = failure;
    }
    return detail;
  }

  /** A failed run's last failed step, from its `step-failed` snapshot (or, pruned, its newest document). */
  private failureOf(runId: string): RunFailure | undefined {
    const row = this.sql(`SELECT seq FROM snapshots WHERE run_id = ? AND step_status = 'failed' ORDER BY seq DESC LIMIT 1`).get(runId) as { seq: number } | undefined;
    const doc = row ? this.getSnapshot(runId, row.seq) : this.latestSnapshot(runId);
    const failed = doc?.stepId && doc.seq === row?.seq ? doc.stepId : Object.keys(doc?.steps ?? {}).findLast((id) => doc!.steps[id].status === 'failed');
    const error = failed ? doc!.steps[failed].error : undefined;
    if (!failed || !error) return undefined;
    return { stepId: failed, ...(row ? { seq: row.seq } : {}), message: error.message };
  }

  private runRow(runId: string): RunRow {
    const row = this.sql('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
    if (!row) throw new StudioError('E_NO_RUN', `no run with id "${runId}"`);
    return row;
  }

  // --- snapshots ---

  /** Appends the next snapshot of a run and updates the run row, in one transaction. */
  appendSnapshot(doc: SnapshotDocument): SnapshotSummary {
    return this.writeSnapshot(doc).snapshot;
  }

  /** appendSnapshot, also giving the run as the same transaction left it (no second read). */
  writeSnapshot(doc: SnapshotDocument): { snapshot: SnapshotSummary; run: RunSummary } {
    return this.writeSnapshots([doc])[0];
  }

  /**
   * Appends snapshots (of one run or several, each run's in seq order) in one transaction: all or none.
   * The engine commits a step's end and the next step's start together, one commit per step. Each
   * document's run summary is the run as the transaction left it.
   */
  writeSnapshots(docs: SnapshotDocument[]): { snapshot: SnapshotSummary; run: RunSummary }[] {
    const chains = new Map<string, Chain | undefined>();
    const rows = docs.map((doc) => {
      const chain = chains.has(doc.runId) ? chains.get(doc.runId) : this.chains.get(doc.runId);
      // A delta needs the previous document as this process wrote it; anything else starts a keyframe.
      let encoded: EncodedSnapshot | undefined;
      if (chain && chain.doc.seq === doc.seq - 1 && doc.seq - chain.keyframeSeq < KEYFRAME_EVERY) {
        const delta = encodeDelta(chain.doc, chain.size, doc);
        if (delta && chain.deltaBytes + delta.body.length <= chain.keyframeBytes) encoded = delta;
      }
      encoded ??= encodeKeyframe(doc);
      if (TERMINAL.has(doc.status)) chains.set(doc.runId, undefined);
      else if (encoded.encoding !== 'delta') chains.set(doc.runId, { doc, size: encoded.size, keyframeSeq: doc.seq, keyframeBytes: encoded.size, deltaBytes: 0 });
      else chains.set(doc.runId, { ...chain!, doc, size: encoded.size, deltaBytes: chain!.deltaBytes + encoded.body.length });
      return { doc, encoded };
    });
    const runs = this.appendRows(rows);
    // Only once committed does the next write build on these documents.
    for (const [runId, chain] of chains) {
      if (chain) this.chains.set(runId, chain);
      else this.chains.delete(runId);
    }
    return rows.map(({ doc, encoded: { size } }, i) => {
      // Documents of another schema version read back migrated (or refused), so only this version's are compared.
      if (VERIFY_WRITES && doc.schemaVersion === SNAPSHOT_SCHEMA_VERSION) this.verify(doc, size);
      return { snapshot: { seq: doc.seq, kind: doc.kind, stepId: doc.stepId, status: doc.status, stepStatus: stepOutcome(doc), at: doc.at, size }, run: toSummary(runs[i]) };
    });
  }

  private insertRows(rows: EncodedRow[]): SummaryRow[] {
    const after: SummaryRow[] = [];
    // Each run of consecutive documents of one run: one update of the run row, refused unless the
    // run's last seq is the one before the first document's (the optimistic lock), then their rows.
    for (let i = 0; i < rows.length; ) {
      const first = rows[i].doc;
      let end = i + 1;
      while (end < rows.length && rows[end].doc.runId === first.runId && rows[end].doc.seq === rows[end - 1].doc.seq + 1) end++;
      const last = rows[end - 1].doc;
      // The status is left alone when this process wrote the snapshot before and it had the same status:
      // setting it anyway rewrites its index's page in every commit.
      const before = this.chains.get(first.runId)?.doc;
      const statusKept = before?.seq === first.seq - 1 && before.status === last.status;
      const run = this.sql(
        `UPDATE runs SET last_seq = ?, ${statusKept ? '' : 'status = ?, '}updated_at = ?, result = ?, error = ? WHERE id = ? AND last_seq = ? RETURNING ${SUMMARY_COLUMNS}`,
      ).get(
        last.seq,
        ...(statusKept ? [] : [last.status]),
        last.at,
        last.result === undefined ? null : JSON.stringify(last.result),
        last.error === undefined ? null : JSON.stringify(last.error),
        last.runId,
        first.seq - 1,
      ) as SummaryRow | undefined;
      if (!run) {
        const current = this.sql('SELECT last_seq FROM runs WHERE id = ?').get(first.runId) as { last_seq: number } | undefined;
        if (!current) throw new StudioError('E_NO_RUN', `no run with id "${first.runId}"`);
        throw new StudioError(
          'E_SEQ_CONFLICT',
          `snapshot seq ${first.seq} for run ${first.runId} refused: the next seq is ${current.last_seq + 1} (another writer got there first)`,
        );
      }
      for (; i < end; i++) {
        const { doc, encoded } = rows[i];
        this.sql(
          `INSERT INTO snapshots (run_id, seq, kind, step_id, status, step_status, at, encoding, body, size, stored_size, hash)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(doc.runId, doc.seq, doc.kind, doc.stepId, doc.status, stepOutcome(doc), doc.at, encoded.encoding, encoded.body, encoded.size, encoded.body.length, encoded.hash);
        after.push(run);
      }
    }
    return after;
  }

  private verify(doc: SnapshotDocument, size: number): void {
    const text = JSON.stringify(doc);
    const read = this.getSnapshot(doc.runId, doc.seq);
    if (Buffer.byteLength(text) !== size) throw new Error(`verify: snapshot ${doc.runId}#${doc.seq} measured ${size} bytes, its JSON has ${Buffer.byteLength(text)}`);
    if (!isDeepStrictEqual(read, JSON.parse(text))) throw new Error(`verify: snapshot ${doc.runId}#${doc.seq} reads back different from what was written`);
  }

  /**
   * Forgets the last documents kept to write each run's next snapshot as a delta (the next snapshot of any
   * run then starts a keyframe). For a writer of many runs one after another, such as an import, whose
   * runs left unfinished would otherwise each keep their last document in memory.
   */
  releaseChains(): void {
    this.chains.clear();
  }

  /** The process that drives a run now, if any. */
  runnerOf(runId: string): number | null {
    return (this.sql('SELECT runner_pid AS pid FROM runs WHERE id = ?').get(runId) as { pid: number | null } | undefined)?.pid ?? null;
  }

  countSnapshots(runId: string): number {
    return toSummary(this.runRow(runId)).snapshotCount;
  }

  listSnapshots(runId: string, offset: number, limit: number): SnapshotSummary[] {
    // A run's seqs run without gaps from first_seq (appends are refused unless next; pruning removes a
    // prefix), so the page starts at a seq found through the primary key, not by skipping `offset` rows:
    // the last page of a 100,000-snapshot run costs what the first does.
    const run = this.runRow(runId);
    return this.sql(
        `SELECT seq, kind, step_id AS stepId, status, step_status AS stepStatus, at, size FROM snapshots
         WHERE run_id = ? AND seq >= ? ORDER BY seq LIMIT ?`,
      )
      .all(runId, run.first_seq + offset, limit) as SnapshotSummary[];
  }

  getSnapshot(runId: string, seq: number): SnapshotDocument {
    // The chain from the nearest keyframe at or before seq up to seq.
    const rows = this.sql(
      `SELECT run_id, seq, encoding, body, hash FROM snapshots WHERE run_id = @runId AND seq <= @seq AND seq >=
         (SELECT MAX(seq) FROM snapshots WHERE run_id = @runId AND seq <= @seq AND encoding <> 'delta') ORDER BY seq`,
    ).all({ runId, seq }) as StoredRow[];
    if (rows.length === 0 || rows[rows.length - 1].seq !== seq) {
      const run = this.runRow(runId);
      if (seq >= 1 && seq < run.first_seq && seq <= run.last_seq) {
        throw new StudioError('E_NO_SNAPSHOT', `run ${runId} has no snapshot #${seq}: it was pruned (its snapshots start at #${run.first_seq})`);
      }
      throw new StudioError('E_NO_SNAPSHOT', `run ${runId} has no snapshot #${seq}`);
    }
    return decodeChain(rows);
  }

  latestSnapshot(runId: string): SnapshotDocument | undefined {
    const last = this.runRow(runId).last_seq;
    return last > 0 ? this.getSnapshot(runId, last) : undefined;
  }

  // --- named snapshots ---

  saveNamedSnapshot(n: NamedSnapshot): void {
    this.sql(
      `INSERT INTO named_snapshots (name, workflow_id, workflow_version, config, input, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET workflow_id = excluded.workflow_id, workflow_version = excluded.workflow_version,
         config = excluded.config, input = excluded.input, created_at = excluded.created_at`,
    ).run(n.name, n.workflowId, n.workflowVersion, JSON.stringify(n.config), JSON.stringify(n.input), n.createdAt);
  }

  listNamedSnapshots(workflowId?: string): NamedSnapshot[] {
    const rows = (
      workflowId === undefined
        ? this.sql('SELECT * FROM named_snapshots ORDER BY created_at DESC, rowid DESC').all()
        : this.sql('SELECT * FROM named_snapshots WHERE workflow_id = ? ORDER BY created_at DESC, rowid DESC').all(workflowId)
    ) as NamedSnapshotRow[];
    return rows.map(toNamedSnapshot);
  }

  getNamedSnapshot(name: string): NamedSnapshot {
    const row = this.sql('SELECT * FROM named_snapshots WHERE name = ?').get(name) as NamedSnapshotRow | undefined;
    if (!row) throw new StudioError('E_NO_NAMED_SNAPSHOT', `no named snapshot "${name}" (snapshot list shows them)`);
    return toNamedSnapshot(row);
  }

  deleteNamedSnapshot(name: string): NamedSnapshot {
    const found = this.getNamedSnapshot(name);
    this.sql('DELETE FROM named_snapshots WHERE name = ?').run(name);
    return found;
  }

  // --- settings and retention ---

  getSetting(key: string): Json | undefined {
    const row = this.sql('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as Json) : undefined;
  }

  setSetting(key: string, value: Json): void {
    this.sql('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  }

  /**
   * Removes the oldest snapshots of finished runs by a policy, in one transaction. The first snapshot a run
   * keeps becomes a keyframe when it was a delta, so every kept snapshot still reads back exactly.
   */
  prune(policy: RetentionPolicy, runIds?: string[]): PruneReport {
    const report: PruneReport = { policy, runs: 0, snapshots: 0, bytes: 0 };
    if (policy.keep === 'all') return report;
    const terminal = TERMINAL_STATUSES.map((s) => `'${s}'`).join(', ');
    const runs = (
      runIds
        ? runIds.map((id) => this.runRow(id)).filter((r) => TERMINAL.has(r.status))
        : this.sql(`SELECT * FROM runs WHERE status IN (${terminal})`).all()
    ) as RunRow[];
    this.db.transaction(() => {
      for (const run of runs) {
        if (run.last_seq === 0) continue;
        let cut: number;
        if (policy.keep === 'last') cut = run.last_seq - policy.count;
        else {
          const row = this.sql('SELECT MAX(seq) AS seq FROM snapshots WHERE run_id = ? AND at < ?').get(run.id, new Date(policy.before).toISOString()) as { seq: number | null };
          cut = row.seq ?? 0;
        }
        cut = Math.min(cut, run.last_seq - 1);
        if (cut < run.first_seq) continue;
        const keep = cut + 1;
        const first = this.sql('SELECT encoding, stored_size FROM snapshots WHERE run_id = ? AND seq = ?').get(run.id, keep) as { encoding: string; stored_size: number };
        let grown = 0;
        if (first.encoding === 'delta') {
          const encoded = encodeKeyframe(this.getSnapshot(run.id, keep));
          this.sql('UPDATE snapshots SET encoding = ?, body = ?, stored_size = ?, hash = ? WHERE run_id = ? AND seq = ?').run(encoded.encoding, encoded.body, encoded.body.length, encoded.hash, run.id, keep);
          grown = encoded.body.length - first.stored_size;
        }
        const removed = this.sql('SELECT COUNT(*) AS n, COALESCE(SUM(stored_size), 0) AS bytes FROM snapshots WHERE run_id = ? AND seq <= ?').get(run.id, cut) as { n: number; bytes: number };
        this.sql('DELETE FROM snapshots WHERE run_id = ? AND seq <= ?').run(run.id, cut);
        this.sql('UPDATE runs SET first_seq = ? WHERE id = ?').run(keep, run.id);
        report.runs += 1;
        report.snapshots += removed.n;
        report.bytes += removed.bytes - grown;
      }
    })();
    return report;
  }

  // --- logs ---

  appendLog(line: { runId: string; stepId: string | null; at: string; level: string; message: string; data?: Json }): void {
    this.sql('INSERT INTO logs (run_id, step_id, at, level, message, data) VALUES (?, ?, ?, ?, ?, ?)')
      .run(line.runId, line.stepId, line.at, line.level, line.message, line.data === undefined ? null : JSON.stringify(line.data));
  }

  listLogs(runId: string): { stepId: string | null; at: string; level: string; message: string; data?: Json }[] {
    const rows = this.sql('SELECT step_id AS stepId, at, level, message, data FROM logs WHERE run_id = ? ORDER BY rowid')
      .all(runId) as { stepId: string | null; at: string; level: string; message: string; data: string | null }[];
    return rows.map((r) => (r.data === null ? { stepId: r.stepId, at: r.at, level: r.level, message: r.message } : { ...r, data: JSON.parse(r.data) as Json }));
  }
}
