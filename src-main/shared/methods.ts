// The method names of the contract, as plain data with no dependencies, so the sandboxed preload and the
// renderer can build their clients from it. A Record over StudioMethod makes the compiler reject a
// missing or an extra name; schemas.ts's apiArgs is tied to the same type.
import type { StudioMethod } from './api';

const contract: Record<StudioMethod, true> = {
  listWorkflows: true,
  startRun: true,
  listRuns: true,
  listRunPage: true,
  getRun: true,
  listSnapshots: true,
  getSnapshot: true,
  getSnapshotOutline: true,
  diffSnapshots: true,
  listLogs: true,
  findStepSnapshot: true,
  firstChange: true,
  listVersions: true,
  getVersion: true,
  pause: true,
  cancel: true,
  resume: true,
  consentToImportedCode: true,
  retry: true,
  fork: true,
  createNamedSnapshot: true,
  listNamedSnapshots: true,
  runNamedSnapshot: true,
  deleteNamedSnapshot: true,
  getRetention: true,
  setRetention: true,
  prune: true,
  exportRuns: true,
  importFiles: true,
  replay: true,
};

/** Every method of StudioApi, in contract order. */
export const contractMethods = Object.keys(contract) as StudioMethod[];
