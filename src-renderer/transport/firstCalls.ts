// The calls the window makes first, as the entry script (main.tsx) asks for them before the app's code has
// loaded: the first page of the history (no filter) and the workspace's workflows. The stores make the same calls
// when they load; a call's answer is taken only when method and arguments are exactly these (httpCall askEarly).
import type { RunPageQuery, StudioMethod } from '@shared/api';

/** Work orders a page of the Runs list holds (a few screens of rows). */
export const RUN_PAGE = 200;

/** The Runs list's first question: the newest page of the whole history. */
export const FIRST_RUN_PAGE: RunPageQuery = { filter: {}, limit: RUN_PAGE };

export const FIRST_CALLS: readonly (readonly [StudioMethod, readonly unknown[]])[] = [
  ['listRunPage', [FIRST_RUN_PAGE]],
  ['listWorkflows', []],
];
