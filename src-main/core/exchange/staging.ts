// An import is written to a staging database first (a second Store with the same migrations, so rows get
// the store's own encoding), then copied into the main database in one transaction. A failure anywhere
// before the copy leaves the main database untouched: the staging file is simply deleted. A process killed
// mid-import cannot delete it: the file's name carries its owner's pid, and the next open of the database
// (or the next import) removes the staging files whose owner is gone.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { RunLinks, RunMetadata, RunOrigin, UnresolvedLink } from '../../shared/api';
import type { Json, SnapshotDocument } from '../../shared/snapshot';
import { StudioError } from '../../shared/errors';
import { migrate, type OpenOptions } from '../store/connection';
import { refreshWorkOrders } from '../store/migrations/007-work-orders';
import type { KnownChange } from '../store/snapshotCodec';
import { Store, type WorkflowVersionRow } from '../store/store';
import type { PostgresImportTarget } from '../store/postgres/importCopy';
import { isRunning } from '../processes';

/** Writes are committed in batches: one transaction per snapshot would cost more than the snapshot. */
const BATCH = 2000;
/** Snapshots are handed to the store this many at a time (one savepoint each, not one per snapshot). */
const SNAPSHOT_BATCH = 200;
/** The copy into the database reports progress after every this many snapshots. */
const COPY_CHUNK = 5000;

/** The copy of a range of new runs' snapshots, and of part of one run's (both must find rows by primary key). */
export const COPY_RUNS_SQL = 'INSERT INTO main.snapshots SELECT s.* FROM temp.import_new_runs r JOIN staging.snapshots s ON s.run_id = r.id WHERE r.rowid BETWEEN ? AND ?';
export const COPY_PART_SQL = 'INSERT INTO main.snapshots SELECT * FROM staging.snapshots WHERE run_id = ? AND seq BETWEEN ? AND ?';

export const LINK_COLUMNS: Record<keyof RunLinks, string> = { retryOf: 'retry_of', forkedFrom: 'forked_from', replayOf: 'replay_of' };

export interface StagedRun {
  id: string;
  workflowId: string;
  workflowVersion: string;
  input: Json;
  config: Json;
  createdAt: string;
  /** Links to other runs, in this import or in the database; set when the import is copied in. */
  links?: RunLinks;
  /** 'imported' unless said (a LangGraph replay stored beside its recording: 'replay'). */
  origin?: RunOrigin;
}

export interface CommitResult {
  runIds: string[];
  /** Runs already in the database that gained snapshots (appended after their last). */
  extendedRunIds: string[];
  snapshots: number;
  /** Links to runs neither the import nor the database has: kept in the run's metadata instead. */
  unresolvedLinks: UnresolvedLink[];
}

/** Snapshots copied into the database so far, of how many. */
export type CopyProgress = (copied: number, total: number) => void;

function removeFiles(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
}

/** The staging file of an import into `mainFile` by this process: `.<name>.import-<pid>-<hex>.db`, beside it. */
function stagingName(mainFile: string): string {
  const dir = mainFile === ':memory:' || mainFile === '' ? tmpdir() : dirname(mainFile);
  return join(dir, `.${basename(mainFile) || 'studio'}.import-${process.pid}-${randomBytes(6).toString('hex')}.db`);
}

/** A staging file of a build before names carried a pid is left alone while it may still be written. */
const UNOWNED_STALE_MS = 60 * 60 * 1000;

/**
 * Removes the staging files (and their -wal, -shm, -journal) that imports into `mainFile` left behind when
 * their process was killed: those whose owner pid is no longer running. A live import's files stay, this
 * process's own included. Returns the files removed.
 */
export function removeStaleStaging(mainFile: string): string[] {
  if (mainFile === ':memory:' || mainFile === '') return [];
  const dir = dirname(mainFile);
  const prefix = `.${basename(mainFile)}.import-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = /^(?:(\d+)-)?[0-9a-f]+\.db(?:-wal|-shm|-journal)?$/.exec(name.slice(prefix.length));
    if (!m) continue;
    const file = join(dir, name);
    let stale: boolean;
    if (m[1] !== undefined) stale = Number(m[1]) !== process.pid && !isRunning(Number(m[1]));
    else {
      try {
        stale = Date.now() - statSync(file).mtimeMs > UNOWNED_STALE_MS;
      } catch {
        stale = false;
      }
    }
    if (!stale) continue;
    try {
      rmSync(file, { force: true });
      removed.push(file);
    } catch {
      // Another process removed it first, or it cannot be removed now: the next open tries again.
    }
  }
  return removed;
}

function openStaging(file: string, openOptions: OpenOptions): Store {
  // The file is private and any failure throws it away whole: it needs no journal on disk, no syncing and no
  // shared locks. Its rollback journal is kept in memory (what a failed batch's savepoint rolls back; SQLite's
  // defensive mode, which better-sqlite3 keeps on, refuses no journal at all). Large pages keep a whole snapshot
  // row on its page: with 4 KB pages a row over ~1 KB spills into an overflow page of its own. Page size and
  // journal are set before the first write, on the one connection the import uses: a store's own open would
  // switch the file to WAL, and every page would then be written twice (to the log, then at the checkpoint).
  const db = new Database(file, openOptions.nativeBinding ? { nativeBinding: openOptions.nativeBinding } : {});
  try {
    db.pragma('page_size = 16384');
    const journal = db.pragma('journal_mode = MEMORY', { simple: true });
    if (journal !== 'memory') throw new Error(`the staging file ${file} kept its journal mode ${String(journal)}`);
    db.pragma('synchronous = OFF');
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -32768');
    migrate(db, 0);
    // Runs are written once and read by id: their indexes are not kept up to date here (the database's are, as
    // the rows are copied in). The logs keep theirs: a copy into PostgreSQL reads them run by run.
    const extras = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs' AND sql IS NOT NULL").all() as { name: string }[];
    for (const { name } of extras) db.exec(`DROP INDEX "${name.replaceAll('"', '""')}"`);
    // Nor change numbers (schema version 8): the database numbers the runs as they are copied in, and here each
    // insert and update of a run would scan every staged one for the highest (its index is gone too).
    db.exec('DROP TRIGGER runs_changed_on_insert; DROP TRIGGER runs_changed_on_update');
    // Nor a lookup of its run for every row: the reader stages a run before its snapshots, and the database
    // checks every reference again when the rows are copied in.
    db.pragma('foreign_keys = OFF');
    db.exec('BEGIN');
    return Store.over(db);
  } catch (err) {
    db.close();
    throw err;
  }
}

export class ImportSession {
  private readonly staging: Store;
  private readonly file: string;
  private readonly versions = new Set<string>();
  private readonly runs = new Set<string>();
  /** The links of staged runs: set once every run is in (a link may point to a run later in the file). */
  private readonly links = new Map<string, RunLinks>();
  private pendingWrites = 0;
  /** Snapshots not yet handed to the staging store. */
  private readonly snapshots: SnapshotDocument[] = [];
  /** Their changes from the document before each, where known. */
  private readonly changes: (KnownChange | undefined)[] = [];
  /** Whether the database has a run (asked of every run: a lookup that throws when it has not would cost more than the run). */
  private readonly inDatabase: (runId: string) => boolean;
  /** A version the database has, to stage beside the runs that use it. */
  private readonly versionInDatabase: (hash: string) => WorkflowVersionRow | undefined;
  /** Runs already in the database that this import appends to, with the last seq each had when read. */
  private readonly continued = new Map<string, number>();
  /** Runs left out because the database (or an earlier file of this import) already has them. */
  skipped = 0;
  /** Snapshots written to staging so far, for progress. */
  staged = 0;

  /** Every run met in this import, staged or skipped, in the order met. */
  get seenRunIds(): string[] {
    return [...this.runs];
  }

  /**
   * Staging is SQLite's own: an import into PostgreSQL stages into a file in the temporary folder the same
   * way, knowing the database's runs and versions from `target`, and is copied in by copyStagedIntoPostgres.
   */
  constructor(
    private readonly main: Store | PostgresImportTarget,
    openOptions: OpenOptions = {},
    private readonly copyChunk = COPY_CHUNK,
  ) {
    if (main instanceof Store) {
      const runInDatabase = main.db.prepare<[string], 1>('SELECT 1 FROM runs WHERE id = ?').pluck();
      this.inDatabase = (runId) => runInDatabase.get(runId) !== undefined;
      this.versionInDatabase = (hash) => main.sync.read.getWorkflowVersion(hash);
      removeStaleStaging(main.db.name);
    } else {
      this.inDatabase = (runId) => main.runs.has(runId);
      this.versionInDatabase = (hash) => main.versions.get(hash);
    }
    this.file = stagingName(main instanceof Store ? main.db.name : '');
    try {
      this.staging = openStaging(this.file, openOptions);
    } catch (err) {
      removeFiles(this.file);
      throw err;
    }
  }

  private wrote(): void {
    if (++this.pendingWrites < BATCH) return;
    this.flushSnapshots();
    this.staging.db.exec('COMMIT; BEGIN');
    this.pendingWrites = 0;
  }

  /** Whether a version is staged or in the database; one only in the database is staged for the runs that use it. */
  knowsVersion(hash: string): boolean {
    if (this.versions.has(hash)) return true;
    const row = this.versionInDatabase(hash);
    if (row) this.addVersion(row);
    return row !== undefined;
  }

  addVersion(row: WorkflowVersionRow): void {
    if (this.versions.has(row.hash)) return;
    this.staging.sync.write.saveWorkflowVersion(row);
    this.versions.add(row.hash);
    this.wrote();
  }

  /** Stages a run unless the database or this import has it already; says which it did. */
  startRun(run: StagedRun): 'staged' | 'skipped' {
    if (this.runs.has(run.id) || this.inDatabase(run.id)) {
      this.runs.add(run.id);
      this.skipped++;
      return 'skipped';
    }
    this.runs.add(run.id);
    if (run.links && Object.keys(run.links).length > 0) this.links.set(run.id, run.links);
    this.staging.sync.write.createRun({ id: run.id, workflowId: run.workflowId, workflowVersion: run.workflowVersion, origin: run.origin ?? 'imported', input: run.input, config: run.config, at: run.createdAt });
    this.wrote();
    return 'staged';
  }

  /** The last snapshot the database has of a run, or undefined when it has no such run (or no snapshot of it). */
  async storedLast(runId: string): Promise<SnapshotDocument | undefined> {
    if (!this.inDatabase(runId)) return undefined;
    return this.main instanceof Store ? this.main.sync.read.latestSnapshot(runId) : this.main.latestSnapshot(runId);
  }

  /**
   * Stages snapshots to append to a run the database has, after its last seq `lastSeq` (they must number on
   * from it). Copied with the new runs, in the same transaction, only if the run still ends at lastSeq then.
   */
  continueRun(run: StagedRun, lastSeq: number): void {
    this.runs.add(run.id);
    this.staging.sync.write.createRun({ id: run.id, workflowId: run.workflowId, workflowVersion: run.workflowVersion, origin: run.origin ?? 'imported', input: run.input, config: run.config, at: run.createdAt });
    this.staging.db.prepare('UPDATE runs SET last_seq = ?, first_seq = ? WHERE id = ?').run(lastSeq, lastSeq + 1, run.id);
    this.continued.set(run.id, lastSeq);
    this.wrote();
  }

  /** `change`: the document's change from the one staged before it, when the reader has it (see KnownChange). */
  addSnapshot(doc: SnapshotDocument, change?: KnownChange): void {
    this.snapshots.push(doc);
    this.changes.push(change);
    if (this.snapshots.length >= SNAPSHOT_BATCH) this.flushSnapshots();
    this.staged++;
    this.wrote();
  }

  /**
   * Stages the snapshots waiting, of one run or of several (a batch is not cut where a run ends). Runs are
   * staged one after another: once a batch is in, the store need keep the last document of its last run only.
   */
  private flushSnapshots(): void {
    if (this.snapshots.length === 0) return;
    this.staging.sync.write.stageSnapshots(this.snapshots, this.changes);
    this.staging.sync.write.releaseChains(this.snapshots[this.snapshots.length - 1].runId);
    // Emptied, not replaced: a new [] holds small integers until its first push, and that change of kind
    // throws away the optimised code of every caller that pushes (a recompile of the whole staging path).
    this.snapshots.length = 0;
    this.changes.length = 0;
  }

  addLog(line: { runId: string; stepId: string | null; at: string; level: string; message: string; data?: Json }): void {
    this.staging.sync.write.appendLog(line);
    this.wrote();
  }

  /**
   * Copies every staged row of runs the database does not have into it, in one transaction. Whole rows are
   * copied as stored (rows of one run only reference rows of the same run, and the versions come along),
   * snapshots a chunk at a time so `onCopy` can report. Then the links are set (see setLinks).
   */
  async commitInto(onCopy?: CopyProgress): Promise<CommitResult> {
    this.flushSnapshots();
    this.staging.db.exec('COMMIT');
    this.staging.closeNow();
    if (!(this.main instanceof Store)) return this.main.copyIn(this.file, this.links, this.continued, onCopy);
    const db = this.main.db;
    db.prepare('ATTACH DATABASE ? AS staging').run(this.file);
    try {
      return db
        .transaction(() => {
          db.exec(`CREATE TEMP TABLE import_new_runs AS SELECT id, last_seq FROM staging.runs WHERE id NOT IN (SELECT id FROM main.runs)`);
          const fresh = 'SELECT id FROM temp.import_new_runs';
          db.exec(`
            INSERT OR IGNORE INTO main.workflow_versions SELECT * FROM staging.workflow_versions;
            INSERT INTO main.runs SELECT * FROM staging.runs WHERE id IN (${fresh});
          `);
          const snapshots = this.copySnapshots(onCopy);
          db.exec(`INSERT INTO main.logs SELECT * FROM staging.logs WHERE run_id IN (${fresh}) ORDER BY rowid`);
          const runIds = (db.prepare(`SELECT id FROM staging.runs WHERE id IN (${fresh}) ORDER BY created_at, id`).all() as { id: string }[]).map((r) => r.id);
          const unresolvedLinks = this.setLinks(new Set(runIds));
          db.exec('DROP TABLE temp.import_new_runs');
          const appended = this.appendContinued();
          return { runIds, extendedRunIds: appended.runIds, snapshots: snapshots + appended.snapshots, unresolvedLinks };
        })
        .immediate();
    } finally {
      db.exec('DETACH DATABASE staging');
    }
  }

  /**
   * Appends the staged snapshots of runs the database had (continueRun), refusing the whole import when one
   * of them gained snapshots since it was read (another import, say): nothing is rewritten, nothing doubled.
   */
  private appendContinued(): { runIds: string[]; snapshots: number } {
    const db = (this.main as Store).db;
    const runIds: string[] = [];
    let snapshots = 0;
    for (const [runId, lastSeq] of this.continued) {
      const staged = db.prepare('SELECT last_seq, status, updated_at, result, error FROM staging.runs WHERE id = ?').get(runId) as { last_seq: number; status: string; updated_at: string; result: string | null; error: string | null };
      if (staged.last_seq === lastSeq) continue;
      const moved = db.prepare('UPDATE main.runs SET last_seq = ?, status = ?, updated_at = ?, result = ?, error = ? WHERE id = ? AND last_seq = ?').run(staged.last_seq, staged.status, staged.updated_at, staged.result, staged.error, runId, lastSeq);
      if (moved.changes !== 1) {
        throw new StudioError('E_SEQ_CONFLICT', `run ${runId} gained snapshots while this import read its source: import again`);
      }
      db.prepare(COPY_PART_SQL).run(runId, lastSeq + 1, staged.last_seq);
      runIds.push(runId);
      snapshots += staged.last_seq - lastSeq;
    }
    return { runIds, snapshots };
  }

  /**
   * Copies the new runs' snapshots, reporting after every copyChunk of them; gives how many. Runs that fit
   * in what is left of a chunk go in one statement together, a run that does not is cut by seq.
   */
  private copySnapshots(onCopy?: CopyProgress): number {
    const db = (this.main as Store).db;
    const runs = db.prepare('SELECT rowid AS n, id, last_seq AS last FROM temp.import_new_runs ORDER BY rowid').all() as { n: number; id: string; last: number }[];
    const total = runs.reduce((sum, r) => sum + r.last, 0);
    const copyRuns = db.prepare(COPY_RUNS_SQL);
    const copyPart = db.prepare(COPY_PART_SQL);
    let copied = 0;
    if (total > 0) onCopy?.(0, total);
    for (let i = 0, from = 1; i < runs.length; ) {
      const room = this.copyChunk - (copied % this.copyChunk);
      let end = i;
      for (let fits = 0; from === 1 && end < runs.length && fits + runs[end].last <= room; end++) fits += runs[end].last;
      if (end > i) {
        copyRuns.run(runs[i].n, runs[end - 1].n);
        for (; i < end; i++) copied += runs[i].last;
      } else {
        const to = Math.min(runs[i].last, from + room - 1);
        copyPart.run(runs[i].id, from, to);
        copied += to - from + 1;
        if (to === runs[i].last) [i, from] = [i + 1, 1];
        else from = to + 1;
      }
      if (copied % this.copyChunk === 0 && copied < total) onCopy?.(copied, total);
    }
    onCopy?.(copied, total);
    return copied;
  }

  /**
   * Sets the links of the runs just copied; returns those whose target neither the import nor the database
   * has, which are kept in the run's metadata. A run imported earlier whose link waited there for a run this
   * import added gets its link now.
   */
  private setLinks(added: Set<string>): UnresolvedLink[] {
    const db = (this.main as Store).db;
    const waiting = db.prepare('SELECT id, metadata FROM main.runs WHERE metadata IS NOT NULL').all() as { id: string; metadata: string }[];
    const plan = planLinks(this.links, added, this.inDatabase, waiting);
    for (const [runId, name, target] of plan.links) db.prepare(`UPDATE main.runs SET ${LINK_COLUMNS[name]} = ? WHERE id = ?`).run(target, runId);
    for (const [runId, metadata] of plan.metadata) db.prepare('UPDATE main.runs SET metadata = ? WHERE id = ?').run(metadata, runId);
    // A link set after its run was copied moves the run, and every run under it, to another work order.
    if (plan.links.length > 0) refreshWorkOrders(db);
    return plan.unresolved;
  }

  /** Deletes the staging file (after a commit, or instead of one). */
  discard(): void {
    this.staging.closeNow();
    removeFiles(this.file);
  }
}

/** The link columns to set and the metadata to write once an import's runs are in the database (see setLinks). */
export interface LinkPlan {
  links: [runId: string, name: keyof RunLinks, target: string][];
  /** Each run's metadata as JSON text, or null for none. */
  metadata: [runId: string, metadata: string | null][];
  unresolved: UnresolvedLink[];
}

/**
 * Plans the links of the runs just copied (`added`): a link whose target the database has is set, one whose
 * target it has not is kept in the run's metadata and reported; a run imported earlier whose link waited in
 * its metadata (`waiting`) for a run just added gets its link now.
 */
export function planLinks(staged: Map<string, RunLinks>, added: Set<string>, inDatabase: (runId: string) => boolean, waiting: { id: string; metadata: string }[]): LinkPlan {
  const plan: LinkPlan = { links: [], metadata: [], unresolved: [] };
  const setMetadata = (runId: string, metadata: RunMetadata) => plan.metadata.push([runId, Object.keys(metadata).length > 0 ? JSON.stringify(metadata) : null]);
  for (const [runId, links] of staged) {
    if (!added.has(runId)) continue;
    const missing: RunLinks = {};
    for (const [name, target] of Object.entries(links) as [keyof RunLinks, string][]) {
      if (inDatabase(target)) plan.links.push([runId, name, target]);
      else {
        missing[name] = target;
        plan.unresolved.push({ runId, link: name, target });
      }
    }
    if (Object.keys(missing).length > 0) setMetadata(runId, { unresolvedLinks: missing });
  }
  for (const row of waiting) {
    const metadata = JSON.parse(row.metadata) as RunMetadata;
    const links = metadata.unresolvedLinks;
    if (added.has(row.id) || !links) continue;
    const arrived = (Object.entries(links) as [keyof RunLinks, string][]).filter(([, target]) => added.has(target));
    if (arrived.length === 0) continue;
    for (const [name, target] of arrived) {
      plan.links.push([row.id, name, target]);
      delete links[name];
    }
    if (Object.keys(links).length === 0) delete metadata.unresolvedLinks;
    setMetadata(row.id, metadata);
  }
  return plan;
}
