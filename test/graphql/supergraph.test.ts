import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../src/providers.js';
import { startOrdersSubgraph, type OrderRecord } from '../../examples/orders/server.js';
import { composeSupergraph } from '../../src/graphql/supergraph.js';
import { exampleOrders, STEP_NAMES } from '../support/orders.js';
import { executionRequests, startHarness, type Harness } from '../harness.js';

const SECRET = 'router-to-subgraph-secret';
const KEYS = providers.map(({ datasource }) => datasource.key);

interface RouterContext {
  linkedAccountId: string;
}

const QUERY = `{
  orders {
    id
    execution {
      __typename id state
      ... on CloudShellExecution { stopLink { href method } }
      ... on PaymentWorkflowExecution { events { eventType } }
      ... on DurableWorkflowExecution { parentExecution { id } }
      ... on RefoldExecution { linkedAccountId }
    }
  }
}`;

let h: Harness;
let orders: { url: string; stop(): Promise<void> };
let gateway: ApolloServer<RouterContext>;
let records: OrderRecord[];
const traces: unknown[] = [];

beforeAll(async () => {
  h = await startHarness({ ROUTER_SECRET: SECRET });
  records = exampleOrders(h);
  orders = await startOrdersSubgraph(records);

  const composition = composeSupergraph({
    registry: providers,
    executions: `${h.app.url}/graphql`,
    orders: orders.url,
  });
  if (!composition.ok) throw new Error(composition.errors.join('\n'));
  gateway = new ApolloServer<RouterContext>({
    gateway: new ApolloGateway({
      supergraphSdl: composition.supergraphSdl,
      buildService: ({ url }) =>
        new RemoteGraphQLDataSource<RouterContext>({
          url,
          // What a router's configuration does: the shared secret, the signed-in customer's
          // Refold account as a header, and asking for federated traces.
          willSendRequest({ request, context }) {
            request.http?.headers.set('router-authorization', SECRET);
            request.http?.headers.set('x-refold-linked-account-id', context.linkedAccountId);
            request.http?.headers.set('apollo-federation-include-trace', 'ftv1');
          },
          didReceiveResponse({ response }) {
            traces.push(response.extensions?.ftv1);
            return response;
          },
        }),
    }),
  });
  await gateway.start();
}, 30_000);

afterAll(async () => {
  await gateway?.stop();
  await orders?.stop();
  await h?.close();
});
beforeEach(() => {
  h.reset();
  traces.length = 0;
});

const PAGE = `query Page($first: Int, $after: String) {
  ordersConnection(first: $first, after: $after) {
    totalCount
    edges {
      cursor
      node { id total steps { name done } execution { __typename id } }
    }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}`;

interface OrderPage {
  totalCount: number;
  edges: Array<{
    cursor: string;
    node: {
      id: string;
      total: number;
      steps: Array<{ name: string; done: boolean }>;
      execution: { __typename: string; id: string } | null;
    };
  }>;
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

async function run<T = { orders: Array<{ id: string; execution: Record<string, any> | null }> }>(
  query = QUERY,
  variables?: Record<string, unknown>,
) {
  const response = await gateway.executeOperation(
    { query, variables },
    { contextValue: { linkedAccountId: 'demo-customer' } },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as {
    data?: T | null;
    errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
  };
}

/** The supergraph SDL of the executions subgraph and the example orders subgraph, parsed. */
function composedSupergraph(): DocumentNode {
  const composition = composeSupergraph({ registry: providers });
  if (!composition.ok) throw new Error(composition.errors.join('\n'));
  return parse(composition.supergraphSdl);
}

/** The `@join__type` graphs of every object type of `supergraph`, by type name. */
function joinedGraphs(supergraph: DocumentNode): Map<string, string[]> {
  const graphs = new Map<string, string[]>();
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const joins = (definition.directives ?? []).filter((d) => d.name.value === 'join__type');
    graphs.set(definition.name.value, joins.map(graphOf).sort());
  }
  return graphs;
}

function graphOf(directive: ConstDirectiveNode): string {
  const graph = directive.arguments?.find((argument) => argument.name.value === 'graph')?.value;
  if (graph?.kind !== Kind.ENUM) throw new Error('@join__type without a graph');
  return graph.value;
}

describe('through a federation gateway', () => {
  it('composes with no errors and no hints', () => {
    const composition = composeSupergraph({ registry: providers });
    expect(composition).toMatchObject({ ok: true, hints: [] });
  });

  it('resolves executions of all five providers from the orders subgraph, with provider fields', async () => {
    const result = await run();
    const executions = result.data?.orders.map((order) => order.execution);
    expect(executions?.map((e) => e?.__typename ?? null)).toEqual([
      'CloudShellExecution',
      'CloudShellExecution',
      'DurableWorkflowExecution',
      'DurableWorkflowExecution',
      'RefoldExecution',
      'PaymentWorkflowExecution',
      'ServerlessWorkflowExecution',
      null,
    ]);
    expect(executions?.[0]).toMatchObject({ state: 'PENDING', stopLink: { method: 'DELETE' } });
    expect(executions?.[2]).toMatchObject({ parentExecution: { id: 'durable:wf_root_1' } });
    expect(executions?.[4]).toMatchObject({ linkedAccountId: 'demo-customer' });
    expect(executions?.[5]?.events.map((e: { eventType: string }) => e.eventType)).toContain(
      'payment.confirmed',
    );
  });

  it('keeps partial data when one execution is unknown', async () => {
    const result = await run();
    expect(result.data?.orders).toHaveLength(records.length);
    expect(result.data?.orders[7]).toEqual({ id: 'o8', execution: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      path: ['orders', 7, 'execution'],
      extensions: { code: 'NOT_FOUND', provider: 'PAYMENT_WORKFLOW' },
    });
  });

  it('makes one upstream request per distinct execution id', async () => {
    await run();
    const distinct = new Set(records.map((r) => r.executionId));
    for (const key of KEYS) {
      const fetched = executionRequests(h.sims, key).map((r) => `${key}:${r.id}`);
      expect(fetched.sort()).toEqual(
        [...distinct].filter((id) => id?.startsWith(`${key}:`)).sort(),
      );
    }
  });

  it('returns a federated trace (ftv1) when the gateway asks for one', async () => {
    await run();
    expect(traces).toHaveLength(2);
    for (const trace of traces)
      expect(trace).toEqual(expect.stringMatching(/^[A-Za-z0-9+/=]{20,}$/));
  });
});

describe('composition next to a subgraph with its own paging types', () => {
  it("keeps the orders subgraph's PageInfo, Edge and Step apart from the Execution-prefixed types", () => {
    const graphs = joinedGraphs(composedSupergraph());
    expect(Object.fromEntries(graphs)).toMatchObject({
      PageInfo: ['ORDERS'],
      Edge: ['ORDERS'],
      Step: ['ORDERS'],
      OrderConnection: ['ORDERS'],
      ExecutionPageInfo: ['EXECUTIONS'],
      ExecutionEdge: ['EXECUTIONS'],
      ExecutionConnection: ['EXECUTIONS'],
      ExecutionSearchProvider: ['EXECUTIONS'],
    });
  });

  it('keeps @listSize on searchExecutions, with the cost spec linked', () => {
    const supergraph = composedSupergraph();
    const query = supergraph.definitions.find(
      (definition) =>
        definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === 'Query',
    );
    if (query?.kind !== Kind.OBJECT_TYPE_DEFINITION) throw new Error('no Query type');
    const search = query.fields?.find((field) => field.name.value === 'searchExecutions');
    const listSize = search?.directives?.find((d) => d.name.value === 'listSize');
    expect(
      Object.fromEntries(
        (listSize?.arguments ?? []).map(({ name, value }) => [
          name.value,
          value.kind === Kind.LIST
            ? value.values.map((item) => (item.kind === Kind.STRING ? item.value : null))
            : null,
        ]),
      ),
    ).toEqual({ slicingArguments: ['first'], sizedFields: ['edges', 'nodes'] });
    const links = supergraph.definitions.flatMap((definition) =>
      definition.kind === Kind.SCHEMA_DEFINITION
        ? (definition.directives ?? []).filter((d) => d.name.value === 'link')
        : [],
    );
    const urls = links.map((link) => {
      const url = link.arguments?.find((argument) => argument.name.value === 'url')?.value;
      return url?.kind === Kind.STRING ? url.value : null;
    });
    expect(urls).toContain('https://specs.apollo.dev/cost/v0.1');
  });
});

describe("the orders subgraph's own connection through the gateway", () => {
  it('pages through every order, with its steps and execution, by endCursor', async () => {
    const pages: OrderPage[] = [];
    const errors: unknown[] = [];
    let after: string | null = null;
    do {
      const result = await run<{ ordersConnection: OrderPage }>(PAGE, { first: 3, after });
      errors.push(...(result.errors ?? []));
      const page: OrderPage = result.data!.ordersConnection;
      pages.push(page);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after !== null && pages.length < 10);

    expect(pages.map((page) => page.edges.length)).toEqual([3, 3, 2]);
    // Only the order whose execution no provider has, the last page's second.
    expect(errors).toEqual([
      expect.objectContaining({
        path: ['ordersConnection', 'edges', 1, 'node', 'execution'],
        extensions: expect.objectContaining({ code: 'NOT_FOUND' }),
      }),
    ]);
    expect(pages.map((page) => page.pageInfo.hasPreviousPage)).toEqual([false, true, true]);
    const edges = pages.flatMap((page) => page.edges);
    expect(edges.map((edge) => edge.node.id)).toEqual(records.map((record) => record.id));
    expect(new Set(edges.map((edge) => edge.cursor)).size).toBe(records.length);
    for (const page of pages) {
      expect(page.totalCount).toBe(records.length);
      expect(page.pageInfo.startCursor).toBe(page.edges[0]!.cursor);
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)!.cursor);
    }
    expect(edges[1]!.node).toEqual({
      id: 'o2',
      total: 20,
      steps: STEP_NAMES.map((name, i) => ({ name, done: i < 1 })),
      execution: { __typename: 'CloudShellExecution', id: records[1]!.executionId },
    });
    expect(edges[2]!.node.execution).toEqual({
      __typename: 'DurableWorkflowExecution',
      id: 'durable:wf_child_1a',
    });
  });

  it('answers an empty last page and refuses a cursor of no order with BAD_USER_INPUT', async () => {
    const all = await run<{ ordersConnection: OrderPage }>(PAGE, { first: 100 });
    const last = all.data!.ordersConnection.pageInfo.endCursor;
    const empty = await run<{ ordersConnection: OrderPage }>(PAGE, { first: 5, after: last });
    expect(empty.data?.ordersConnection).toMatchObject({
      edges: [],
      pageInfo: { hasNextPage: false, startCursor: null, endCursor: null },
    });

    const foreign = await run(PAGE, { first: 5, after: 'not-a-cursor' });
    expect(foreign.data).toBeNull();
    expect(foreign.errors).toHaveLength(1);
    expect(foreign.errors?.[0]).toMatchObject({
      path: ['ordersConnection'],
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(foreign.errors?.[0]?.message).toContain('not-a-cursor');
  });
});
