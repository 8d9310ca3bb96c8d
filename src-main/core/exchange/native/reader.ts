// Reads a native export file line by line into an import session, checking each line as it goes: the
// header first (format, a formatVersion this build knows), each record's shape, snapshots in seq order
// under their run, and at the end a trailer whose counts and sha256 match what was read.
import { createHash } from 'node:crypto';
import { migrateSnapshot } from '../../store/snapshotMigrations';
import { SNAPSHOT_SCHEMA_VERSION, type Json, type SnapshotDocument } from '../../../shared/snapshot';
import { contentHash, type KnownChange } from '../../store/snapshotCodec';
import { checkShape, kindOf, MAX_JSON_DEPTH, parseJsonLine, shown } from '../untrustedInput';
import { readLineBatches, type LineReadOptions } from '../lineStream';
import { applyDeltaLine, DeltaRefusal } from './deltaLine';
import { isChangedSnapshotDocument, isHeaderLine, isLogLine, isRecord, isRunLine, isSnapshotDeltaLine, isSnapshotDocument, isSnapshotLine, isTrailerLine, isWorkflowVersionLine } from './quickCheck';
import type { ImportSession } from '../staging';
import { ImportError, type ImportSource } from '../types';
import {
  LINE_SCHEMAS,
  NATIVE_FORMAT,
  NATIVE_FORMAT_VERSION,
  snapshotDeltaLine,
  snapshotDocumentSchema,
  type ExportCounts,
  type ExportLogLine,
  type LineType,
  type RunLine,
  type TrailerLine,
  type WorkflowVersionLine,
} from './format';

export interface NativeReadOptions extends LineReadOptions {
  maxDepth?: number;
  /** Called after each line with the snapshots read so far from this file. */
  onLine?(snapshots: number): void;
}

/** A workflow version is the content hash of its bundle (or, for a version known only from records, of its source). */
export function versionHashOf(bundle: string, source: string): string {
  return contentHash(bundle !== '' ? bundle : source).slice(0, 16);
}

/** How the exporter starts a delta line: its seq a whole number of at most 15 digits. */
const DELTA_LINE_HEAD = /^\{"type":"snapshot","seq":([1-9]\d{0,14}),"delta":/;

interface OpenRun {
  id: string;
  declared: number;
  nextSeq: number;
  skip: boolean;
  line: number;
  /** The run's last snapshot document as read, which the next line's delta changes (version 2). */
  previous?: Record<string, unknown>;
}

function lineType(value: unknown, where: ImportSource): LineType {
  const type = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && Object.prototype.hasOwnProperty.call(LINE_SCHEMAS, type)) return type as LineType;
  const got = where.line === 1 ? (value !== null && typeof value === 'object' && !Array.isArray(value) ? `an object whose type is ${kindOf(type)}` : kindOf(value)) : shown(type);
  throw new ImportError({ ...where, field: 'type', expected: `one of ${Object.keys(LINE_SCHEMAS).join(', ')}`, got }, where.line === 1 ? 'not a Snapshot Studio export' : 'unknown line type');
}

/** Checks the header; gives the file's format version. */
function checkHeader(value: unknown, where: ImportSource): number {
  const header = value as { format?: unknown; formatVersion?: unknown };
  if (header.format !== NATIVE_FORMAT) {
    // Another format, or a file that is none: its content is not echoed.
    throw new ImportError({ ...where, field: 'header.format', expected: JSON.stringify(NATIVE_FORMAT), got: typeof header.format === 'string' ? 'another format' : kindOf(header.format) }, 'not a Snapshot Studio export');
  }
  if (typeof header.formatVersion === 'number' && header.formatVersion > NATIVE_FORMAT_VERSION) {
    throw new ImportError(
      { ...where, field: 'header.formatVersion', expected: `at most ${NATIVE_FORMAT_VERSION}`, got: String(header.formatVersion) },
      `the file is export format version ${header.formatVersion}, newer than this build knows (${NATIVE_FORMAT_VERSION}); import it with a newer Snapshot Studio`,
    );
  }
  return (isHeaderLine(value) ? value : checkShape(LINE_SCHEMAS.header, value, where, 'header')).formatVersion;
}

/**
 * Checks a snapshot document of our schema; shared with the foreign path, which gets documents from adapters.
 * `parsed`: the document comes straight from JSON.parse (or from a checked one and `changedBy`, the delta
 * that made it), so the hand-written check may vouch for it.
 */
export function checkDocument(doc: unknown, where: ImportSource, parsed = false, changedBy?: Record<string, unknown>): SnapshotDocument {
  const at = () => `${where.file}${where.line !== undefined ? `:${where.line}` : ''}`;
  // A delta line's document: the one before passed, so only what the delta changed is looked at.
  if (parsed && (changedBy ? isChangedSnapshotDocument(doc as Record<string, unknown>, changedBy) : isSnapshotDocument(doc))) {
    // Checked: a whole schemaVersion no newer than this build's; one of this build's needs no migration.
    return (doc as SnapshotDocument).schemaVersion === SNAPSHOT_SCHEMA_VERSION ? (doc as SnapshotDocument) : migrateSnapshot(doc, at());
  }
  const version = (doc as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > SNAPSHOT_SCHEMA_VERSION) {
    throw new ImportError(
      { ...where, field: 'snapshot.schemaVersion', expected: `at most ${SNAPSHOT_SCHEMA_VERSION}`, got: String(version) },
      `snapshot schema version ${version} is newer than this build knows (${SNAPSHOT_SCHEMA_VERSION}); import it with a newer Snapshot Studio`,
    );
  }
  const checked = checkShape(snapshotDocumentSchema, doc, where, 'snapshot');
  return migrateSnapshot(checked, at());
}

/** One file being read: what its lines have said so far, and one method a line type. */
class NativeFile {
  private readonly hash = createHash('sha256');
  readonly counts: ExportCounts = { workflowVersions: 0, runs: 0, snapshots: 0, logs: 0 };
  private readonly runsOfFile = new Set<string>();
  private run: OpenRun | null = null;
  trailer: TrailerLine | null = null;
  private formatVersion = 1;
  /** The JSON text of the current line's delta, as the line has it (see deltaLine). */
  private deltaText: string | undefined;

  constructor(
    private readonly file: string,
    private readonly session: ImportSession,
    private readonly options: NativeReadOptions,
  ) {}

  /** One line: parsed, its type checked, then handed to its type's method (each small, so the hot one compiles alone). */
  line(number: number, bytes: Buffer): void {
    const where: ImportSource = { file: this.file, line: number };
    if (this.trailer) throw new ImportError({ ...where, expected: 'end of file after the trailer', got: 'another line' }, 'nothing may follow the trailer');
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text === '') throw new ImportError({ ...where, expected: 'one JSON document', got: 'an empty line' }, 'empty line');
    // A delta line as the exporter writes it is read as its delta's text alone, which the store then keeps as
    // written (no second JSON.stringify); any other line, or one whose slice is not one JSON value, whole.
    // Until its header says so, the file may be anything (an import given another file): line 1's errors never quote it.
    const value = (number > 1 && this.deltaLine(text, where)) || parseJsonLine(text, where, this.options.maxDepth, number > 1);
    const type = lineType(value, where);
    if (number === 1 && type !== 'header') {
      throw new ImportError({ ...where, field: 'type', expected: '"header" on the first line', got: shown(type) }, 'not a Snapshot Studio export');
    }
    if (type !== 'trailer') this.hash.update(bytes).update('\n');
    if (type === 'snapshot') this.snapshot(value, where);
    else if (type === 'header') this.header(value, where);
    else if (type === 'workflowVersion') this.workflowVersion(value, where);
    else if (type === 'run') this.runLine(value, where);
    else if (type === 'log') this.log(value, where);
    else this.trailerLine(value, where);
    this.options.onLine?.(this.counts.snapshots);
  }

  /**
   * `{"type":"snapshot","seq":N,"delta":D}` exactly as written by the exporter: the line read as D's text alone
   * (kept in deltaText for the store). Sound because D parses as one JSON value: the whole line is then that
   * object with those three members and nothing else. Undefined for any other line, or when D does not parse
   * (the whole line is then read, and refused with its own words).
   */
  private deltaLine(text: string, where: ImportSource): { type: 'snapshot'; seq: number; delta: unknown } | undefined {
    this.deltaText = undefined;
    const head = DELTA_LINE_HEAD.exec(text);
    if (!head || text.charCodeAt(text.length - 1) !== 125 /* } */) return undefined;
    const deltaText = text.slice(head[0].length, -1);
    let delta: unknown;
    try {
      // One level less: the delta sits one level inside its line.
      delta = parseJsonLine(deltaText, where, (this.options.maxDepth ?? MAX_JSON_DEPTH) - 1);
    } catch {
      return undefined;
    }
    this.deltaText = deltaText;
    return { type: 'snapshot', seq: Number(head[1]), delta };
  }

  /** The run before must have had every snapshot its run line declared. */
  private closeRun(where: ImportSource): void {
    const run = this.run;
    if (run && run.nextSeq - 1 !== run.declared) {
      throw new ImportError(
        { ...where, field: 'run.snapshots', expected: `${run.declared} snapshots of run ${run.id} (line ${run.line})`, got: String(run.nextSeq - 1) },
        'the run has fewer snapshots than its run line declares',
      );
    }
  }

  private header(value: unknown, where: ImportSource): void {
    if (where.line !== 1) throw new ImportError({ ...where, field: 'type', expected: 'a header on line 1 only', got: '"header"' }, 'a second header');
    this.formatVersion = checkHeader(value, where);
  }

  private workflowVersion(value: unknown, where: ImportSource): void {
    const v = isWorkflowVersionLine(value) ? value : (checkShape(LINE_SCHEMAS.workflowVersion, value, where, 'workflowVersion') as WorkflowVersionLine);
    const expected = versionHashOf(v.bundle, v.source);
    if (v.hash !== expected) {
      throw new ImportError({ ...where, field: 'workflowVersion.hash', expected, got: v.hash }, "the version's hash does not match its code: the code was changed after export");
    }
    this.session.addVersion({ hash: v.hash, workflowId: v.workflowId, source: v.source, bundle: v.bundle, meta: JSON.stringify(v.meta), why: 'imported', createdAt: v.createdAt });
    this.counts.workflowVersions++;
  }

  private runLine(value: unknown, where: ImportSource): void {
    this.closeRun(where);
    const r = isRunLine(value) ? value : (checkShape(LINE_SCHEMAS.run, value, where, 'run') as RunLine);
    if (this.runsOfFile.has(r.id)) throw new ImportError({ ...where, field: 'run.id', expected: 'each run once per file', got: JSON.stringify(r.id) }, 'the run appears twice');
    if (!this.session.knowsVersion(r.workflowVersion)) {
      throw new ImportError({ ...where, field: 'run.workflowVersion', expected: 'a workflowVersion line for it before the run', got: JSON.stringify(r.workflowVersion) }, 'unknown workflow version');
    }
    this.runsOfFile.add(r.id);
    const links = { ...(r.retryOf ? { retryOf: r.retryOf } : {}), ...(r.forkedFrom ? { forkedFrom: r.forkedFrom } : {}), ...(r.replayOf ? { replayOf: r.replayOf } : {}) };
    const outcome = this.session.startRun({ id: r.id, workflowId: r.workflowId, workflowVersion: r.workflowVersion, input: r.input as Json, config: r.config as Json, createdAt: r.createdAt, links });
    this.run = { id: r.id, declared: r.snapshots, nextSeq: 1, skip: outcome === 'skipped', line: where.line! };
    this.counts.runs++;
  }

  private snapshot(value: unknown, where: ImportSource): void {
    const run = this.run;
    let raw: unknown;
    let change: KnownChange | undefined;
    if (isRecord(value) && value.delta !== undefined) {
      // Version 2: the change from the run's snapshot on the line before.
      if (!isSnapshotDeltaLine(value)) checkShape(snapshotDeltaLine, value, where, 'snapshot');
      const line = value as { seq: number; delta: Record<string, unknown> };
      if (this.formatVersion < 2) {
        throw new ImportError({ ...where, field: 'snapshot.delta', expected: `a whole document (a version ${this.formatVersion} file has no deltas)`, got: 'a delta' }, 'a delta in a file whose header says it has none');
      }
      if (!run) throw new ImportError({ ...where, field: 'snapshot.seq', expected: 'a run line before its snapshots', got: String(line.seq) }, 'a snapshot outside any run');
      if (line.seq !== run.nextSeq) throw new ImportError({ ...where, field: 'snapshot.seq', expected: String(run.nextSeq), got: String(line.seq) }, 'snapshots must come in seq order, without gaps');
      // A delta's seq is 2 or more and the run's next: the snapshot before it was read, so previous is set.
      const previous = run.previous!;
      try {
        const applied = applyDeltaLine(previous, line.delta);
        raw = applied.doc;
        change = { from: previous as unknown as SnapshotDocument, delta: line.delta, grew: applied.grew, text: this.deltaText };
      } catch (err) {
        if (!(err instanceof DeltaRefusal)) throw err;
        throw new ImportError({ ...where, field: `snapshot.delta${err.path ? `.${err.path}` : ''}`, expected: err.expected, got: err.got }, `the delta does not apply to snapshot ${line.seq - 1} of the run`);
      }
    } else {
      if (!isSnapshotLine(value)) checkShape(LINE_SCHEMAS.snapshot, value, where, '');
      raw = (value as { document: unknown }).document;
    }
    const doc = checkDocument(raw, where, true, change?.delta);
    if (!run) throw new ImportError({ ...where, field: 'snapshot.runId', expected: 'a run line before its snapshots', got: JSON.stringify(doc.runId) }, 'a snapshot outside any run');
    if (doc.runId !== run.id) throw new ImportError({ ...where, field: 'snapshot.runId', expected: JSON.stringify(run.id), got: JSON.stringify(doc.runId) }, 'a snapshot of another run');
    if (doc.seq !== run.nextSeq) throw new ImportError({ ...where, field: 'snapshot.seq', expected: String(run.nextSeq), got: String(doc.seq) }, 'snapshots must come in seq order, without gaps');
    if (run.nextSeq > run.declared) throw new ImportError({ ...where, field: 'snapshot.seq', expected: `at most ${run.declared} (run line ${run.line})`, got: String(doc.seq) }, 'more snapshots than the run line declares');
    // The next line's delta is from this document as the file has it (before any migration).
    run.previous = raw as Record<string, unknown>;
    // The line's delta is the stored change too, unless migration made another document of either side.
    if (!run.skip) this.session.addSnapshot(doc, doc === raw ? change : undefined);
    run.nextSeq++;
    this.counts.snapshots++;
  }

  private log(value: unknown, where: ImportSource): void {
    const run = this.run;
    const l = isLogLine(value) ? value : (checkShape(LINE_SCHEMAS.log, value, where, 'log') as ExportLogLine);
    if (!run || l.runId !== run.id) {
      throw new ImportError({ ...where, field: 'log.runId', expected: run ? JSON.stringify(run.id) : 'a run line before its logs', got: JSON.stringify(l.runId) }, 'a log line must follow the snapshots of its run');
    }
    if (!run.skip) this.session.addLog({ runId: l.runId, stepId: l.stepId, at: l.at, level: l.level, message: l.message, ...(l.data !== undefined ? { data: l.data as Json } : {}) });
    this.counts.logs++;
  }

  private trailerLine(value: unknown, where: ImportSource): void {
    this.closeRun(where);
    const trailer = isTrailerLine(value) ? value : (checkShape(LINE_SCHEMAS.trailer, value, where, 'trailer') as TrailerLine);
    this.trailer = trailer;
    for (const key of Object.keys(this.counts) as (keyof ExportCounts)[]) {
      if (trailer.counts[key] !== this.counts[key]) {
        throw new ImportError({ ...where, field: `trailer.counts.${key}`, expected: String(this.counts[key]), got: String(trailer.counts[key]) }, 'the trailer counts other lines than the file has: lines were lost or added');
      }
    }
    const actual = this.hash.digest('hex');
    if (trailer.sha256 !== actual) {
      throw new ImportError({ ...where, field: 'trailer.sha256', expected: actual, got: trailer.sha256 }, 'the checksum does not match: the file was changed or damaged after export');
    }
  }
}

export async function readNativeFile(file: string, session: ImportSession, options: NativeReadOptions = {}): Promise<void> {
  const reader = new NativeFile(file, session, options);
  let lastLine = 0;
  for await (const batch of readLineBatches(file, options)) {
    for (const { number, bytes } of batch) {
      lastLine = number;
      reader.line(number, bytes);
    }
  }
  if (lastLine === 0) throw new ImportError({ file, line: 1, expected: 'a header line', got: 'an empty file' }, 'the file is empty');
  if (!reader.trailer) throw new ImportError({ file, line: lastLine + 1, expected: 'a trailer line', got: 'end of file' }, 'the file ends without its trailer: it was cut short');
}
