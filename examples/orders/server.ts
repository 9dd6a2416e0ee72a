import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

/** An order as the example shop stores it: the execution by global id only. */
export interface OrderRecord {
  id: string;
  total: number;
  executionId: string | null;
}

const ORDERS_SDL = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

/**
 * The example "orders" subgraph: it exists to show and test how another subgraph refers to
 * executions. `Order.execution` returns `{ id }` of the `@interfaceObject` Execution; the router
 * asks the executions subgraph for the rest.
 */
export async function startOrdersSubgraph(
  orders: readonly OrderRecord[],
  port = 0,
): Promise<{ url: string; stop(): Promise<void> }> {
  const byId = new Map(orders.map((order) => [order.id, order]));
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(ORDERS_SDL),
      resolvers: {
        Query: {
          orders: () => orders,
          order: (_: unknown, { id }: { id: string }) => byId.get(id) ?? null,
        },
        Order: {
          __resolveReference: ({ id }: { id: string }) => byId.get(id) ?? null,
          execution: (order: OrderRecord) => (order.executionId ? { id: order.executionId } : null),
        },
        Execution: {
          __resolveReference: (reference: { id: string }) => reference,
        },
      },
    },
  ]);
  const server = new ApolloServer({ schema });
  const { url } = await startStandaloneServer(server, { listen: { port, host: '127.0.0.1' } });
  return {
    url: new URL('/graphql', url).href,
    stop: () => server.stop(),
  };
}
