// A run's row as stored, and the run summary the API shows of it.
import type { RunOrigin, RunSummary } from '../../shared/api';
import { StudioError } from '../../shared/errors';
import { TERMINAL_STATUSES, type RunStatus } from '../../shared/snapshot';
import type { ReadableDB } from './handles';

export interface RunRow {
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

export const TERMINAL = new Set<RunStatus>(TERMINAL_STATUSES);

/** What a run summary is made of: the run row less its input, config, result and error. */
export type SummaryRow = Pick<RunRow, 'id' | 'workflow_id' | 'workflow_version' | 'status' | 'origin' | 'created_at' | 'updated_at' | 'last_seq' | 'first_seq' | 'retry_of' | 'forked_from' | 'replay_of'>;
export const SUMMARY_COLUMNS = 'id, workflow_id, workflow_version, status, origin, created_at, updated_at, last_seq, first_seq, retry_of, forked_from, replay_of';

export function toSummary(row: SummaryRow): RunSummary {
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

export function runRow(db: ReadableDB, runId: string): RunRow {
  const row = db.sql('SELECT * FROM runs WHERE id = ?').get(runId) as RunRow | undefined;
  if (!row) throw new StudioError('E_NO_RUN', `no run with id "${runId}"`);
  return row;
}
