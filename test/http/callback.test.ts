import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { demoHeaders } from '../../src/demo.js';
import { CALLBACK_REFUSED } from '../../src/http/callback.js';
import { NO_POLICY, startHarness, type Harness } from '../harness.js';

const DEMO_HEADERS = await demoHeaders();

const INTERVAL_MS = 60;
const HEARTBEAT_MS = 150;
const WATCH =
  'subscription Watch($id: ID!) { executionUpdated(id: $id) { id state providerStatus } }';

interface Message {
  /** The subscription id of the callback URL it was sent to. */
  path: string;
  at: number;
  headers: IncomingHttpHeaders;
  body: {
    kind: string;
    action: string;
    id: string;
    verifier: string;
    payload?: { data?: any; errors?: Array<{ message: string; extensions?: any }> };
    errors?: Array<{ message: string; extensions?: any }>;
  };
}

/**
 * A router's callback endpoint, as Apollo Router's callback mode runs it: `POST /callback/{id}`,
 * 204 to every message of a subscription it knows, 404 once it has forgotten it.
 */
interface Router {
  url: string;
  messages: Message[];
  /** Subscription ids answered 404 from now on. */
  forgotten: Set<string>;
  /** Subscription ids whose `next` messages are answered 404 from now on. */
  refuseNext: Set<string>;
  of(id: string, action?: string): Message[];
  close(): Promise<void>;
}

async function startRouter(): Promise<Router> {
  const messages: Message[] = [];
  const forgotten = new Set<string>();
  const refuseNext = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '').replace('/callback/', '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Message['body'];
      messages.push({ path, at: performance.now(), headers: req.headers, body });
      const refused = forgotten.has(path) || (body.action === 'next' && refuseNext.has(path));
      res.writeHead(refused ? 404 : 204, { 'subscription-protocol': 'callback/1.0' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    messages,
    forgotten,
    refuseNext,
    of: (id, action) =>
      messages.filter((m) => m.path === id && (action === undefined || m.body.action === action)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let h: Harness;
let router: Router;
let counter = 0;

/** The subscription POST the router sends to the subgraph, with its callback extension. */
async function subscribe(
  on: Harness,
  variables: Record<string, unknown>,
  options: {
    query?: string;
    heartbeatIntervalMs?: number;
    headers?: Record<string, string>;
    extension?: unknown;
  } = {},
) {
  const id = `sub-${++counter}`;
  const extension = options.extension ?? {
    callbackUrl: `${router.url}/callback/${id}`,
    subscriptionId: id,
    verifier: `verifier-${id}`,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? HEARTBEAT_MS,
  };
  const response = await fetch(`${on.app.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json;callbackSpec=1.0',
      'x-request-id': id,
      ...(options.headers ?? DEMO_HEADERS),
    },
    body: JSON.stringify({
      query: options.query ?? WATCH,
      variables,
      extensions: { subscription: extension },
    }),
  });
  const answeredAt = performance.now();
  return { id, status: response.status, body: (await response.json()) as any, answeredAt };
}

/** The request log lines of subscription `id` (sent as its `x-request-id`). */
const records = (id: string) =>
  h.logs.filter((line) => line.msg === 'graphql request' && line.requestId === id);
const polls = (on: Harness, key: string) =>
  on.sims[key]!.requests.filter((request) => request.id !== null).length;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** The env that lets the callback protocol post to the test router (CALLBACK_URL_PREFIXES). */
const toRouter = () => ({ CALLBACK_URL_PREFIXES: `${router.url}/callback/` });

beforeAll(async () => {
  router = await startRouter();
  h = await startHarness({
    ...NO_POLICY,
    ...toRouter(),
    WATCH_INTERVAL_MS: String(INTERVAL_MS),
    WATCH_MAX_INTERVAL_MS: String(INTERVAL_MS),
  });
});
afterAll(async () => {
  await h.close();
  await router.close();
});
beforeEach(() => {
  h.reset();
  router.messages.length = 0;
});

describe('a subscription over the callback protocol', () => {
  it('checks, sends each change to the terminal state with heartbeats between, then completes', async () => {
    const sim = h.sims.durable!;
    const lifecycle = h.sims.durable!.definition.lifecycle!;
    const native = [...sim.live][0]!;
    const sub = await subscribe(h, { id: `durable:${native}` });
    expect(sub.status).toBe(200);
    expect(sub.body).toEqual({ data: null });
    // The check came before the answer, with the protocol's header.
    const [check] = router.of(sub.id);
    expect(check!.body).toEqual({
      kind: 'subscription',
      action: 'check',
      id: sub.id,
      verifier: `verifier-${sub.id}`,
    });
    expect(check!.headers['subscription-protocol']).toBe('callback/1.0');
    expect(check!.at).toBeLessThan(sub.answeredAt);

    await expect.poll(() => router.of(sub.id, 'next').length).toBe(1);
    for (let step = 1; step < lifecycle.length; step++) {
      // Heartbeats while nothing changes, and no next.
      const before = router.of(sub.id, 'check').length;
      await sleep(HEARTBEAT_MS * 4);
      expect(router.of(sub.id, 'next')).toHaveLength(step);
      const beats = router.of(sub.id, 'check').length - before;
      expect(beats).toBeGreaterThanOrEqual(2);
      expect(beats).toBeLessThanOrEqual(5);
      sim.advance(native);
      await expect.poll(() => router.of(sub.id, 'next').length, { timeout: 2000 }).toBe(step + 1);
    }
    await expect.poll(() => router.of(sub.id, 'complete').length).toBe(1);

    const nexts = router.of(sub.id, 'next');
    expect(nexts.map((m) => m.body.payload!.data.executionUpdated.providerStatus)).toEqual(
      lifecycle,
    );
    expect(nexts.at(-1)!.body.payload!.data.executionUpdated.state).toBe('SUCCEEDED');
    expect(router.of(sub.id, 'complete')[0]!.body).toEqual({
      kind: 'subscription',
      action: 'complete',
      id: sub.id,
      verifier: `verifier-${sub.id}`,
    });
    // The heartbeat stops with the subscription.
    const messages = router.of(sub.id).length;
    await sleep(HEARTBEAT_MS * 3);
    expect(router.of(sub.id)).toHaveLength(messages);
    // Its record: one log line when it ends, as for a WebSocket operation.
    expect(records(sub.id)).toEqual([
      expect.objectContaining({ operationName: 'Watch', upstreamCalls: 1, errorCodes: [] }),
    ]);
    // The terminal answer went to the cache.
    const before = polls(h, 'durable');
    const { body } = await h.query('query ($id: ID!) { execution(id: $id) { state } }', {
      id: `durable:${native}`,
    });
    expect(body.data).toEqual({ execution: { state: 'SUCCEEDED' } });
    expect(polls(h, 'durable')).toBe(before);
  });

  it('sends the changes of several executions, and completes once all are terminal', async () => {
    const keys = ['cloudshell', 'payment'];
    const ids = keys.map((key) => `${key}:${[...h.sims[key]!.live][0]}`);
    const sub = await subscribe(
      h,
      { ids },
      { query: 'subscription ($ids: [ID!]!) { executionsUpdated(ids: $ids) { id state } }' },
    );
    await expect.poll(() => router.of(sub.id, 'next').length).toBe(2);
    for (const key of keys) {
      const sim = h.sims[key]!;
      const native = [...sim.live][0]!;
      while (sim.advance(native)) await sleep(INTERVAL_MS * 2);
    }
    await expect.poll(() => router.of(sub.id, 'complete').length, { timeout: 3000 }).toBe(1);
    const last = (id: string) =>
      router
        .of(sub.id, 'next')
        .filter((m) => m.body.payload!.data.executionsUpdated.id === id)
        .at(-1)!;
    for (const id of ids)
      expect(last(id).body.payload!.data.executionsUpdated.state).toBe('SUCCEEDED');
    expect(records(sub.id)).toEqual([
      expect.objectContaining({ upstreamCalls: 2, errorCodes: [] }),
    ]);
  });

  it('sends no heartbeats when the router asks for none (heartbeatIntervalMs 0)', async () => {
    const native = [...h.sims.refold!.live][0]!;
    const sub = await subscribe(h, { id: `refold:${native}` }, { heartbeatIntervalMs: 0 });
    expect(sub.body).toEqual({ data: null });
    await expect.poll(() => router.of(sub.id, 'next').length).toBe(1);
    await sleep(HEARTBEAT_MS * 3);
    expect(router.of(sub.id, 'check')).toHaveLength(1);
    router.forgotten.add(sub.id);
    h.sims.refold!.advance(native);
    await expect.poll(() => router.of(sub.id, 'next').length).toBe(2);
  });

  it('refuses a second subscription to a callback URL already in use, and the first goes on', async () => {
    const native = [...h.sims.payment!.live][0]!;
    const first = await subscribe(h, { id: `payment:${native}` });
    expect(first.body).toEqual({ data: null });
    await expect.poll(() => router.of(first.id, 'next').length).toBe(1);
    const second = await subscribe(
      h,
      { id: `payment:${native}` },
      {
        extension: {
          callbackUrl: `${router.url}/callback/${first.id}`,
          subscriptionId: first.id,
          verifier: `verifier-${first.id}`,
          heartbeatIntervalMs: HEARTBEAT_MS,
        },
      },
    );
    expect(second.status).toBe(400);
    expect(second.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(second.body.errors[0].message).toContain('already running');
    h.sims.payment!.advance(native);
    await expect.poll(() => router.of(first.id, 'next').length).toBe(2);
    router.forgotten.add(first.id);
  });

  it('ends with the error of an execution that cannot be watched', async () => {
    const sub = await subscribe(h, { id: 'durable:missing' });
    expect(sub.body).toEqual({ data: null });
    await expect.poll(() => router.of(sub.id, 'complete').length).toBe(1);
    const [next] = router.of(sub.id, 'next');
    expect(next!.body.payload).toMatchObject({
      data: null,
      errors: [{ path: ['executionUpdated'], extensions: { code: 'NOT_FOUND' } }],
    });
    await expect
      .poll(() => records(sub.id))
      .toEqual([expect.objectContaining({ upstreamCalls: 1, errorCodes: ['NOT_FOUND'] })]);
  });

  it("reads the Refold header of the router's request", async () => {
    const native = [...h.sims.refold!.live][0]!;
    const without = await subscribe(h, { id: `refold:${native}` }, { headers: {} });
    await expect.poll(() => router.of(without.id, 'complete').length).toBe(1);
    expect(router.of(without.id, 'next')[0]!.body.payload!.errors![0]).toMatchObject({
      message: expect.stringContaining('x-refold-linked-account-id'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(polls(h, 'refold')).toBe(0);
    const withIt = await subscribe(h, { id: `refold:${native}` });
    await expect.poll(() => router.of(withIt.id, 'next').length).toBe(1);
    expect(router.of(withIt.id, 'next')[0]!.body.payload).toEqual({
      data: { executionUpdated: expect.objectContaining({ id: `refold:${native}` }) },
    });
    router.forgotten.add(withIt.id);
  });
});

describe('a router that forgets the subscription', () => {
  it.each([
    ['a next message', 'next'],
    ['a heartbeat', 'check'],
  ])('ends it and its poller when it answers 404 to %s', async (_name, action) => {
    const sim = h.sims.serverless!;
    const native = [...sim.live][0]!;
    const sub = await subscribe(h, { id: `serverless:${native}` });
    await expect.poll(() => router.of(sub.id, 'next').length).toBe(1);
    await sleep(INTERVAL_MS * 3);
    expect(polls(h, 'serverless')).toBeGreaterThanOrEqual(2);
    if (action === 'next') {
      router.refuseNext.add(sub.id);
      sim.advance(native);
      await expect.poll(() => router.of(sub.id, 'next').length).toBe(2);
    } else {
      router.forgotten.add(sub.id);
      const beats = router.of(sub.id, 'check').length;
      await expect.poll(() => router.of(sub.id, 'check').length).toBe(beats + 1);
    }
    // The poller stops with its last subscriber: no more polls, no more messages.
    await sleep(INTERVAL_MS * 2);
    const polled = polls(h, 'serverless');
    const sent = router.of(sub.id).length;
    await sleep(Math.max(INTERVAL_MS * 6, HEARTBEAT_MS * 3));
    expect(polls(h, 'serverless')).toBe(polled);
    expect(router.of(sub.id)).toHaveLength(sent);
    expect(router.of(sub.id, 'complete')).toHaveLength(0);
    expect(records(sub.id)).toHaveLength(1);
  });

  it('answered 404 to the first check: the subscription does not start', async () => {
    const id = `sub-${++counter}`;
    router.forgotten.add(id);
    const sub = await subscribe(
      h,
      { id: `durable:${[...h.sims.durable!.live][0]}` },
      {
        extension: {
          callbackUrl: `${router.url}/callback/${id}`,
          subscriptionId: id,
          verifier: 'v',
        },
      },
    );
    expect(sub.status).toBe(400);
    // The same words as for any other refusal: nothing of what the URL answered.
    expect(sub.body.errors).toEqual([
      { message: CALLBACK_REFUSED, extensions: { code: 'BAD_REQUEST' } },
    ]);
    await sleep(INTERVAL_MS * 3);
    expect(router.of(id).map((m) => m.body.action)).toEqual(['check']);
    expect(polls(h, 'durable')).toBe(0);
  });
});

describe('requests the callback step refuses', () => {
  const id = `durable:wf_root_1`;
  const to = (url: string) => `${url}/callback/refused`;
  it.each<[string, (url: string) => unknown, string]>([
    ['no callbackUrl', () => ({ subscriptionId: 'a', verifier: 'v' }), 'callbackUrl is missing'],
    [
      'a callbackUrl that is not http',
      () => ({ callbackUrl: 'file:///etc/passwd', subscriptionId: 'a', verifier: 'v' }),
      'callbackUrl is not an http or https URL',
    ],
    ['no verifier', (url) => ({ callbackUrl: to(url), subscriptionId: 'a' }), 'verifier'],
    [
      'a heartbeat too short',
      (url) => ({
        callbackUrl: to(url),
        subscriptionId: 'a',
        verifier: 'v',
        heartbeatIntervalMs: 1,
      }),
      'heartbeatIntervalMs must be 0',
    ],
    ['an extension that is not an object', () => 'yes', 'not an object'],
  ])('refuses %s with 400 and calls no one', async (_name, extension, says) => {
    const sub = await subscribe(h, { id }, { extension: extension(router.url) });
    expect(sub.status).toBe(400);
    expect(sub.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining(says),
        extensions: { code: 'BAD_REQUEST' },
      }),
    ]);
    expect(router.of('refused')).toHaveLength(0);
    expect(h.sims.durable!.requests).toHaveLength(0);
  });

  it('refuses variables that do not coerce with BAD_USER_INPUT', async () => {
    const sub = await subscribe(h, { id: 42.5 });
    expect(sub.status).toBe(400);
    expect(sub.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringContaining('$id'),
        extensions: { code: 'BAD_USER_INPUT' },
      }),
    ]);
    expect(router.of(sub.id)).toHaveLength(0);
    expect(h.sims.durable!.requests).toHaveLength(0);
  });

  it('refuses a query with the callback extension', async () => {
    const sub = await subscribe(
      h,
      { id },
      { query: 'query ($id: ID!) { execution(id: $id) { id } }' },
    );
    expect(sub.status).toBe(400);
    expect(sub.body.errors[0]).toMatchObject({
      message: expect.stringContaining('a query'),
      extensions: { code: 'BAD_REQUEST' },
    });
    expect(router.messages).toHaveLength(0);
    expect(h.sims.durable!.requests).toHaveLength(0);
  });

  it('refuses a subscription over HTTP without the extension, saying how to subscribe', async () => {
    for (const fastRoute of ['plain', 'graphql-response']) {
      const response = await fetch(`${h.app.url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: fastRoute === 'plain' ? 'application/json' : 'application/graphql-response+json',
          ...DEMO_HEADERS,
        },
        body: JSON.stringify({ query: WATCH, variables: { id } }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as any;
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: expect.stringMatching(/callback protocol.*WebSocket on \/graphql/),
          extensions: { code: 'BAD_REQUEST' },
        }),
      ]);
    }
    expect(h.sims.durable!.requests).toHaveLength(0);
  });

  it('counts executionsUpdated ids against MAX_IDS_PER_REQUEST before any callback', async () => {
    const small = await startHarness({ MAX_IDS_PER_REQUEST: '2', ...toRouter() });
    try {
      const sub = await subscribe(
        small,
        { ids: ['durable:a', 'durable:b', 'durable:c'] },
        { query: 'subscription ($ids: [ID!]!) { executionsUpdated(ids: $ids) { id } }' },
      );
      expect(sub.body.errors).toEqual([
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', limit: 2 } }),
      ]);
      expect(router.of(sub.id)).toHaveLength(0);
      expect(small.sims.durable!.requests).toHaveLength(0);
    } finally {
      await small.close();
    }
  });
});

describe('ROUTER_SECRET', () => {
  let secured: Harness;
  beforeAll(async () => {
    // No CALLBACK_URL_PREFIXES: with the secret, any callback URL is taken from the router.
    secured = await startHarness({ ROUTER_SECRET: 'router-secret-value' });
  });
  afterAll(() => secured.close());

  it('refuses a subscription with a wrong or missing secret before any callback or upstream call', async () => {
    const id = `durable:${[...secured.sims.durable!.live][0]}`;
    const refused: string[] = [];
    for (const secret of [undefined, 'wrong']) {
      const sub = await subscribe(
        secured,
        { id },
        { headers: secret ? { 'router-authorization': secret } : {} },
      );
      expect(sub.status).toBe(401);
      expect(sub.body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
      expect(JSON.stringify(sub.body)).not.toContain('router-secret-value');
      refused.push(sub.id);
    }
    await sleep(INTERVAL_MS * 2);
    for (const id of refused) expect(router.of(id)).toHaveLength(0);
    expect(secured.sims.durable!.requests).toHaveLength(0);

    const ok = await subscribe(
      secured,
      { id },
      { headers: { 'router-authorization': 'router-secret-value' } },
    );
    expect(ok.body).toEqual({ data: null });
    await expect.poll(() => router.of(ok.id, 'next').length).toBe(1);
    router.forgotten.add(ok.id);
  });
});

describe('shutdown', () => {
  it('completes an open callback subscription when the server closes', async () => {
    const closing = await startHarness({ WATCH_INTERVAL_MS: '1000', ...toRouter() });
    const sub = await subscribe(closing, { id: `durable:${[...closing.sims.durable!.live][0]}` });
    await expect.poll(() => router.of(sub.id, 'next').length).toBe(1);
    await closing.close();
    expect(router.of(sub.id, 'complete')).toHaveLength(1);
  });
});
