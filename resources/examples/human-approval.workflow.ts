// A refund that needs a person's approval. The run waits (status "waiting") at the approve step until
//   snapshot-studio resume <runId> --signal approval --payload '{"ok":true,"by":"ada"}'
// then approve runs again from its start and waitFor returns the payload. A durable sleep gives the
// customer a cooling-off period that survives a restart.
import { defineWorkflow } from 'snapshot-studio/sdk';
import { z } from 'zod';

export default defineWorkflow<Record<string, never>, { amount?: number }>({
  id: 'human-approval',
  name: 'Refund with approval',
  steps: {
    assess: { run: ({ input, state }) => ((state.amount = input?.amount ?? 250), { amount: state.amount, risk: 'medium' }) },
    approve: {
      needs: ['assess'],
      run: async ({ waitFor, log, results }) => {
        log('waiting for a person to approve', { amount: results.assess.amount });
        // The schema shows the window the payload's shape, checks it as it is typed, and parses it here.
        return waitFor('approval', z.object({ ok: z.boolean(), by: z.string() }));
      },
    },
    coolingOff: { needs: ['assess'], run: async ({ sleep }) => (await sleep(1000), { waitedMs: 1000 }) },
    refund: {
      needs: ['assess', 'approve', 'coolingOff'],
      when: ({ results }) => results.approve.ok === true,
      effect: true,
      run: ({ results }) => ({ refunded: results.assess.amount, approvedBy: results.approve.by }),
    },
  },
});
