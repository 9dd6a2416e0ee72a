import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { GraphQLError, parse } from 'graphql';

/** One fulfilment step of an order. */
export interface StepRecord {
  name: string;
  done: boolean;
}

/** An order as the example shop stores it: the execution by global id only. */
export interface OrderRecord {
  id: string;
  total: number;
  executionId: string | null;
  /** Default none: the order's fulfilment steps, in the order they happen. */
  steps?: readonly StepRecord[];
}

/** The largest `first` of `ordersConnection`. */
const MAX_FIRST = 100;

const ORDERS_SDL = readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8');

const cursorOf = (order: OrderRecord) => Buffer.from(`order:${order.id}`).toString('base64url');

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

/** A page of `orders` in Relay's connection shape, after the order whose cursor is `after`. */
function page(
  orders: readonly OrderRecord[],
  { first, after }: { first: number; after?: string | null },
) {
  if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST) {
    throw badInput(`"first" must be 0 to ${MAX_FIRST}, not ${first}.`);
  }
  let start = 0;
  if (after != null) {
    const index = orders.findIndex((order) => cursorOf(order) === after);
    if (index < 0) {
      throw badInput(
        `"after" is not a cursor of this list: "${after}". Pass the endCursor of the page before.`,
      );
    }
    start = index + 1;
  }
  const edges = orders
    .slice(start, start + first)
    .map((order) => ({ cursor: cursorOf(order), node: order }));
  return {
    edges,
    totalCount: orders.length,
    pageInfo: {
      hasNextPage: start + edges.length < orders.length,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/**
 * The example "orders" subgraph: it exists to show and test how another subgraph refers to
 * executions, and that it composes with the executions subgraph while having its own `PageInfo`,
 * `Edge` and `Step`. `Order.execution` returns `{ id }` of the `@interfaceObject` Execution; the
 * router asks the executions subgraph for the rest.
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
          ordersConnection: (_: unknown, args: { first: number; after?: string | null }) =>
            page(orders, args),
          order: (_: unknown, { id }: { id: string }) => byId.get(id) ?? null,
        },
        Order: {
          __resolveReference: ({ id }: { id: string }) => byId.get(id) ?? null,
          execution: (order: OrderRecord) => (order.executionId ? { id: order.executionId } : null),
          steps: (order: OrderRecord) => order.steps ?? [],
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
