// The SQLite provider's query tables: each query takes the handle its kind needs (store.ts binds them).
// Their signatures, less the handle, are the storage contract (contract.ts) every provider implements.
import { appendLog, listLogs } from './logs';
import { deleteNamedSnapshot, getNamedSnapshot, listNamedSnapshots, saveNamedSnapshot } from './namedSnapshots';
import { prune } from './prune';
import { claimNextRuns, claimRun, createRun, getRun, getRunSummary, leaseOf, listRuns, releaseRun, runMarks, unfinishedRuns } from './runs';
import { getSetting, setSetting } from './settings';
import { countSnapshots, findSnapshotSeq, getSnapshot, lastCompletions, latestSnapshot, listSnapshots, snapshotsInOrder, snapshotsWithChanges, stepSnapshotSeq } from './snapshotReads';
import { getWorkflowVersion, listWorkflowVersions, saveWorkflowVersion } from './workflowVersions';
import { listWorkOrderPage } from './workOrderPages';

export const readQueries = {
  listRuns,
  listWorkOrderPage,
  runMarks,
  getRun,
  getRunSummary,
  unfinishedRuns,
  leaseOf,
  countSnapshots,
  listSnapshots,
  getSnapshot,
  snapshotsInOrder,
  snapshotsWithChanges,
  latestSnapshot,
  findSnapshotSeq,
  stepSnapshotSeq,
  lastCompletions,
  listWorkflowVersions,
  getWorkflowVersion,
  listNamedSnapshots,
  getNamedSnapshot,
  listLogs,
  getSetting,
};

export const writeQueries = {
  createRun,
  claimRun,
  claimNextRuns,
  releaseRun,
  saveWorkflowVersion,
  saveNamedSnapshot,
  deleteNamedSnapshot,
  appendLog,
  setSetting,
  prune,
};

export type ReadQueries = typeof readQueries;
export type WriteQueries = typeof writeQueries;
