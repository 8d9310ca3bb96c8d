// Fan out, fan in: three quotes fetched in parallel once the cart is loaded, then combined. Gift wrap
// runs only when the input asks for it; its card step needs only it, so both are skipped otherwise.
import { defineWorkflow } from 'snapshot-studio/sdk';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export default defineWorkflow<Record<string, never>, { gift?: boolean }>({
  id: 'parallel-fanout',
  name: 'Quotes in parallel',
  description: 'Three independent steps run at once; a conditional branch is skipped unless asked for.',
  steps: {
    cart: { run: ({ state }) => ((state.cart = { id: 'cart-7', items: [{ id: 'sku-1', qty: 2 }] }), state.cart) },
    inventory: { needs: ['cart'], run: async () => (await wait(120), { 'sku-1': { available: 14 } }) },
    pricing: { needs: ['cart'], run: async () => (await wait(80), { subtotal: 99, currency: 'EUR' }) },
    shipping: { needs: ['cart'], run: async () => (await wait(100), { options: [{ id: 'std', days: 3 }, { id: 'express', days: 1 }] }) },
    giftWrap: { needs: ['cart'], when: ({ input }) => input?.gift === true, run: () => ({ paper: 'blue' }) },
    giftCard: { needs: ['giftWrap'], run: () => ({ message: 'Happy birthday' }) },
    offer: {
      needs: ['inventory', 'pricing', 'shipping'],
      run: ({ results }) => ({ total: results.pricing.subtotal, fastest: results.shipping.options[1].id, inStock: results.inventory['sku-1'].available > 0 }),
    },
  },
});
