// The workload the engine benchmarks share (engineChild.ts on SQLite, postgresChild.ts on PostgreSQL): a state of
// 200 items {id, name, price, tags, meta} (about 15 KB of JSON) and a counter, and `steps` sequential steps each
// changing one item's price; ours as a workflow of one looping step, two snapshots per iteration.

export type BenchItem = { id: string; name: string; price: number; tags: string[]; meta: { sku: string; weight: number } };

export function makeItems(): BenchItem[] {
  return Array.from({ length: 200 }, (_, i) => ({
    id: `item-${i}`,
    name: `Item number ${i}`,
    price: 10 + i,
    tags: ['catalog', i % 2 ? 'odd' : 'even'],
    meta: { sku: `SKU-${1000 + i}`, weight: i % 7 },
  }));
}

/** The step every system runs: the next item's price up by 1 %. */
export function tick(state: { items: BenchItem[]; n: number }): void {
  const item = state.items[state.n % 200];
  item.price = Math.round(item.price * 101) / 100;
  state.n++;
}

export const BENCH_WORKFLOW_ID = 'bench-prices';

/** Our side of the workload: the workflow file's source (the workspace loads and bundles it). */
export function benchWorkflowSource(steps: number): string {
  return `import { defineWorkflow } from 'snapshot-studio/sdk';
const items = ${JSON.stringify(makeItems())};
export default defineWorkflow({
  id: '${BENCH_WORKFLOW_ID}',
  stepLimit: ${steps + 10},
  steps: {
    tick: {
      loop: { while: ({ state }) => state.n < ${steps} },
      run: ({ state }) => {
        if (!state.items) { state.items = items; state.n = 0; }
        const item = state.items[state.n % 200];
        item.price = Math.round(item.price * 101) / 100;
        state.n++;
      },
    },
  },
});
`;
}

/** The value at fraction `p` (0..1) of the sorted values. */
export function percentile(values: number[], p: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}
