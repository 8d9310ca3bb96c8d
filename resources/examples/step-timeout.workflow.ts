// A step stuck in a busy loop: at 500 ms its worker thread is ended and the step fails with TimeoutError.
// The app stays responsive meanwhile, because step code never runs on the thread that serves it.
import { defineWorkflow } from 'snapshot-studio/sdk';

export default defineWorkflow({
  id: 'step-timeout',
  name: 'Step times out',
  steps: {
    prepare: { run: () => ({ rows: 1_000_000 }) },
    crunch: {
      needs: ['prepare'],
      timeoutMs: 500,
      run: () => {
        for (;;) {
          // never returns
        }
      },
    },
  },
});
