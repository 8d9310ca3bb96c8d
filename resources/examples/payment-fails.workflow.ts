// An order whose payment step fails: the run ends failed, and the timeline shows where and why.
import { defineWorkflow } from 'snapshot-studio/sdk';

export default defineWorkflow<Record<string, never>, { amount?: number }>({
  id: 'payment-fails',
  name: 'Payment fails',
  description: 'The card is declined: a step throws and the run fails.',
  steps: {
    quote: {
      run: ({ input, state }) => {
        state.amount = input?.amount ?? 120;
        return { amount: state.amount, currency: 'EUR' };
      },
    },
    charge: {
      needs: ['quote'],
      effect: true,
      run: ({ results, log }) => {
        log('charging card', { amount: results.quote.amount });
        throw new Error(`card declined for ${results.quote.amount} ${results.quote.currency}`);
      },
    },
    receipt: {
      needs: ['charge'],
      run: () => ({ sent: true }),
    },
  },
});
