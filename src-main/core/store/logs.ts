// What steps logged, kept per run in the order they logged it.
import type { LogLine } from '../../shared/api';
import type { Json } from '../../shared/snapshot';
import type { ReadableDB, WritableDB } from './handles';

export function appendLog(db: WritableDB, line: LogLine & { runId: string }): void {
  db.sql('INSERT INTO logs (run_id, step_id, at, level, message, data) VALUES (?, ?, ?, ?, ?, ?)')
    .run(line.runId, line.stepId, line.at, line.level, line.message, line.data === undefined ? null : JSON.stringify(line.data));
}

export function listLogs(db: ReadableDB, runId: string): LogLine[] {
  const rows = db.sql('SELECT step_id AS stepId, at, level, message, data FROM logs WHERE run_id = ? ORDER BY rowid')
    .all(runId) as LogRow[];
  return rows.map(toLogLine);
}

export type LogRow = { stepId: string | null; at: string; level: string; message: string; data: string | null };

export const toLogLine = (r: LogRow): LogLine => (r.data === null ? { stepId: r.stepId, at: r.at, level: r.level, message: r.message } : { ...r, data: JSON.parse(r.data) as Json });
