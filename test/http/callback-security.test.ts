import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { demoHeaders } from '../../src/demo.js';
import { CALLBACK_REFUSED } from '../../src/http/callback.js';
import { providerSettings } from '../../src/providers.js';
import { startHarness, type Harness } from '../harness.js';

// Where the callback protocol may post, and what it says when it may not: CALLBACK_URL_PREFIXES
// (else ROUTER_SECRET), no redirects, one message for every refusal, MAX_CALLBACK_SUBSCRIPTIONS.

const DEMO_HEADERS = await demoHeaders();
const SECRET = 'router-secret-value';
/** The shortest heartbeat allowed: a subscription the router forgets ends at its next one. */
const HEARTBEAT_MS = 100;
const WATCH =
  'subscription Watch($id: ID!) { executionUpdated(id: $id) { id state providerStatus } }';
const REFUSED = {
  status: 400,
  errors: [{ message: CALLBACK_REFUSED, extensions: { code: 'BAD_REQUEST' } }],
};

interface Hit {
  path: string;
  action?: string;
}

/** A loopback server that answers every request with `answer(path)` and keeps what it got. */
interface Counting {
  url: string;
  hits: Hit[];
  /** The requests to paths that start with `prefix`. */
  to(prefix: string): Hit[];
  close(): Promise<void>;
}

async function startCounting(
  answer: (path: string) => { status: number; headers?: Record<string, string> },
): Promise<Counting> {
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      let action: string | undefined;
      try {
        action = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { action?: string }).action;
      } catch {
        action = undefined;
      }
      hits.push({ path, action });
      const { status, headers } = answer(path);
      res.writeHead(status, { 'subscription-protocol': 'callback/1.0', ...headers }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    to: (prefix) => hits.filter((hit) => hit.path.startsWith(prefix)),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Anything a callback must never reach: it counts every request it gets. */
let outside: Counting;
/**
 * The router: `/callback/{id}` 204 (307 to `outside` for the ids in `redirecting`, 404 for those
 * in `forgotten`), `/status/{code}/{id}` that status, `/redirect/{id}` 307 to `outside`.
 */
let router: Counting;
const redirecting = new Set<string>();
const forgotten = new Set<string>();
/** A loopback port nothing listens on (connection refused). */
let closedPort: number;
let counter = 0;

beforeAll(async () => {
  outside = await startCounting(() => ({ status: 204 }));
  const toOutside = { status: 307, headers: { location: `${outside.url}/stolen` } };
  router = await startCounting((path) => {
    const [, kind, first = ''] = path.split('/');
    if (kind === 'redirect') return toOutside;
    if (kind === 'status') return { status: Number(first) };
    if (redirecting.has(first)) return toOutside;
    return { status: forgotten.has(first) ? 404 : 204 };
  });
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  closedPort = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
afterAll(async () => {
  await router.close();
  await outside.close();
});

/** CALLBACK_URL_PREFIXES: the router's three paths and the closed port; `outside` is not in it. */
const prefixes = () =>
  [
    `${router.url}/callback/`,
    `${router.url}/status/`,
    `${router.url}/redirect/`,
    `http://127.0.0.1:${closedPort}/callback/`,
  ].join(',');

/** A harness with `env` for the `describe` it is called in, every count reset before each test. */
function harness(env: () => Record<string, string>): () => Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness({ WATCH_INTERVAL_MS: '60', WATCH_MAX_INTERVAL_MS: '60', ...env() });
  });
  afterAll(() => h?.close());
  beforeEach(() => {
    h!.reset();
    router.hits.length = 0;
    outside.hits.length = 0;
  });
  return () => h!;
}

/** The router's subscription POST, to `callbackUrl(id)` (default: the router's `/callback/{id}`). */
async function subscribe(
  h: Harness,
  options: {
    callbackUrl?: (id: string) => string;
    heartbeatIntervalMs?: number;
    headers?: Record<string, string>;
    execution?: string;
  } = {},
) {
  const id = `sub-${++counter}`;
  const execution = options.execution ?? `durable:${[...h.sims.durable!.live][0]}`;
  const started = performance.now();
  const response = await fetch(`${h.app.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json;callbackSpec=1.0',
      'x-request-id': id,
      ...DEMO_HEADERS,
      ...options.headers,
    },
    body: JSON.stringify({
      query: WATCH,
      variables: { id: execution },
      extensions: {
        subscription: {
          callbackUrl: options.callbackUrl?.(id) ?? `${router.url}/callback/${id}`,
          subscriptionId: id,
          verifier: `verifier-${id}`,
          heartbeatIntervalMs: options.heartbeatIntervalMs ?? HEARTBEAT_MS,
        },
      },
    }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: Array<Record<string, any>> };
  return { id, status: response.status, ...body, ms: performance.now() - started };
}

/** The log lines of request `id`: its record, and why a callback was refused. */
const linesOf = (h: Harness, id: string, msg: string) =>
  h.logs.filter((line) => line.requestId === id && line.msg === msg);
const upstream = (h: Harness) =>
  Object.values(h.sims).reduce((sum, sim) => sum + sim.requests.length, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The router forgets `subs`: each ends at its next heartbeat, and is recorded then. */
async function forget(h: Harness, ...subs: Array<{ id: string }>): Promise<void> {
  for (const sub of subs) forgotten.add(sub.id);
  await expect
    .poll(() => subs.map((sub) => linesOf(h, sub.id, 'graphql request').length))
    .toEqual(subs.map(() => 1));
}

describe('CALLBACK_URL_PREFIXES', () => {
  const h = harness(() => ({ CALLBACK_URL_PREFIXES: prefixes() }));

  it('takes a callback URL under a prefix, as URL writes it', async () => {
    const sub = await subscribe(h(), {
      callbackUrl: (id) => `HTTP://127.0.0.1:${new URL(router.url).port}/callback/${id}`,
    });
    expect(sub).toMatchObject({ status: 200, data: null });
    await expect
      .poll(() => router.to(`/callback/${sub.id}`).map((hit) => hit.action))
      .toContain('next');
    expect(router.to(`/callback/${sub.id}`)[0]!.action).toBe('check');
    await forget(h(), sub);
  });

  it.each<[string, (id: string) => string]>([
    ['a private address', () => 'http://10.0.0.1/'],
    ['another loopback server', (id) => `${outside.url}/callback/${id}`],
    ['a path that leaves the prefix once normalised', () => `${router.url}/callback/../admin`],
    ['an encoded path that leaves it', () => `${router.url}/callback/%2e%2e/admin`],
    [
      "the prefix's host as user info",
      () => `http://127.0.0.1:${new URL(router.url).port}@${new URL(outside.url).host}/callback/`,
    ],
  ])('refuses %s with 400 before any request to it', async (_name, callbackUrl) => {
    const sub = await subscribe(h(), { callbackUrl });
    expect({ status: sub.status, errors: sub.errors }).toEqual(REFUSED);
    // Refused at once: no connection was even tried.
    expect(sub.ms).toBeLessThan(1000);
    await sleep(100);
    expect(outside.hits).toEqual([]);
    expect(router.hits).toEqual([]);
    expect(upstream(h())).toBe(0);
    // The operator's log says why; the client's answer does not.
    expect(linesOf(h(), sub.id, 'callback subscription refused')).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('CALLBACK_URL_PREFIXES') }),
    ]);
    expect(linesOf(h(), sub.id, 'graphql request')).toEqual([
      expect.objectContaining({ errorCodes: ['BAD_REQUEST'] }),
    ]);
  });
});

describe('neither CALLBACK_URL_PREFIXES nor ROUTER_SECRET', () => {
  const h = harness(() => ({}));

  it('refuses every callback subscription, the router included, and sends nothing', async () => {
    for (const callbackUrl of [
      (id: string) => `${router.url}/callback/${id}`,
      () => 'http://10.0.0.1/',
    ]) {
      const sub = await subscribe(h(), { callbackUrl });
      expect({ status: sub.status, errors: sub.errors }).toEqual(REFUSED);
      expect(linesOf(h(), sub.id, 'callback subscription refused')).toEqual([
        expect.objectContaining({ reason: expect.stringContaining('ROUTER_SECRET') }),
      ]);
    }
    await sleep(100);
    expect(router.hits).toEqual([]);
    expect(upstream(h())).toBe(0);
  });
});

describe('ROUTER_SECRET without CALLBACK_URL_PREFIXES', () => {
  const h = harness(() => ({ ROUTER_SECRET: SECRET }));

  it('starts a subscription that carries the right secret, and refuses a wrong one', async () => {
    const wrong = await subscribe(h(), { headers: { 'router-authorization': 'wrong' } });
    expect(wrong.status).toBe(401);
    const sub = await subscribe(h(), { headers: { 'router-authorization': SECRET } });
    expect(sub).toMatchObject({ status: 200, data: null });
    await expect
      .poll(() => router.to(`/callback/${sub.id}`).map((hit) => hit.action))
      .toContain('next');
    expect(router.to(`/callback/${wrong.id}`)).toEqual([]);
    await forget(h(), sub);
  });
});

describe('redirects', () => {
  const h = harness(() => ({ CALLBACK_URL_PREFIXES: prefixes() }));

  it('follows none: a 307 to the first check is a refusal and the subscription does not start', async () => {
    const sub = await subscribe(h(), { callbackUrl: (id) => `${router.url}/redirect/${id}` });
    expect({ status: sub.status, errors: sub.errors }).toEqual(REFUSED);
    await sleep(200);
    expect(router.to(`/redirect/${sub.id}`).map((hit) => hit.action)).toEqual(['check']);
    expect(outside.hits).toEqual([]);
    expect(upstream(h())).toBe(0);
    expect(linesOf(h(), sub.id, 'callback subscription refused')).toEqual([
      expect.objectContaining({ reason: expect.stringContaining('307') }),
    ]);
  });

  it('counts a 307 to a heartbeat as a failure: five in a row end the subscription', async () => {
    const sub = await subscribe(h());
    expect(sub).toMatchObject({ status: 200, data: null });
    await expect.poll(() => router.to(`/callback/${sub.id}`).length).toBeGreaterThanOrEqual(2);
    redirecting.add(sub.id);
    await expect
      .poll(() => linesOf(h(), sub.id, 'graphql request'), { timeout: 3000 })
      .toHaveLength(1);
    const sent = router.to(`/callback/${sub.id}`).length;
    await sleep(400);
    // No more heartbeats, none of them followed.
    expect(router.to(`/callback/${sub.id}`)).toHaveLength(sent);
    expect(outside.hits).toEqual([]);
  });
});

describe('one message for every refusal', () => {
  const h = harness(() => ({ CALLBACK_URL_PREFIXES: prefixes() }));

  it('says the same for a 503, a 404, a connection refused and a URL outside the prefixes', async () => {
    const urls: Record<string, (id: string) => string> = {
      503: (id) => `${router.url}/status/503/${id}`,
      404: (id) => `${router.url}/status/404/${id}`,
      'connection refused': (id) => `http://127.0.0.1:${closedPort}/callback/${id}`,
      'outside the prefixes': (id) => `${outside.url}/callback/${id}`,
    };
    // Apollo's plugin retries a 5xx and a connection failure for about 2.5 s: all at once.
    const answers = await Promise.all(
      Object.entries(urls).map(async ([name, callbackUrl]) => {
        const sub = await subscribe(h(), { callbackUrl });
        return [name, sub] as const;
      }),
    );
    for (const [name, sub] of answers) {
      expect({ status: sub.status, errors: sub.errors }, name).toEqual(REFUSED);
      expect(JSON.stringify(sub.errors), name).not.toMatch(/503|404|reach|refused|ECONN/);
    }
    // Only the router was asked (a 503 again, as Apollo retries it), never `outside`.
    expect(router.to('/status/404/').map((hit) => hit.action)).toEqual(['check']);
    expect(router.to('/status/503/').length).toBeGreaterThanOrEqual(1);
    expect(outside.hits).toEqual([]);
    expect(upstream(h())).toBe(0);
    const reasons = Object.fromEntries(
      answers.map(([name, sub]) => [
        name,
        linesOf(h(), sub.id, 'callback subscription refused').map((line) => line.reason),
      ]),
    );
    expect(reasons).toEqual({
      503: ['answered 503'],
      404: ['answered 404'],
      'connection refused': [expect.stringContaining('could not be reached')],
      'outside the prefixes': [expect.stringContaining('CALLBACK_URL_PREFIXES')],
    });
  }, 20_000);
});

describe('MAX_CALLBACK_SUBSCRIPTIONS', () => {
  const h = harness(() => ({ CALLBACK_URL_PREFIXES: prefixes(), MAX_CALLBACK_SUBSCRIPTIONS: '2' }));

  it('is 1000 by default, so the 1001st at once is refused', () => {
    expect(loadConfig({}, providerSettings).transport.maxCallbackSubscriptions).toBe(1000);
  });

  it('refuses one more than the limit before any callback, and an ended one frees its place', async () => {
    const first = await subscribe(h());
    const second = await subscribe(h());
    expect([first.status, second.status]).toEqual([200, 200]);

    const third = await subscribe(h());
    expect(third.status).toBe(400);
    expect(third.errors).toEqual([
      {
        message: expect.stringContaining('MAX_CALLBACK_SUBSCRIPTIONS'),
        extensions: { code: 'BAD_USER_INPUT', limit: 2 },
      },
    ]);
    expect(third.errors![0]!.message).toContain('at most 2');
    expect(router.to(`/callback/${third.id}`)).toEqual([]);

    // The router forgets the first: its next heartbeat is answered 404 and it ends.
    await forget(h(), first);
    const fourth = await subscribe(h());
    expect(fourth).toMatchObject({ status: 200, data: null });
    await expect.poll(() => router.to(`/callback/${fourth.id}`).length).toBeGreaterThan(1);
    await forget(h(), second, fourth);
  });

  it('holds no place for a subscription that did not start', async () => {
    for (let i = 0; i < 3; i++) {
      const refused = await subscribe(h(), {
        callbackUrl: (id) => `${router.url}/status/404/${id}`,
      });
      expect(refused.status).toBe(400);
    }
    const started = await Promise.all([subscribe(h()), subscribe(h())]);
    expect(started.map((sub) => sub.status)).toEqual([200, 200]);
    await forget(h(), ...started);
  });

  it('counts subscriptions that arrive at once: of five, two start', async () => {
    const subs = await Promise.all(Array.from({ length: 5 }, () => subscribe(h())));
    const statuses = subs.map((sub) => sub.status).sort();
    expect(statuses).toEqual([200, 200, 400, 400, 400]);
    const refused = subs.filter((sub) => sub.status === 400);
    for (const sub of refused) {
      expect(sub.errors![0]!.extensions).toEqual({ code: 'BAD_USER_INPUT', limit: 2 });
      expect(router.to(`/callback/${sub.id}`)).toEqual([]);
    }
    await forget(h(), ...subs.filter((sub) => sub.status === 200));
  });
});

describe('MAX_CALLBACK_SUBSCRIPTIONS at its default', () => {
  // No heartbeats, and an execution that runs on unchanged: 1000 subscriptions cost one poller.
  const h = harness(() => ({ CALLBACK_URL_PREFIXES: prefixes(), WATCH_INTERVAL_MS: '1000' }));

  it('runs 1000 callback subscriptions at once and refuses the 1001st', async () => {
    const quiet = { heartbeatIntervalMs: 0, execution: 'durable:wf_root_1' };
    const started: Array<Awaited<ReturnType<typeof subscribe>>> = [];
    for (let batch = 0; batch < 10; batch++) {
      started.push(
        ...(await Promise.all(Array.from({ length: 100 }, () => subscribe(h(), quiet)))),
      );
    }
    expect(started.filter((sub) => sub.status !== 200)).toEqual([]);
    const refused = await subscribe(h(), quiet);
    expect(refused).toMatchObject({
      status: 400,
      errors: [{ extensions: { code: 'BAD_USER_INPUT', limit: 1000 } }],
    });
    expect(router.to(`/callback/${refused.id}`)).toEqual([]);
  }, 60_000);
});
