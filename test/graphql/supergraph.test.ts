import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../src/providers.js';
import { startOrdersSubgraph, type OrderRecord } from '../../examples/orders/server.js';
import { composeSupergraph } from '../../src/graphql/supergraph.js';
import { exampleOrders } from '../support/orders.js';
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

async function run() {
  const response = await gateway.executeOperation(
    { query: QUERY },
    { contextValue: { linkedAccountId: 'demo-customer' } },
  );
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as {
    data?: { orders: Array<{ id: string; execution: Record<string, any> | null }> };
    errors?: Array<{ message: string; path?: unknown[]; extensions?: Record<string, unknown> }>;
  };
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
