import { createHmac } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ConfigError, loadConfig } from '../../src/config.js';
import { demoHeaders, simulatorEnv } from '../../src/demo.js';
import { startApp } from '../../src/http/server.js';
import { providers, providerSettings } from '../../src/providers.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { startHarness, type Harness } from '../harness.js';
import { startRedisServer } from '../support/redis-server.js';

const DEMO_HEADERS = await demoHeaders();
const PATH = '/webhooks/refold';
/** Long: a change that arrives within it came by the webhook, not by a poll. */
const INTERVAL_MS = '60000';
const WATCH = 'subscription ($id: ID!) { executionUpdated(id: $id) { id state providerStatus } }';

let h: Harness;
let apiKey: string;
const clients: Client[] = [];

beforeAll(async () => {
  h = await startHarness({ REFOLD_WEBHOOK_PATH: PATH, WATCH_INTERVAL_MS: INTERVAL_MS });
  apiKey = h.sims.refold!.credentials.apiKey!;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await h.close();
});
beforeEach(async () => {
  // Each test's watches end with it: no poller outlives its test.
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  h.reset();
});

/** A running execution of the demo's customer, and its record at the simulator. */
function running(): { id: string; record: Record<string, unknown> } {
  const seeded = h.sims.refold!.seeded.find(({ status }) => status === 'RUNNING')!;
  return {
    id: seeded.id,
    record: h.sims.refold!.records.get(seeded.id) as Record<string, unknown>,
  };
}

function body(instanceId: string, account = DEMO_HEADERS['x-refold-linked-account-id']!) {
  return JSON.stringify({
    linked_account_id: account,
    instance_id: instanceId,
    workflow_id: 'wf',
    config_id: 'cfg',
    event: 'Workflow Completed',
    workflow_name: 'Sync',
    status: 'COMPLETED',
  });
}

function sign(text: string, key = apiKey): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

async function post(text: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${h.app.url}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: text,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** GETs the Refold simulator received for `id`. */
function gets(id: string): number {
  return h.sims.refold!.requests.filter((r) => r.method === 'GET' && r.id === id).length;
}

function watch(id: string) {
  const client = createClient({
    url: h.app.url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: DEMO_HEADERS,
    retryAttempts: 0,
  });
  clients.push(client);
  const events: Array<{ state: string }> = [];
  const done = new Promise<void>((resolve, reject) => {
    client.subscribe<{ executionUpdated: { state: string } }>(
      { query: WATCH, variables: { id: `refold:${id}` } },
      {
        next: ({ data }) => void (data && events.push(data.executionUpdated)),
        error: reject,
        complete: resolve,
      },
    );
  });
  return { events, done };
}

describe('Refold webhooks at REFOLD_WEBHOOK_PATH', () => {
  it('a verified webhook fetches a watched execution now: its subscribers get it and, finished, it is cached and the watch completes', async () => {
    const { id, record } = running();
    const watched = watch(id);
    await expect.poll(() => watched.events.length).toBe(1);
    expect(watched.events[0]!.state).toBe('RUNNING');
    record.status = 'COMPLETED';
    const text = body(id);
    const sent = Date.now();
    expect(await post(text, { 'x-cobalt-signature': sign(text) })).toEqual({
      status: 200,
      body: { status: 'fetching' },
    });
    await watched.done;
    // Within a second of the webhook, where the next poll was a minute away.
    expect(Date.now() - sent).toBeLessThan(1000);
    expect(watched.events.map((e) => e.state)).toEqual(['RUNNING', 'SUCCEEDED']);
    const metrics = await (await fetch(`${h.app.url}/metrics`)).text();
    expect(metrics).toMatch(
      /executions_watch_changes_total\{provider="REFOLD",source="webhook"\} 1/,
    );
    expect(metrics).toMatch(/executions_webhooks_total\{provider="REFOLD",outcome="fetched"\} 1/);
    const before = gets(id);
    const { body: again } = await h.query(`query ($id: ID!) { execution(id: $id) { state } }`, {
      id: `refold:${id}`,
    });
    expect(again.data).toEqual({ execution: { state: 'SUCCEEDED' } });
    expect(gets(id)).toBe(before);
  });

  it('refuses a wrong or missing signature with 401 and changes nothing', async () => {
    const { id, record } = running();
    const watched = watch(id);
    await expect.poll(() => watched.events.length).toBe(1);
    record.status = 'COMPLETED';
    const before = gets(id);
    const text = body(id);
    expect((await post(text, { 'x-cobalt-signature': sign(text, 'not-the-key') })).status).toBe(
      401,
    );
    expect((await post(text, { 'x-cobalt-signature': sign(`${text} `) })).status).toBe(401);
    expect((await post(text)).status).toBe(401);
    expect((await post(text, { 'x-cobalt-signature': 'zz' })).status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(gets(id)).toBe(before);
    expect(watched.events).toHaveLength(1);
    const metrics = await (await fetch(`${h.app.url}/metrics`)).text();
    expect(metrics).toMatch(/executions_webhooks_total\{provider="REFOLD",outcome="refused"\} 4/);
    expect(metrics).not.toContain(apiKey);
  });

  it('answers 413 to a body over 64 KiB, and 405 to anything but POST', async () => {
    const text = JSON.stringify({ pad: 'x'.repeat(70 * 1024) });
    expect((await post(text, { 'x-cobalt-signature': sign(text) })).status).toBe(413);
    const get = await fetch(`${h.app.url}${PATH}`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
  });

  it('ignores an unknown or unwatched execution, and a signed body that is no event, with 200 and no call', async () => {
    for (const text of [body('no-such-execution'), body(running().id), '{"hello":1}', 'not json']) {
      expect(await post(text, { 'x-cobalt-signature': sign(text) })).toEqual({
        status: 200,
        body: { status: 'ignored' },
      });
    }
    expect(h.sims.refold!.requests).toEqual([]);
  });

  it("fetches under the customer the webhook names: another customer's watch is not this one", async () => {
    const { id, record } = running();
    const watched = watch(id);
    await expect.poll(() => watched.events.length).toBe(1);
    record.status = 'COMPLETED';
    const text = body(id, 'someone-else');
    expect(await post(text, { 'x-cobalt-signature': sign(text) })).toEqual({
      status: 200,
      body: { status: 'ignored' },
    });
    expect(watched.events).toHaveLength(1);
  });
});

describe('REFOLD_WEBHOOK_PATH', () => {
  it('must be a path of its own', () => {
    const env = { ...simulatorEnv(h.sims) };
    for (const path of ['/graphql', '/metrics', '/favicon.ico', 'webhooks', '/a b']) {
      expect(() => loadConfig({ ...env, REFOLD_WEBHOOK_PATH: path }, providerSettings)).toThrow(
        ConfigError,
      );
    }
    expect(
      loadConfig({ ...env, REFOLD_WEBHOOK_PATH: PATH }, providerSettings).providers.get('refold')!
        .credentials.webhookPath,
    ).toBe(PATH);
  });

  it('unset, serves no webhook path', async () => {
    const plain = await startHarness();
    try {
      const response = await fetch(`${plain.app.url}${PATH}`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe("the Refold simulator's own webhooks", () => {
  it('a live execution that completes at Refold reaches its subscribers at once, by the webhook', async () => {
    const live = await startHarness(
      { REFOLD_WEBHOOK_PATH: PATH, WATCH_INTERVAL_MS: INTERVAL_MS },
      { stepMs: 300, liveFromFirstRead: true },
    );
    const refold = live.sims.refold as typeof live.sims.refold & {
      webhookUrl: string | undefined;
      webhooks: Array<{ id: string; status: number }>;
    };
    refold.webhookUrl = `${live.app.url}${PATH}`;
    const id = [...refold.live][0]!;
    const client = createClient({
      url: live.app.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: DEMO_HEADERS,
      retryAttempts: 0,
    });
    try {
      const states: string[] = [];
      const started = Date.now();
      await new Promise<void>((resolve, reject) => {
        client.subscribe<{ executionUpdated: { state: string } }>(
          { query: WATCH, variables: { id: `refold:${id}` } },
          {
            next: ({ data }) => void (data && states.push(data.executionUpdated.state)),
            error: reject,
            complete: resolve,
          },
        );
      });
      // Its whole lifecycle at 300 ms a step, where the next poll was a minute away.
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(states.at(-1)).toBe('SUCCEEDED');
      expect(refold.webhooks).toEqual([expect.objectContaining({ id, status: 200 })]);
      const metrics = await (await fetch(`${live.app.url}/metrics`)).text();
      expect(metrics).toMatch(
        /executions_watch_changes_total\{provider="REFOLD",source="webhook"\} 1/,
      );
    } finally {
      await client.dispose();
      await live.close();
    }
  });
});

describe('webhooks across replicas sharing Redis', () => {
  it('a webhook that reaches a replica not watching the execution has the polling replica fetch it now', async () => {
    const redis = await startRedisServer();
    const env = {
      REFOLD_WEBHOOK_PATH: PATH,
      WATCH_INTERVAL_MS: INTERVAL_MS,
      REDIS_URL: redis.url,
      CACHE_SIGNING_KEY: 'shared-key',
    };
    const one = await startHarness(env);
    const two = await startApp(
      loadConfig(
        { ...simulatorEnv(one.sims), ...env, PORT: '0', HOST: '127.0.0.1' },
        providerSettings,
      ),
      createLogger('silent'),
      { registry: providers },
    );
    const client = createClient({
      url: one.app.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: DEMO_HEADERS,
      retryAttempts: 0,
    });
    try {
      const seeded = one.sims.refold!.seeded.find(({ status }) => status === 'RUNNING')!;
      const states: string[] = [];
      const done = new Promise<void>((resolve, reject) => {
        client.subscribe<{ executionUpdated: { state: string } }>(
          { query: WATCH, variables: { id: `refold:${seeded.id}` } },
          {
            next: ({ data }) => void (data && states.push(data.executionUpdated.state)),
            error: reject,
            complete: resolve,
          },
        );
      });
      await expect.poll(() => states.length).toBe(1);
      // The poller has taken its lease and listens on its channel.
      await new Promise((resolve) => setTimeout(resolve, 300));
      (one.sims.refold!.records.get(seeded.id) as Record<string, unknown>).status = 'COMPLETED';
      const text = body(seeded.id);
      const sent = Date.now();
      const response = await fetch(`${two.url}${PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-cobalt-signature': createHmac('sha256', one.sims.refold!.credentials.apiKey!)
            .update(text)
            .digest('hex'),
        },
        body: text,
      });
      expect(await response.json()).toEqual({ status: 'forwarded' });
      await done;
      expect(Date.now() - sent).toBeLessThan(1000);
      expect(states).toEqual(['RUNNING', 'SUCCEEDED']);
    } finally {
      await client.dispose();
      await two.close();
      await one.close();
      await redis.close();
    }
  });
});
