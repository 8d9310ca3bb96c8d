// Short run ids: any unique prefix of a run id (the 8 characters the window shows) stands for it, resolved through
// the contract's reads. A prefix that starts several ids lists them, so the person can give more of it.
import { StudioError } from '../shared/errors';
import type { Call } from './command';

export async function resolveRunId(call: Call, given: string): Promise<string> {
  try {
    return (await call('getRun', given)).id;
  } catch (err) {
    if (!(err instanceof StudioError && err.code === 'E_NO_RUN')) throw err;
  }
  const matches = new Set<string>();
  for (let after: string | undefined; ; ) {
    const page = await call('listRunPage', { filter: { query: given }, limit: 5_000, ...(after ? { after } : {}) });
    for (const run of page.runs) if (run.id.startsWith(given)) matches.add(run.id);
    if (!page.next) break;
    after = page.next;
  }
  const [only, ...more] = [...matches].sort();
  if (!only) throw new StudioError('E_NO_RUN', `no run with id "${given}"`);
  if (more.length === 0) return only;
  throw new StudioError('E_AMBIGUOUS_ID', `"${given}" starts ${matches.size} run ids: ${[only, ...more].join(', ')}; give more of the id`);
}
