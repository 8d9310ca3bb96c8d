// A flaky upstream: the call fails twice, then succeeds. Exponential backoff waits 200 ms, then 400 ms;
// while it waits the run is in status "error" with its retry (step, attempts, next retry time).
import { defineWorkflow } from 'snapshot-studio/sdk';

export default defineWorkflow({
  id: 'flaky-recovers',
  name: 'Flaky step recovers',
  steps: {
    request: { run: () => ({ endpoint: '/v1/rates', timeoutMs: 500 }) },
    callUpstream: {
      needs: ['request'],
      retry: { maxAttempts: 4, backoff: 'exponential', intervalMs: 200 },
      run: ({ attempt, log }) => {
        log(`attempt ${attempt}`);
        if (attempt < 3) throw new Error(`503 Service Unavailable (attempt ${attempt})`);
        return { rates: { EUR: 1, USD: 1.08 }, attempt };
      },
    },
    store: { needs: ['callUpstream'], run: ({ results }) => ({ saved: Object.keys(results.callUpstream.rates).length }) },
  },
});
