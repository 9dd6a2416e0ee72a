import { createClient, type Client } from 'graphql-ws';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { demoHeaders } from '../../../src/demo.js';
import { startApp, type App } from '../../../src/http/server.js';
import type { DurableExtension } from '../../../src/simulators/durable.js';
import { startHarness, type Harness } from '../../harness.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';
import { ConfigError, loadConfig } from '../../../src/config.js';
import { simulatorEnv } from '../../../src/demo.js';
import { providers, providerSettings } from '../../../src/providers.js';
import { createLogger } from '../../../src/telemetry/logger.js';

const DEMO_HEADERS = await demoHeaders();
const WATCH = 'subscription ($id: ID!) { executionUpdated(id: $id) { id state providerStatus } }';
/** The seeded tree: a running root, a running child, and its pending grandchild. */
const TREE = ['wf_root_1', 'wf_child_1b', 'wf_grandchild_1b1'];
/** Long: a change that arrives sooner came by the stream, not by a timed poll. */
const MINUTE = '60000';

type Durable = Harness['sims'][string] & DurableExtension;

const clients: Client[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
});

/** One subscriber of `id` at `url`: the states it was sent, and its end. */
function watch(url: string, id: string) {
  const client = createClient({
    url: url.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: DEMO_HEADERS,
    retryAttempts: 0,
  });
  clients.push(client);
  const states: string[] = [];
  const done = new Promise<void>((resolve, reject) => {
    client.subscribe<{ executionUpdated: { state: string; providerStatus: string } }>(
      { query: WATCH, variables: { id: `durable:${id}` } },
      {
        next: ({ data }) => void (data && states.push(data.executionUpdated.providerStatus)),
        error: reject,
        complete: resolve,
      },
    );
  });
  return { states, done };
}

function durableOf(h: Harness): Durable {
  return h.sims.durable as Durable;
}

/** GETs of execution `id` the engine received. */
function gets(h: Harness, id: string): number {
  return durableOf(h).requests.filter((r) => r.method === 'GET' && r.id === id).length;
}

/** The stream calls' URLs the engine received. */
function streamUrls(h: Harness): string[] {
  return durableOf(h)
    .requests.filter((r) => r.url.startsWith('/api/v1/events/stream'))
    .map((r) => r.url);
}

function setStatus(h: Harness, id: string, status: string): void {
  (durableOf(h).records.get(id) as { status: string }).status = status;
}

async function metricsOf(url: string): Promise<string> {
  return (await fetch(`${url}/metrics`)).text();
}

/** Every subscriber's first answer came: the watches (and the stream) are set up. */
async function watching(url: string, ids: readonly string[]) {
  const watched = ids.map((id) => watch(url, id));
  await expect.poll(() => watched.every(({ states }) => states.length === 1)).toBe(true);
  return watched;
}

describe("the durable engine's event stream", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      WATCH_INTERVAL_MS: MINUTE,
      WATCH_MAX_INTERVAL_MS: MINUTE,
      WATCH_STREAM_IDLE_MS: '400',
    });
  });
  afterAll(async () => {
    await h?.close();
  });
  beforeEach(() => {
    // Well within WATCH_STREAM_IDLE_MS: an open stream never looks hung unless it is.
    durableOf(h).keepaliveMs = 100;
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    await expect.poll(() => durableOf(h).streamsOpen).toBe(0);
    h.reset();
  });

  it('reaches the subscribers of every watched execution of its tree: one stream, one fetch of each per event', async () => {
    const [root, child, grandchild] = await watching(h.app.url, TREE);
    await expect.poll(() => durableOf(h).streamsOpen).toBe(1);
    expect(streamUrls(h)).toEqual([
      '/api/v1/events/stream?workflow_id=order-fulfilment&workflow_run_id=wf_root_1',
    ]);
    // The stream's stored events, when it opened, made one fetch round.
    await expect.poll(() => gets(h, 'wf_grandchild_1b1')).toBe(2);
    const before = TREE.map((id) => gets(h, id));
    const changed = Date.now();
    setStatus(h, 'wf_grandchild_1b1', 'running');
    await expect.poll(() => grandchild!.states).toEqual(['pending', 'running']);
    // A minute before the next timed poll: the stream told.
    expect(Date.now() - changed).toBeLessThan(2000);
    await expect.poll(() => TREE.map((id) => gets(h, id))).toEqual(before.map((n) => n + 1));
    expect(root!.states).toEqual(['running']);
    expect(child!.states).toEqual(['running']);
    setStatus(h, 'wf_root_1', 'completed');
    await root!.done;
    expect(root!.states).toEqual(['running', 'completed']);
    const metrics = await metricsOf(h.app.url);
    expect(metrics).toMatch(
      /executions_watch_changes_total\{provider="DURABLE_WORKFLOW",source="stream"\} 2/,
    );
    expect(metrics).toMatch(/executions_watch_streams_open\{provider="DURABLE_WORKFLOW"\} 1/);
    expect(durableOf(h).streamCalls).toBe(1);
  });

  it('keepalives cost nothing: no fetch, no event', async () => {
    const [root] = await watching(h.app.url, ['wf_root_1']);
    await expect.poll(() => durableOf(h).streamsOpen).toBe(1);
    await expect.poll(() => gets(h, 'wf_root_1')).toBe(2);
    durableOf(h).keepaliveMs = 20;
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(gets(h, 'wf_root_1')).toBe(2);
    expect(root!.states).toEqual(['running']);
    // Keepalives kept it from hanging (WATCH_STREAM_IDLE_MS 400).
    expect(durableOf(h).streamCalls).toBe(1);
  });

  it('an error frame (the root failed) ends the stream: its watchers are told, and it is opened again from the last sequence id', async () => {
    const [root, child] = await watching(h.app.url, ['wf_root_1', 'wf_child_1b']);
    await expect.poll(() => durableOf(h).streamsOpen).toBe(1);
    await expect.poll(() => gets(h, 'wf_child_1b')).toBe(2);
    setStatus(h, 'wf_root_1', 'failed');
    await root!.done;
    expect(root!.states).toEqual(['running', 'failed']);
    // Opened again (after 100 ms), from where it stopped; the engine ends it again at once.
    await expect.poll(() => streamUrls(h).length).toBeGreaterThanOrEqual(2);
    expect(streamUrls(h)[1]).toMatch(/&last_sequence_id=\d+$/);
    expect(child!.states).toEqual(['running']);
    expect(await metricsOf(h.app.url)).toMatch(
      /executions_watch_stream_reconnects_total\{provider="DURABLE_WORKFLOW"\} [1-9]/,
    );
  });

  it('a stream that ends or is cut is opened again from its last sequence id, and misses no change', async () => {
    const [grandchild] = await watching(h.app.url, ['wf_grandchild_1b1']);
    await expect.poll(() => durableOf(h).streamsOpen).toBe(1);
    durableOf(h).cutStreams();
    setStatus(h, 'wf_grandchild_1b1', 'running');
    await expect.poll(() => grandchild!.states).toEqual(['pending', 'running']);
    await expect.poll(() => durableOf(h).streamsOpen).toBe(1);
    const [, second] = streamUrls(h);
    expect(second).toMatch(/&last_sequence_id=\d+$/);
    setStatus(h, 'wf_grandchild_1b1', 'completed');
    await grandchild!.done;
    expect(grandchild!.states).toEqual(['pending', 'running', 'completed']);
  });

  it('a stream that hangs (no frame within WATCH_STREAM_IDLE_MS) is detected and opened again', async () => {
    await watching(h.app.url, ['wf_root_1']);
    await expect.poll(() => durableOf(h).streamsOpen).toBe(1);
    durableOf(h).hangStreams(true);
    const hung = Date.now();
    await expect.poll(() => durableOf(h).streamCalls, { timeout: 3000 }).toBe(2);
    // 400 ms of silence, then 100 ms of backoff.
    expect(Date.now() - hung).toBeGreaterThanOrEqual(400);
    expect(Date.now() - hung).toBeLessThan(1500);
  });

  it('while it is down, timed polls cover it', async () => {
    const polled = await startHarness({ WATCH_INTERVAL_MS: '200', WATCH_MAX_INTERVAL_MS: MINUTE });
    durableOf(polled).keepaliveMs = 50;
    try {
      watch(polled.app.url, 'wf_child_1b');
      await expect.poll(() => durableOf(polled).streamsOpen).toBe(1);
      await expect.poll(() => gets(polled, 'wf_child_1b')).toBe(2);
      // Up: no timed poll for a minute.
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(gets(polled, 'wf_child_1b')).toBe(2);
      // Down (every open refused): polls 200 ms later, then backing off as without a stream.
      durableOf(polled).inject({ kind: 'status', status: 503 }, { on: 'stream', times: Infinity });
      durableOf(polled).cutStreams();
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(gets(polled, 'wf_child_1b')).toBeGreaterThanOrEqual(4);
      expect(durableOf(polled).streamCalls).toBeGreaterThanOrEqual(3);
    } finally {
      await Promise.all(clients.splice(0).map((client) => client.dispose()));
      await polled.close();
    }
  });

  it('DURABLE_WORKFLOW_EVENTS=false: no stream, polling as before', async () => {
    const off = await startHarness({
      DURABLE_WORKFLOW_EVENTS: 'false',
      WATCH_INTERVAL_MS: '100',
      WATCH_MAX_INTERVAL_MS: '100',
    });
    try {
      const [grandchild] = await watching(off.app.url, ['wf_grandchild_1b1']);
      setStatus(off, 'wf_grandchild_1b1', 'running');
      await expect.poll(() => grandchild!.states).toEqual(['pending', 'running']);
      expect(durableOf(off).streamCalls).toBe(0);
      expect(await metricsOf(off.app.url)).toMatch(
        /executions_watch_changes_total\{provider="DURABLE_WORKFLOW",source="poll"\} 1/,
      );
    } finally {
      await Promise.all(clients.splice(0).map((client) => client.dispose()));
      await off.close();
    }
  });
});

describe('DURABLE_WORKFLOW_EVENTS and WATCH_STREAM_IDLE_MS', () => {
  it('take true or false, and a time; anything else stops start-up naming them', () => {
    const env = { DURABLE_WORKFLOW_URL: 'http://127.0.0.1:1', DURABLE_WORKFLOW_TOKEN: 't' };
    expect(() => loadConfig({ ...env, DURABLE_WORKFLOW_EVENTS: 'no' }, providerSettings)).toThrow(
      /DURABLE_WORKFLOW_EVENTS must be true or false/,
    );
    expect(() => loadConfig({ ...env, WATCH_STREAM_IDLE_MS: '5' }, providerSettings)).toThrow(
      ConfigError,
    );
    const config = loadConfig({ ...env, DURABLE_WORKFLOW_EVENTS: 'false' }, providerSettings);
    expect(config.providers.get('durable')!.credentials.events).toBe('false');
    expect(loadConfig(env, providerSettings).watch.streamIdleMs).toBe(45_000);
  });
});

describe('event streams across replicas sharing Redis', () => {
  let redis: RedisServer;
  let h: Harness;
  let other: App;
  beforeAll(async () => {
    redis = await startRedisServer();
    const env = {
      WATCH_INTERVAL_MS: '300',
      WATCH_MAX_INTERVAL_MS: MINUTE,
      REDIS_URL: redis.url,
      CACHE_SIGNING_KEY: 'shared-key',
    };
    h = await startHarness(env);
    other = await startApp(
      loadConfig(
        { ...simulatorEnv(h.sims), PORT: '0', HOST: '127.0.0.1', ...env },
        providerSettings,
      ),
      createLogger('silent'),
      { registry: providers },
    );
  });
  afterAll(async () => {
    await Promise.all(clients.splice(0).map((client) => client.dispose()));
    await other?.close();
    await h?.close();
    await redis?.close();
  });

  it("hold one stream per root, and its events reach both replicas' subscribers, each execution fetched once", async () => {
    const [root] = await watching(h.app.url, ['wf_root_1']);
    const [grandchild, rootThere] = await watching(other.url, ['wf_grandchild_1b1', 'wf_root_1']);
    await expect.poll(() => durableOf(h).streamsOpen).toBe(1);
    // Some lease rounds: still one.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(durableOf(h).streamsOpen).toBe(1);
    expect(durableOf(h).streamCalls).toBe(1);
    const before = gets(h, 'wf_grandchild_1b1');
    setStatus(h, 'wf_grandchild_1b1', 'running');
    await expect.poll(() => grandchild!.states).toEqual(['pending', 'running']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(gets(h, 'wf_grandchild_1b1')).toBe(before + 1);
    setStatus(h, 'wf_root_1', 'completed');
    await Promise.all([root!.done, rootThere!.done]);
    expect(root!.states).toEqual(['running', 'completed']);
    expect(rootThere!.states).toEqual(['running', 'completed']);
  });
});
