import type { IncomingHttpHeaders } from 'node:http';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LINKED_ACCOUNT_HEADER } from '../../src/datasources/refold.js';
import { demoHeaders } from '../../src/demo.js';
import { simulatorOf } from '../../src/simulators/index.js';
import { refoldSimulator } from '../../src/simulators/refold.js';
import {
  executionRequests,
  startHarness,
  type GraphQLErrorShape,
  type Harness,
} from '../harness.js';
import { isCloseEvent, socketWithHeaders } from '../support/websocket.js';

// The rules GraphQL over WebSocket keeps before any work (src/http/websocket.ts), one `describe`
// each: the browser's Origin, the upgrade request's headers over connection_init's, the size of
// a message, and the connections open at once.

const DEMO_HEADERS = await demoHeaders();
/** The demo's Refold customer, who owns every seeded Refold execution. */
const TENANT_A = DEMO_HEADERS[LINKED_ACCOUNT_HEADER]!;
/** Another customer, who owns none of them. */
const TENANT_B = 'tenant-b-0c41e7';
const SECRET = 'router-secret-for-websockets-91b2';
const ALLOWED_ORIGIN = 'http://localhost:5173';
const PROTOCOL = 'graphql-transport-ws';
/** A query with one upstream call: a seeded durable execution. */
const QUERY = '{ execution(id: "durable:wf_root_1") { id } }';
const QUERY_DATA = { execution: { id: 'durable:wf_root_1' } };

/** What one operation on a connection of its own came to. */
interface Answer {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorShape[];
  /** The close code, when the connection closed instead of answering. */
  closed?: number;
  /** Anything else the client reported: a refused upgrade. */
  failed?: string;
}

const wsUrl = (h: Harness) => `${h.app.url.replace('http', 'ws')}/graphql`;

/** Every request the five simulators received. */
const upstreamCalls = (h: Harness) =>
  Object.values(h.sims).reduce((sum, sim) => sum + sim.requests.length, 0);

/** One query through graphql-ws on a connection of its own: its result, or how it failed. */
function run(
  h: Harness,
  {
    query = QUERY,
    upgrade = {},
    params = DEMO_HEADERS,
  }: { query?: string; upgrade?: Record<string, string>; params?: Record<string, unknown> } = {},
): Promise<Answer> {
  const client = createClient({
    url: wsUrl(h),
    webSocketImpl: socketWithHeaders(upgrade),
    connectionParams: params,
    retryAttempts: 0,
  });
  return new Promise<Answer>((resolve) => {
    let answer: Answer = {};
    client.subscribe(
      { query },
      {
        next: ({ data, errors }) => {
          answer = {
            data: data as Answer['data'],
            errors: errors as GraphQLErrorShape[] | undefined,
          };
        },
        complete: () => resolve(answer),
        error: (error) => {
          if (Array.isArray(error)) resolve({ errors: error as GraphQLErrorShape[] });
          else if (isCloseEvent(error)) resolve({ closed: error.code });
          else resolve({ failed: String((error as { message?: unknown }).message ?? error) });
        },
      },
    );
  }).finally(() => client.dispose());
}

/**
 * A raw upgrade with `headers`: the status and headers of a refusal, or the open socket. The
 * refused socket is destroyed.
 */
function upgrade(
  h: Harness,
  headers: Record<string, string> = {},
): Promise<
  { refused: number; headers: IncomingHttpHeaders } | { refused?: undefined; socket: WebSocket }
> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl(h), PROTOCOL, { headers });
    socket.once('unexpected-response', (request, response) => {
      resolve({ refused: response.statusCode!, headers: response.headers });
      request.destroy();
    });
    socket.once('open', () => resolve({ socket }));
    socket.on('error', reject);
  });
}

/** Resolves with the close code once `socket` is closed. */
function closed(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    if (socket.readyState === WebSocket.CLOSED) resolve(-1);
    else socket.once('close', (code) => resolve(code));
  });
}

/** The next message `socket` receives, parsed. */
function nextMessage(socket: WebSocket): Promise<{ type: string; id?: string; payload?: any }> {
  return new Promise((resolve) =>
    socket.once('message', (data) => resolve(JSON.parse(String(data)))),
  );
}

describe('the Origin of an upgrade', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CORS_ORIGINS: `${ALLOWED_ORIGIN},http://127.0.0.1:5173` });
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  it('refuses an origin not in CORS_ORIGINS with 403 before any work', async () => {
    const raw = await upgrade(h, { origin: 'https://evil.example' });
    expect(raw.refused).toBe(403);
    expect(raw.refused && raw.headers.connection).toBe('close');
    // The same page trying a query: the upgrade fails, and no provider is asked anything.
    const answer = await run(h, { upgrade: { origin: 'https://evil.example' } });
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toBeUndefined();
    expect(answer.failed ?? answer.closed).toBeDefined();
    expect(upstreamCalls(h)).toBe(0);
  });

  it('refuses an origin that only resembles an allowed one', async () => {
    for (const origin of [`${ALLOWED_ORIGIN}.evil.example`, 'null', 'http://localhost:5174']) {
      const raw = await upgrade(h, { origin });
      expect(raw.refused, origin).toBe(403);
    }
  });

  it('accepts an origin in CORS_ORIGINS', async () => {
    expect(await run(h, { upgrade: { origin: ALLOWED_ORIGIN } })).toEqual({ data: QUERY_DATA });
    expect(executionRequests(h.sims, 'durable')).toHaveLength(1);
  });

  it('accepts an upgrade without Origin (a server, a router, graphql-ws in node)', async () => {
    expect(await run(h)).toEqual({ data: QUERY_DATA });
    expect(executionRequests(h.sims, 'durable')).toHaveLength(1);
  });

  it("accepts the server's own origin: its GraphiQL page, same-origin as over HTTP", async () => {
    const own = new URL(h.app.url).origin;
    expect(await run(h, { upgrade: { origin: own } })).toEqual({ data: QUERY_DATA });
  });
});

describe("the upgrade request's headers over connection_init's", () => {
  let h: Harness;
  let refoldId: string;
  beforeAll(async () => {
    h = await startHarness({ ROUTER_SECRET: SECRET });
    refoldId = `refold:${simulatorOf(h.sims, refoldSimulator).seeded[0]!.id}`;
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  const refoldQuery = () =>
    `{ execution(id: "${refoldId}") { id ... on RefoldExecution { linkedAccountId } } }`;

  it("takes the Refold tenant from the upgrade, not connection_init's other tenant", async () => {
    const answer = await run(h, {
      query: refoldQuery(),
      upgrade: { [LINKED_ACCOUNT_HEADER]: TENANT_A, 'router-authorization': SECRET },
      params: { [LINKED_ACCOUNT_HEADER]: TENANT_B },
    });
    expect(answer).toEqual({ data: { execution: { id: refoldId, linkedAccountId: TENANT_A } } });
    expect(executionRequests(h.sims, 'refold').map((r) => r.headers.linked_account_id)).toEqual([
      TENANT_A,
    ]);
  });

  it('does so for a tenant under connection_init.headers too', async () => {
    await run(h, {
      query: refoldQuery(),
      upgrade: { [LINKED_ACCOUNT_HEADER]: TENANT_A, 'router-authorization': SECRET },
      params: { headers: { [LINKED_ACCOUNT_HEADER]: TENANT_B } },
    });
    expect(executionRequests(h.sims, 'refold').map((r) => r.headers.linked_account_id)).toEqual([
      TENANT_A,
    ]);
  });

  it('refuses a wrong secret on the upgrade (4403) even with the right one in connection_init', async () => {
    const answer = await run(h, {
      upgrade: { 'router-authorization': 'wrong' },
      params: { ...DEMO_HEADERS, 'router-authorization': SECRET },
    });
    expect(answer).toEqual({ closed: 4403 });
    expect(upstreamCalls(h)).toBe(0);
  });

  it('takes the right secret on the upgrade over a wrong one in connection_init', async () => {
    const answer = await run(h, {
      upgrade: { 'router-authorization': SECRET },
      params: { ...DEMO_HEADERS, 'router-authorization': 'wrong' },
    });
    expect(answer).toEqual({ data: QUERY_DATA });
  });

  it('takes the secret from connection_init when the upgrade has none (as gateways send it)', async () => {
    const answer = await run(h, { params: { ...DEMO_HEADERS, 'router-authorization': SECRET } });
    expect(answer).toEqual({ data: QUERY_DATA });
    const nested = await run(h, {
      params: { headers: { ...DEMO_HEADERS, 'router-authorization': SECRET } },
    });
    expect(nested).toEqual({ data: QUERY_DATA });
  });
});

describe('the size of a message', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ROUTER_SECRET: SECRET });
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  /** A raw graphql-transport-ws connection, acknowledged. */
  async function acknowledged(): Promise<WebSocket> {
    const opened = await upgrade(h);
    if (!('socket' in opened)) throw new Error(`upgrade refused with ${opened.refused}`);
    const { socket } = opened;
    const ack = nextMessage(socket);
    socket.send(
      JSON.stringify({
        type: 'connection_init',
        payload: { ...DEMO_HEADERS, 'router-authorization': SECRET },
      }),
    );
    expect(await ack).toEqual({ type: 'connection_ack' });
    return socket;
  }

  /** A `subscribe` message of exactly `bytes` bytes: QUERY padded with spaces (no tokens). */
  function subscribeOf(bytes: number): string {
    const message = (query: string) =>
      JSON.stringify({ id: '1', type: 'subscribe', payload: { query } });
    const padding = bytes - Buffer.byteLength(message(QUERY));
    const text = message(QUERY + ' '.repeat(padding));
    expect(Buffer.byteLength(text)).toBe(bytes);
    return text;
  }

  it('closes the socket of a 2 MiB message with 1009, before any work', async () => {
    const socket = await acknowledged();
    // The close code, or the answer of a server that took the message.
    const outcome = Promise.race([closed(socket), nextMessage(socket)]);
    socket.send(subscribeOf(2 * 1024 * 1024));
    expect(await outcome).toBe(1009);
    expect(upstreamCalls(h)).toBe(0);
    // Another connection is not affected.
    expect(await run(h, { params: { ...DEMO_HEADERS, 'router-authorization': SECRET } })).toEqual({
      data: QUERY_DATA,
    });
  });

  it('takes a message of exactly 1 MiB', async () => {
    const socket = await acknowledged();
    const result = nextMessage(socket);
    socket.send(subscribeOf(1024 * 1024));
    expect(await result).toEqual({ id: '1', type: 'next', payload: { data: QUERY_DATA } });
    socket.close();
    expect(executionRequests(h.sims, 'durable')).toHaveLength(1);
  });
});

describe('connections open at once', () => {
  let h: Harness;
  const clients: Client[] = [];
  beforeAll(async () => {
    h = await startHarness({ MAX_CONNECTIONS: '2' });
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await h.close();
  });
  beforeEach(() => h.reset());

  /** A graphql-ws client connected now and kept open. */
  async function connected(): Promise<Client> {
    const client = createClient({
      url: wsUrl(h),
      webSocketImpl: WebSocket,
      connectionParams: DEMO_HEADERS,
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
    });
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.on('connected', () => resolve());
      client.on('closed', (event) => reject(new Error(`closed: ${JSON.stringify(event)}`)));
    });
    return client;
  }

  it('refuses the connection past MAX_CONNECTIONS with 503, and a closed one frees its place', async () => {
    const first = await connected();
    await connected();
    const raw = await upgrade(h);
    expect(raw.refused).toBe(503);
    expect(raw.refused && raw.headers.connection).toBe('close');
    const answer = await run(h);
    expect(answer.data).toBeUndefined();
    expect(answer.failed ?? answer.closed).toBeDefined();
    expect(upstreamCalls(h)).toBe(0);
    // The refusals took no place: still refused, not counted open.
    expect((await upgrade(h)).refused).toBe(503);

    await first.dispose();
    // The server frees the place once it has seen the socket close.
    await expect.poll(async () => (await run(h)).data, { timeout: 2000 }).toEqual(QUERY_DATA);
    expect(executionRequests(h.sims, 'durable')).toHaveLength(1);
  });
});

describe('a client that goes away', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  it("leaves its operation's upstream call, as over HTTP", async () => {
    h.sims.durable.latencyMs = 2_000;
    const opened = await upgrade(h);
    if (opened.refused !== undefined) throw new Error(`refused with ${opened.refused}`);
    const { socket } = opened;
    socket.send(JSON.stringify({ type: 'connection_init', payload: DEMO_HEADERS }));
    expect((await nextMessage(socket)).type).toBe('connection_ack');
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY } }));
    await expect.poll(() => h.sims.durable.requests.length).toBe(1);
    socket.terminate();
    // The provider sees its request cut long before the 2 s it takes to answer.
    await expect.poll(() => h.sims.durable.requests[0]?.aborted, { timeout: 1_500 }).toBe(true);
  });
});
