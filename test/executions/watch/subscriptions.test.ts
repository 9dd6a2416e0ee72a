import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { demoHeaders } from '../../../src/demo.js';
import { providers } from '../../../src/providers.js';
import { NO_POLICY, startHarness, type Harness } from '../../harness.js';

const DEMO_HEADERS = await demoHeaders();

const INTERVAL_MS = 60;
const WATCH = 'subscription ($id: ID!) { executionUpdated(id: $id) { id state providerStatus } }';

interface Watch {
  events: Array<{ data?: any; errors?: Array<{ extensions?: Record<string, unknown> }> }>;
  /** Settles when the server completes the subscription (or rejects with a transport error). */
  done: Promise<void>;
  stop(): void;
}

let h: Harness;
const clients: Client[] = [];

function client(h: Harness, params: Record<string, unknown> = DEMO_HEADERS): Client {
  const created = createClient({
    url: h.app.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: params,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
  clients.push(created);
  return created;
}

function watch(on: Client, query: string, variables: Record<string, unknown>): Watch {
  const events: Watch['events'] = [];
  let stop = () => undefined as void;
  const done = new Promise<void>((resolve, reject) => {
    stop = on.subscribe(
      { query, variables },
      {
        next: (event) => void events.push(event as Watch['events'][number]),
        complete: resolve,
        error: reject,
      },
    );
  });
  return { events, done, stop: () => stop() };
}

/** Execution GETs the simulator of `key` has received. */
const polls = (key: string) =>
  h.sims[key]!.requests.filter((request) => request.id !== null).length;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  h = await startHarness({
    ...NO_POLICY,
    WATCH_INTERVAL_MS: String(INTERVAL_MS),
    WATCH_MAX_INTERVAL_MS: String(INTERVAL_MS),
    MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
  });
});
afterAll(async () => {
  for (const each of clients) await each.dispose();
  await h.close();
});
beforeEach(() => h.reset());

const LIFECYCLES = await Promise.all(
  providers.map(
    async ({ datasource, simulator }) => [datasource.key, (await simulator()).lifecycle!] as const,
  ),
);

describe.each(LIFECYCLES)('watching a live %s execution', (key, lifecycle) => {
  it('sends it now and on each change only, completes once it is terminal, then the cache answers', async () => {
    const sim = h.sims[key]!;
    const native = [...sim.live][0]!;
    const id = `${key}:${native}`;
    const w = watch(client(h), WATCH, { id });
    await expect.poll(() => w.events.length).toBe(1);
    for (let step = 1; step < lifecycle.length; step++) {
      // Several intervals with no change: no event.
      await sleep(INTERVAL_MS * 3);
      expect(w.events).toHaveLength(step);
      sim.advance(native);
      await expect.poll(() => w.events.length, { timeout: 2000 }).toBe(step + 1);
    }
    await w.done;
    expect(w.events.map((event) => event.data.executionUpdated.providerStatus)).toEqual(lifecycle);
    expect(w.events.at(-1)!.data.executionUpdated.state).toBe('SUCCEEDED');
    const before = polls(key);
    const { body } = await h.query('query ($id: ID!) { execution(id: $id) { state } }', { id });
    expect(body.data).toEqual({ execution: { state: 'SUCCEEDED' } });
    expect(polls(key)).toBe(before);
  });
});

describe('one poller per execution', () => {
  it('polls once per interval for 50 clients, and stops when the last one leaves', async () => {
    const native = [...h.sims.durable!.live][0]!;
    const watches = Array.from({ length: 50 }, () =>
      watch(client(h), WATCH, { id: `durable:${native}` }),
    );
    await expect
      .poll(() => watches.map((w) => w.events.length).join(''), { timeout: 5000 })
      .toBe('1'.repeat(50));
    const start = polls('durable');
    await sleep(INTERVAL_MS * 10);
    const inTen = polls('durable') - start;
    // One poll per interval, whatever the number of subscribers (timers drift a little).
    expect(inTen).toBeGreaterThanOrEqual(6);
    expect(inTen).toBeLessThanOrEqual(11);
    for (const w of watches) w.stop();
    await sleep(INTERVAL_MS * 2);
    const after = polls('durable');
    await sleep(INTERVAL_MS * 5);
    expect(polls('durable')).toBe(after);
  });

  it('ends a watch of a missing execution with NOT_FOUND', async () => {
    const w = watch(client(h), WATCH, { id: 'durable:missing' });
    await w.done;
    expect(w.events).toHaveLength(1);
    expect(w.events[0]!.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND' });
    // Its record: the request's log line, as for HTTP.
    await expect
      .poll(() => h.logs.filter((line) => line.msg === 'graphql request'))
      .toEqual([expect.objectContaining({ upstreamCalls: 1, errorCodes: ['NOT_FOUND'] })]);
  });

  it('keeps watching through a provider answering 503 for a while, and recovers', async () => {
    const sim = h.sims.durable!;
    const native = [...sim.live][0]!;
    const w = watch(client(h), WATCH, { id: `durable:${native}` });
    await expect.poll(() => w.events.length).toBe(1);
    sim.inject({ kind: 'status', status: 503 }, { times: 4 });
    await sleep(INTERVAL_MS * 4);
    sim.advance(native);
    await expect.poll(() => w.events.length, { timeout: 5000 }).toBe(2);
    expect(w.events[1]!.data.executionUpdated.state).toBe('RUNNING');
    w.stop();
  });

  it('sends the changes of several executions, and completes once all are terminal', async () => {
    const ids = ['refold', 'serverless'].map((key) => `${key}:${[...h.sims[key]!.live][0]}`);
    const w = watch(
      client(h),
      'subscription ($ids: [ID!]!) { executionsUpdated(ids: $ids) { id state } }',
      { ids },
    );
    await expect.poll(() => w.events.length).toBe(2);
    for (const key of ['refold', 'serverless']) {
      const sim = h.sims[key]!;
      const native = [...sim.live][0]!;
      while (sim.advance(native)) await sleep(INTERVAL_MS * 2);
    }
    await w.done;
    const last = (id: string) =>
      w.events.filter((event) => event.data.executionsUpdated.id === id).at(-1)!;
    for (const id of ids) expect(last(id).data.executionsUpdated.state).toBe('SUCCEEDED');
  });
});

describe('limits', () => {
  it('refuses subscription 4 on one connection with BAD_USER_INPUT naming the limit', async () => {
    const on = client(h);
    const live = providers.map(({ datasource: { key } }) => `${key}:${[...h.sims[key]!.live][0]}`);
    const open = live.slice(0, 3).map((id) => watch(on, WATCH, { id }));
    await expect.poll(() => open.every((w) => w.events.length === 1)).toBe(true);
    const fourth = watch(on, WATCH, { id: live[3] });
    await expect(fourth.done).rejects.toEqual([
      expect.objectContaining({
        message: expect.stringContaining('MAX_SUBSCRIPTIONS_PER_CONNECTION'),
        extensions: { code: 'BAD_USER_INPUT', limit: 3 },
      }),
    ]);
    for (const w of open) w.stop();
  });

  it('refuses watches past MAX_WATCHED_EXECUTIONS', async () => {
    const small = await startHarness({ MAX_WATCHED_EXECUTIONS: '1', WATCH_INTERVAL_MS: '1000' });
    try {
      const on = client(small);
      const first = watch(on, WATCH, { id: `durable:${[...small.sims.durable!.live][0]}` });
      await expect.poll(() => first.events.length).toBe(1);
      const second = watch(on, WATCH, { id: 'durable:wf_root_1' });
      await second.done;
      expect(second.events.at(-1)!.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        limit: 1,
      });
      first.stop();
    } finally {
      await small.close();
    }
  });

  it('counts executionsUpdated ids against MAX_IDS_PER_REQUEST', async () => {
    const small = await startHarness({ MAX_IDS_PER_REQUEST: '2' });
    try {
      const w = watch(
        client(small),
        'subscription ($ids: [ID!]!) { executionsUpdated(ids: $ids) { id } }',
        { ids: ['durable:a', 'durable:b', 'durable:c'] },
      );
      await expect(w.done).rejects.toEqual([
        expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT', limit: 2 } }),
      ]);
      expect(small.sims.durable!.requests).toHaveLength(0);
    } finally {
      await small.close();
    }
  });

  it('closes a socket with a wrong or missing router secret before any upstream call', async () => {
    const secured = await startHarness({ ROUTER_SECRET: 'router-secret-value' });
    try {
      for (const params of [{}, { 'router-authorization': 'wrong' }]) {
        const w = watch(client(secured, params), WATCH, { id: 'durable:wf_root_1' });
        await expect(w.done).rejects.toMatchObject({ code: 4403 });
      }
      const ok = watch(client(secured, { 'router-authorization': 'router-secret-value' }), WATCH, {
        id: 'durable:wf_report_9',
      });
      await ok.done;
      expect(ok.events[0]!.data.executionUpdated.state).toBe('SUCCEEDED');
      expect(secured.sims.durable!.requests.map(({ id }) => id)).toEqual(['wf_report_9']);
    } finally {
      await secured.close();
    }
  });
});

describe('shutdown', () => {
  it('completes every open subscription when the server closes', async () => {
    const closing = await startHarness({ WATCH_INTERVAL_MS: '1000' });
    const watches = ['durable', 'refold'].map((key) =>
      watch(client(closing), WATCH, { id: `${key}:${[...closing.sims[key]!.live][0]}` }),
    );
    await expect.poll(() => watches.every((w) => w.events.length === 1)).toBe(true);
    await closing.close();
    await Promise.all(watches.map((w) => w.done));
  });
});
