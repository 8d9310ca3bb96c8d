// A step that never recovers: three attempts with a fixed 150 ms between them, then the run fails.
import { defineWorkflow } from 'snapshot-studio/sdk';

export default defineWorkflow({
  id: 'retries-exhausted',
  name: 'Retries exhausted',
  steps: {
    connect: {
      retry: { maxAttempts: 3, backoff: 'fixed', intervalMs: 150 },
      run: ({ attempt }) => {
        throw new Error(`ECONNREFUSED 10.0.0.7:5432 (attempt ${attempt})`);
      },
    },
    migrate: { needs: ['connect'], run: () => ({ applied: 3 }) },
  },
});
