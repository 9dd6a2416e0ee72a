import { startOrdersSubgraph, type OrderRecord } from '../orders/server.js';
import { providers } from '../../src/providers.js';

// `npx tsx examples/hive-gateway/orders.ts`: the example orders subgraph on ORDERS_PORT
// (default 4001), for a supergraph next to the demo (`npm start`). Each order refers to one of
// the demo's executions: the first two seeded of every provider, then its live one (which
// moves a step every 5 s in the demo), and one id no provider knows.
const port = Number(process.env.ORDERS_PORT ?? 4001);

const definitions = await Promise.all(providers.map(({ simulator }) => simulator()));
const executionIds = providers.flatMap(({ datasource }, i) => {
  const seeded = definitions[i]!.seed();
  const live = seeded.find((record) => record.live);
  return [...seeded.slice(0, 2), ...(live ? [live] : [])].map(
    ({ id }) => `${datasource.key}:${id}`,
  );
});
const orders: OrderRecord[] = [...executionIds, 'payment:missing'].map((executionId, index) => ({
  id: `o${index + 1}`,
  total: 10 * (index + 1),
  executionId,
}));

const subgraph = await startOrdersSubgraph(orders, port);
process.stdout.write(`Orders subgraph at ${subgraph.url} (${orders.length} orders).\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void subgraph.stop().then(() => process.exit(0)));
}
