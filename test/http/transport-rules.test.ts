import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LINKED_ACCOUNT_HEADER } from '../../src/datasources/refold.js';
import { demoHeaders } from '../../src/demo.js';
import { startHarness, type GraphQLErrorShape, type Harness } from '../harness.js';
import { isCloseEvent, socketWithHeaders } from '../support/websocket.js';

// Each rule of docs/transports.md, shown on every way in: HTTP down both routes (a plain POST,
// which the fast route answers when it can; a GET and a POST asking for
// application/graphql-response+json, which Apollo Server's route answers), GraphQL over
// WebSocket (headers in `connection_init` or on the upgrade request), and Apollo's callback
// protocol (a subscription POST with extensions.subscription). One `describe` per rule, one `it`
// per transport.

const DEMO_HEADERS = await demoHeaders();
const SECRET = 'router-secret-value';
const FAST_COUNTER = 'graphql_fast_path_requests_total';

/** What a transport is asked: a query, and the subscription form the subscription transports take. */
interface Operation {
  query: string;
  /** Taken over WebSocket and the callback protocol when given; else they send `query`. */
  subscription?: string;
  variables?: Record<string, unknown>;
  /** Request headers: over WebSocket in `connection_init` or on the upgrade request. */
  headers?: Record<string, string>;
}

/** An answer, whichever way it came back. */
interface Answer {
  /** HTTP: the response status (the callback protocol: the subscription POST's). */
  status?: number;
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorShape[];
  /** WebSocket: the close code, when the server closed the socket instead of answering. */
  closed?: number;
  /** HTTP: the route that answered, by the fast route's counter. */
  route?: 'fast' | 'apollo';
  /** The callback protocol: the actions the router's callback URL received, in order. */
  callbacks?: string[];
}

interface Transport {
  name: string;
  kind: 'http' | 'websocket' | 'callback';
  /** HTTP: the route that answers an operation it runs. */
  route?: 'fast' | 'apollo';
  ask(h: Harness, operation: Operation): Promise<Answer>;
}

let router: Router;
let subscriptions = 0;

const TRANSPORTS: Transport[] = [
  {
    name: 'HTTP POST (the fast route)',
    kind: 'http',
    route: 'fast',
    ask: (h, { query, variables, headers }) =>
      overHttp(h, 'POST', { query, variables }, { 'content-type': 'application/json', ...headers }),
  },
  {
    name: "HTTP GET (Apollo Server's route)",
    kind: 'http',
    route: 'apollo',
    ask: (h, { query, variables, headers }) =>
      overHttp(h, 'GET', { query, variables }, { 'apollo-require-preflight': 'true', ...headers }),
  },
  {
    name: "HTTP POST accepting application/graphql-response+json (Apollo Server's route)",
    kind: 'http',
    route: 'apollo',
    ask: (h, { query, variables, headers }) =>
      overHttp(
        h,
        'POST',
        { query, variables },
        {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json',
          ...headers,
        },
      ),
  },
  {
    name: 'WebSocket (headers in connection_init)',
    kind: 'websocket',
    ask: (h, { query, subscription, variables, headers }) =>
      overWebSocket(h, { query: subscription ?? query, variables }, { params: headers }),
  },
  {
    name: 'WebSocket (headers on the upgrade request)',
    kind: 'websocket',
    ask: (h, { query, subscription, variables, headers }) =>
      overWebSocket(h, { query: subscription ?? query, variables }, { upgrade: headers }),
  },
  {
    name: 'the callback protocol',
    kind: 'callback',
    ask: (h, { query, subscription, variables, headers }) =>
      overCallback(h, { query: subscription ?? query, variables }, headers),
  },
];

async function overHttp(
  h: Harness,
  method: 'GET' | 'POST',
  { query, variables }: { query: string; variables?: Record<string, unknown> },
  headers: Record<string, string>,
): Promise<Answer> {
  const before = await fastCount(h);
  let url = `${h.app.url}/graphql`;
  let body: string | undefined;
  if (method === 'GET') {
    const search = new URLSearchParams({ query });
    if (variables) search.set('variables', JSON.stringify(variables));
    url += `?${search}`;
  } else {
    body = JSON.stringify({ query, variables });
  }
  const response = await fetch(url, { method, headers, body });
  const answer = (await response.json()) as Answer;
  const route = (await fastCount(h)) > before ? 'fast' : 'apollo';
  return { status: response.status, data: answer.data, errors: answer.errors, route };
}

async function fastCount(h: Harness): Promise<number> {
  const text = await (await fetch(`${h.app.url}/metrics`)).text();
  const line = text.split('\n').find((each) => each.startsWith(`${FAST_COUNTER} `));
  return Number(line?.split(' ')[1] ?? 0);
}

/**
 * One operation on a connection of its own: its first `next` (a query's only one, a watch's
 * first event), or the `error` message's errors, or the close code of a socket the server
 * closed. A watch is left after its first event.
 */
function overWebSocket(
  h: Harness,
  payload: { query: string; variables?: Record<string, unknown> },
  { params, upgrade }: { params?: Record<string, string>; upgrade?: Record<string, string> },
): Promise<Answer> {
  const client = createClient({
    url: `${h.app.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: upgrade ? socketWithHeaders(upgrade) : WebSocket,
    connectionParams: params,
    retryAttempts: 0,
  });
  return new Promise<Answer>((resolve) => {
    const stop = client.subscribe(payload, {
      next: ({ data, errors }) => {
        stop();
        resolve({
          data: data as Answer['data'],
          errors: errors as GraphQLErrorShape[] | undefined,
        });
      },
      error: (error) => {
        if (Array.isArray(error)) resolve({ errors: error as GraphQLErrorShape[] });
        else if (isCloseEvent(error)) resolve({ closed: error.code });
        else resolve({ errors: [{ message: `transport error: ${String(error)}` }] });
      },
      complete: () => resolve({}),
    });
  }).finally(() => client.dispose());
}

/**
 * The router's subscription POST: its answer when refused; else, once the router has the
 * subscription's `complete` (the operations here watch finished executions), the payload of its
 * first `next`.
 */
async function overCallback(
  h: Harness,
  { query, variables }: { query: string; variables?: Record<string, unknown> },
  headers: Record<string, string> = {},
): Promise<Answer> {
  const id = `subscription-${++subscriptions}`;
  const response = await fetch(`${h.app.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json;callbackSpec=1.0',
      ...headers,
    },
    body: JSON.stringify({
      query,
      variables,
      extensions: {
        subscription: {
          callbackUrl: `${router.url}/callback/${id}`,
          subscriptionId: id,
          verifier: `verifier-${id}`,
          heartbeatIntervalMs: 0,
        },
      },
    }),
  });
  const answer = (await response.json()) as Answer;
  const callbacks = () => router.messages.filter((message) => message.id === id);
  if (response.status === 200 && answer.data === null && !answer.errors) {
    await expect.poll(() => callbacks().some(({ action }) => action === 'complete')).toBe(true);
  }
  const next = callbacks().find(({ action }) => action === 'next');
  return {
    status: response.status,
    data: next ? next.payload?.data : answer.data,
    errors: next ? next.payload?.errors : answer.errors,
    callbacks: callbacks().map(({ action }) => action),
  };
}

interface Router {
  url: string;
  messages: Array<{
    id: string;
    action: string;
    payload?: { data?: Record<string, unknown> | null; errors?: GraphQLErrorShape[] };
  }>;
  close(): Promise<void>;
}

/** A router's callback endpoint: `POST /callback/{id}`, 204 to every message. */
async function startRouter(): Promise<Router> {
  const messages: Router['messages'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Router['messages'][0];
      messages.push({ ...body, id: (req.url ?? '').replace('/callback/', '') });
      res.writeHead(204, { 'subscription-protocol': 'callback/1.0' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

beforeAll(async () => {
  router = await startRouter();
});
afterAll(() => router.close());

/** A harness with `env` for the `describe` it is called in, reset before each test. */
function harness(env: Record<string, string>): () => Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    // The callback protocol posts only under CALLBACK_URL_PREFIXES (or with ROUTER_SECRET).
    h = await startHarness({ CALLBACK_URL_PREFIXES: `${router.url}/callback/`, ...env });
  });
  afterAll(() => h?.close());
  beforeEach(() => {
    h!.reset();
    router.messages.length = 0;
  });
  return () => h!;
}

/** Execution requests every simulator received. */
function upstreamRequests(h: Harness): number {
  return Object.values(h.sims).reduce((sum, sim) => sum + sim.requests.length, 0);
}

/** The record step's log lines. */
function records(h: Harness) {
  return h.logs.filter((line) => line.msg === 'graphql request');
}

/**
 * A refusal before anything runs: one error with these `extensions` and a message matching
 * `message`, no data; HTTP status 400 (the callback POST's too), a WebSocket `error` message; no
 * upstream call, nothing sent to a callback URL, and the operation's one record with the code.
 * Over HTTP Apollo Server's route reports it: the fast route leaves every refusal to it.
 */
async function expectRefused(
  h: Harness,
  transport: Transport,
  answer: Answer,
  extensions: { code: string; [key: string]: unknown },
  message: RegExp,
) {
  expect(answer.errors).toEqual([
    expect.objectContaining({ message: expect.stringMatching(message), extensions }),
  ]);
  expect(answer.data).toBeUndefined();
  expect(answer.status).toBe(transport.kind === 'websocket' ? undefined : 400);
  if (transport.kind === 'http') expect(answer.route, 'route').toBe('apollo');
  expect(answer.callbacks ?? []).toEqual([]);
  expect(upstreamRequests(h)).toBe(0);
  await expect
    .poll(() => records(h))
    .toEqual([expect.objectContaining({ upstreamCalls: 0, errorCodes: [extensions.code] })]);
}

/** The one root field of an answer's data, whatever its name (`execution`, `executionUpdated`). */
function root(answer: Answer): unknown {
  const values = Object.values(answer.data ?? {});
  expect(values).toHaveLength(1);
  return values[0];
}

/** What an operation that ran answered, on `transport`: its errors, its root field. */
function expectAnswered(transport: Transport, answer: Answer, value: unknown) {
  expect(answer.errors).toBeUndefined();
  expect(root(answer)).toEqual(value);
  if (transport.kind === 'http') {
    expect(answer.status).toBe(200);
    expect(answer.route, 'route').toBe(transport.route);
  }
  if (transport.kind === 'callback') {
    expect(answer.status).toBe(200);
    expect(answer.callbacks).toEqual(['check', 'next', 'complete']);
  }
}

const WATCH = {
  query: 'query ($id: ID!) { execution(id: $id) { id state } }',
  subscription: 'subscription ($id: ID!) { executionUpdated(id: $id) { id state } }',
};

describe('introspection off (INTROSPECTION=false)', () => {
  const h = harness({ INTROSPECTION: 'false' });
  // Introspection fields are only on Query: over the callback protocol the query is sent with
  // extensions.subscription, and refused before the callback step looks at it.
  it.each(TRANSPORTS)('is refused, naming INTROSPECTION: $name', async (transport) => {
    const answer = await transport.ask(h(), { query: '{ __schema { queryType { name } } }' });
    await expectRefused(
      h(),
      transport,
      answer,
      { code: 'GRAPHQL_VALIDATION_FAILED' },
      /^Introspection is off on this server \(INTROSPECTION=false\): "__schema" cannot be queried\.$/,
    );
  });
});

/** A shape limit: its variable set low, and an operation just over it. */
const SHAPE_LIMITS: Array<{
  variable: string;
  value: string;
  operation: Operation;
  message: RegExp;
}> = [
  {
    variable: 'MAX_DEPTH',
    value: '2',
    operation: {
      query: '{ execution(id: "durable:wf_root_1") { error { message } } }',
      subscription:
        'subscription { executionUpdated(id: "durable:wf_root_1") { error { message } } }',
    },
    message: /^The query nests 3 levels deep; at most 2 are allowed \(MAX_DEPTH\)\.$/,
  },
  {
    variable: 'MAX_ALIASES',
    value: '1',
    operation: {
      query: '{ execution(id: "durable:wf_root_1") { a: id b: state } }',
      subscription: 'subscription { executionUpdated(id: "durable:wf_root_1") { a: id b: state } }',
    },
    message: /^The query has 2 aliases; at most 1 are allowed \(MAX_ALIASES\)\.$/,
  },
  {
    variable: 'MAX_TOKENS',
    value: '12',
    operation: {
      query: '{ execution(id: "durable:wf_root_1") { id state providerStatus startedAt } }',
      subscription:
        'subscription { executionUpdated(id: "durable:wf_root_1") { id state providerStatus } }',
    },
    message: /^The query has more than 12 tokens, the most allowed \(MAX_TOKENS\): shorten it\.$/,
  },
  {
    variable: 'MAX_COST',
    value: '5',
    operation: {
      query: '{ execution(id: "durable:wf_root_1") { id state providerStatus startedAt endedAt } }',
      subscription:
        'subscription { executionUpdated(id: "durable:wf_root_1") { id state providerStatus startedAt endedAt } }',
    },
    message: /^The query costs \d+; at most 5 is allowed \(MAX_COST\)\.$/,
  },
];

describe.each(SHAPE_LIMITS)(
  'the shape limit $variable',
  ({ variable, value, operation, message }) => {
    const h = harness({ [variable]: value });
    it.each(TRANSPORTS)(
      `refuses an operation over it, naming ${variable}: $name`,
      async (transport) => {
        const answer = await transport.ask(h(), operation);
        await expectRefused(h(), transport, answer, { code: 'GRAPHQL_VALIDATION_FAILED' }, message);
      },
    );
  },
);

describe('the id limit (MAX_IDS_PER_REQUEST)', () => {
  const h = harness({ MAX_IDS_PER_REQUEST: '2' });
  it.each(TRANSPORTS)('refuses 3 ids before any upstream call: $name', async (transport) => {
    const ids = h()
      .sims.durable!.seeded.slice(0, 3)
      .map(({ id }) => `durable:${id}`);
    const answer = await transport.ask(h(), {
      query: 'query ($ids: [ID!]!) { executions(ids: $ids) { id } }',
      subscription: 'subscription ($ids: [ID!]!) { executionsUpdated(ids: $ids) { id } }',
      variables: { ids },
    });
    await expectRefused(
      h(),
      transport,
      answer,
      { code: 'BAD_USER_INPUT', limit: 2 },
      /^This request asks for 3 executions; at most 2 are allowed per request \(MAX_IDS_PER_REQUEST\)\./,
    );
  });
});

describe('the router secret (ROUTER_SECRET)', () => {
  const h = harness({ ROUTER_SECRET: SECRET });
  it.each(TRANSPORTS)(
    'refuses a missing or wrong router-authorization before any work, and takes the right one: $name',
    async (transport) => {
      const id = 'durable:wf_report_9';
      const refused: Array<Record<string, string>> = [{}, { 'router-authorization': 'wrong' }];
      for (const headers of refused) {
        const answer = await transport.ask(h(), { ...WATCH, variables: { id }, headers });
        if (transport.kind === 'websocket') {
          expect(answer).toEqual({ closed: 4403 });
        } else {
          expect(answer.status).toBe(401);
          expect(answer.errors).toEqual([
            {
              message: 'Missing or wrong router-authorization header.',
              extensions: { code: 'UNAUTHENTICATED' },
            },
          ]);
        }
        expect(answer.callbacks ?? []).toEqual([]);
      }
      expect(upstreamRequests(h())).toBe(0);
      expect(records(h())).toEqual([]);

      const headers = { 'router-authorization': SECRET };
      const answer = await transport.ask(h(), { ...WATCH, variables: { id }, headers });
      expectAnswered(transport, answer, { id, state: 'SUCCEEDED' });
      expect(h().sims.durable!.requests.map((request) => request.id)).toEqual(['wf_report_9']);
    },
  );
});

describe(`the Refold header (${LINKED_ACCOUNT_HEADER})`, () => {
  const h = harness({});
  it.each(TRANSPORTS)(
    'is BAD_USER_INPUT naming the header when missing, and answered with it: $name',
    async (transport) => {
      const id = 'refold:674d2a10c1f3b2a9e0a10006';
      const without = await transport.ask(h(), { ...WATCH, variables: { id }, headers: {} });
      const field = transport.kind === 'http' ? 'execution' : 'executionUpdated';
      expect(without.errors).toEqual([
        expect.objectContaining({
          message: expect.stringContaining(LINKED_ACCOUNT_HEADER),
          path: [field],
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      ]);
      // The field is nullable on a query; a subscription's event is null as a whole.
      expect(without.data).toEqual(transport.kind === 'http' ? { execution: null } : null);
      if (transport.kind === 'http') expect(without.route, 'route').toBe(transport.route);
      expect(h().sims.refold!.requests).toHaveLength(0);

      const answer = await transport.ask(h(), {
        ...WATCH,
        variables: { id },
        headers: DEMO_HEADERS,
      });
      expectAnswered(transport, answer, { id, state: 'SUCCEEDED' });
      const asked = h().sims.refold!.requests.filter((request) => request.id !== null);
      expect(asked.map((request) => request.id)).toEqual(['674d2a10c1f3b2a9e0a10006']);
      expect(asked[0]!.headers).toMatchObject({
        linked_account_id: DEMO_HEADERS[LINKED_ACCOUNT_HEADER],
      });
    },
  );
});
