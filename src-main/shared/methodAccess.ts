// Which contract methods change the database: a studio opened read-only (`--read-only`) refuses them with
// E_READ_ONLY before they touch anything, and its window hides the actions that call them. Every method has its row,
// so a new one is classified by construction. exportRuns reads the database (the file it writes is the person's).
import type { StudioMethod } from './api';

export const changesDatabase = {
  getStudioInfo: false,
  listWorkflows: false,
  startRun: true,
  listRuns: false,
  listRunPage: false,
  getRun: false,
  listSnapshots: false,
  getSnapshot: false,
  getSnapshotOutline: false,
  diffSnapshots: false,
  listLogs: false,
  findStepSnapshot: false,
  firstChange: false,
  listVersions: false,
  getVersion: false,
  pause: true,
  cancel: true,
  resume: true,
  // Only a warning and a consent, but the consent is spent by a retry or fork, which write.
  consentToImportedCode: true,
  retry: true,
  fork: true,
  createNamedSnapshot: true,
  listNamedSnapshots: false,
  runNamedSnapshot: true,
  deleteNamedSnapshot: true,
  getRetention: false,
  setRetention: true,
  prune: true,
  exportRuns: false,
  importFiles: true,
  replay: true,
} as const satisfies Record<StudioMethod, boolean>;

export type WritingMethod = { [M in StudioMethod]: (typeof changesDatabase)[M] extends true ? M : never }[StudioMethod];

export const writingMethods = (Object.keys(changesDatabase) as StudioMethod[]).filter((m): m is WritingMethod => changesDatabase[m]);
