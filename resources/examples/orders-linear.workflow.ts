// A linear order pipeline: four steps, each building on the last, with nested outputs and shared state.
import { defineWorkflow } from 'snapshot-studio/sdk';
import { z } from 'zod';

const config = z.object({
  currency: z.string().default('EUR'),
  taxRate: z.number().min(0).max(1).default(0.2),
  warehouse: z.object({ id: z.string(), region: z.string() }).default({ id: 'wh-1', region: 'eu-west' }),
});

type Item = { id: string; name: string; price: number; qty: number };

export default defineWorkflow<z.infer<typeof config>, { customer?: string; items?: Item[] }>({
  id: 'orders-linear',
  name: 'Orders (linear)',
  description: 'Validate an order, price it, reserve stock and ship it.',
  config,
  steps: {
    validate: {
      run: ({ input, state, log }) => {
        const items: Item[] = input?.items ?? [
          { id: 'sku-1', name: 'Keyboard', price: 49.5, qty: 1 },
          { id: 'sku-2', name: 'Mouse', price: 19.9, qty: 2 },
        ];
        state.order = { customer: input?.customer ?? 'ada@example.com', items };
        log('order validated', { items: items.length });
        return { valid: true, customer: { email: input?.customer ?? 'ada@example.com' }, items };
      },
    },
    price: {
      needs: ['validate'],
      run: ({ results, config, state }) => {
        const items = results.validate.items as Item[];
        const subtotal = Math.round(items.reduce((sum, i) => sum + i.price * i.qty, 0) * 100) / 100;
        const tax = Math.round(subtotal * config.taxRate * 100) / 100;
        state.totals = { subtotal, tax, total: subtotal + tax };
        return { currency: config.currency, lines: items.map((i) => ({ id: i.id, amount: i.price * i.qty })), totals: state.totals };
      },
    },
    reserve: {
      needs: ['price'],
      run: ({ results, config }) => ({
        warehouse: config.warehouse,
        reservations: (results.price.lines as { id: string }[]).map((l, n) => ({ id: l.id, bin: `A-${n + 1}` })),
      }),
    },
    ship: {
      needs: ['reserve'],
      effect: true,
      run: ({ results, state }) => {
        state.shipped = true;
        return { carrier: 'DHL', tracking: { number: 'JD0142', parcels: results.reserve.reservations.length } };
      },
    },
  },
});
