import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { demoHeaders, simulatorEnv } from '../../src/demo.js';
import { startApp, type App } from '../../src/http/server.js';
import { providers, providerSettings } from '../../src/providers.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { minimalRecord, startHarness, type Harness } from '../harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const DEMO_HEADERS = await demoHeaders();

const FINISHED = 'durable:wf_report_9';
const RUNNING = 'durable:wf_root_1';
const QUERY = 'query ($ids: [ID!]!) { executions(ids: $ids) { id state } }';

let redis: RedisServer;
let h: Harness;

/** A second subgraph over the same simulators and Redis, with its own log lines. */
async function replica(env: Record<string, string> = {}) {
  const logs: Array<Record<string, unknown>> = [];
  const config = loadConfig(
    {
      ...simulatorEnv(h.sims),
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      ...env,
    },
    providerSettings,
  );
  const app = await startApp(
    config,
    createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line)) }),
    { registry: providers },
  );
  return { app, logs };
}

async function ask(app: App, ids: string[], headers: Record<string, string> = DEMO_HEADERS) {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: QUERY, variables: { ids } }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { data?: unknown; errors?: unknown[] },
  };
}

const gets = (key: string) => h.sims[key]!.requests.filter((request) => request.id !== null);

async function readyz(app: App) {
  return (await (await fetch(`${app.url}/readyz`)).json()) as { cache: { redis: string } };
}

async function redisHits(app: App): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return [
    ...text.matchAll(/^execution_cache_lookups_total\{tier="redis",[^}]*result="hit"\} (\d+)/gm),
  ]
    .map((match) => Number(match[1]))
    .reduce((a, b) => a + b, 0);
}

beforeAll(async () => {
  redis = await startRedisServer();
  h = await startHarness({ REDIS_URL: redis.url });
});
afterAll(async () => {
  await h?.close();
  await redis?.close();
});
beforeEach(async () => {
  h.reset();
  await redis.client.flushall();
});

describe('two replicas sharing one redis-server', () => {
  it('answer a finished execution fetched by one from the other with no upstream call', async () => {
    const other = await replica();
    try {
      expect((await ask(h.app, [FINISHED, RUNNING])).body.errors).toBeUndefined();
      expect(
        gets('durable')
          .map(({ id }) => id)
          .sort(),
      ).toEqual(['wf_report_9', 'wf_root_1']);
      // The write to Redis happens after the answer.
      await expect.poll(() => redis.client.dbsize()).toBe(1);
      const answer = await ask(other.app, [FINISHED, RUNNING]);
      expect(answer.body).toEqual({
        data: {
          executions: [
            { id: FINISHED, state: 'SUCCEEDED' },
            { id: RUNNING, state: 'RUNNING' },
          ],
        },
      });
      // The running one is fetched by each; the finished one only by the first.
      expect(
        gets('durable')
          .map(({ id }) => id)
          .sort(),
      ).toEqual(['wf_report_9', 'wf_root_1', 'wf_root_1']);
    } finally {
      await other.app.close();
    }
  });

  it('keep entries apart for different credentials, and keys hold no credential or customer id', async () => {
    const cloudshell = `cloudshell:${'E2A6C8F4-1B5D-4A9E-8C3F-7D6B4A2E9C15'}`;
    const refold = 'refold:674d2a10c1f3b2a9e0a10005';
    // The harness logs in with username and password; this replica uses the static token.
    const other = await replica({
      CLOUDSHELL_TOKEN: h.sims.cloudshell!.credentials.token!,
      CLOUDSHELL_USERNAME: '',
      CLOUDSHELL_PASSWORD: '',
      CLOUDSHELL_DOMAIN: '',
    });
    try {
      await ask(h.app, [cloudshell, refold]);
      await expect.poll(() => redis.client.dbsize()).toBe(2);
      await ask(other.app, [cloudshell]);
      expect(gets('cloudshell').filter(({ id }) => id !== null)).toHaveLength(2);
      await expect.poll(() => redis.client.dbsize()).toBe(3);
      const keys = await redis.client.keys('*');
      const secrets = [
        ...Object.values(h.sims).flatMap((sim) => Object.values(sim.credentials)),
        'demo-customer',
      ];
      for (const key of keys) {
        for (const secret of secrets) expect(key).not.toContain(secret);
      }
    } finally {
      await other.app.close();
    }
  });
});

describe('a Redis that fails', () => {
  it('answers every request while Redis is killed and back, says degraded, warns once, and uses it again', async () => {
    const replicaB = await replica();
    const ids = [FINISHED, 'durable:wf_billing_7', 'durable:wf_child_1a'];
    let failed = 0;
    let sent = 0;
    let degraded: { status: number; redis: string } | undefined;
    const started = Date.now();
    let phase: 'up' | 'down' | 'back' = 'up';
    let hitsBack = 0;
    try {
      while (Date.now() - started < 30_000) {
        const elapsed = Date.now() - started;
        if (phase === 'up' && elapsed > 5_000) {
          await redis.stop();
          phase = 'down';
        } else if (phase === 'down' && elapsed > 15_000) {
          const response = await fetch(`${replicaB.app.url}/readyz`);
          const body = (await response.json()) as { cache: { redis: string } };
          degraded = { status: response.status, redis: body.cache.redis };
          await redis.start();
          phase = 'back';
          hitsBack = await redisHits(replicaB.app);
        }
        // A replica whose own tier is empty has to ask Redis first.
        replicaB.app.cache!.clear();
        const answer = await ask(replicaB.app, ids);
        sent += 1;
        if (answer.status !== 200 || answer.body.errors) failed += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(sent).toBeGreaterThan(100);
      expect(failed).toBe(0);
      expect(degraded).toEqual({ status: 200, redis: 'degraded' });
      const warnings = replicaB.logs.filter((line) =>
        String(line.msg).startsWith('execution cache: Redis is unavailable'),
      );
      expect(warnings).toHaveLength(1);
      expect(await redisHits(replicaB.app)).toBeGreaterThan(hitsBack);
      expect((await readyz(replicaB.app)).cache.redis).toBe('ok');
    } finally {
      await replicaB.app.close();
      if (phase !== 'back') await redis.start();
    }
  }, 60_000);

  it('costs at most REDIS_TIMEOUT_MS per request while Redis sleeps', async () => {
    const replicaB = await replica({ REDIS_TIMEOUT_MS: '50' });
    try {
      await ask(replicaB.app, [FINISHED]);
      // DEBUG SLEEP holds the server for 5 s; the client asking for it gets its answer then.
      const sleeper = redis.client.call('DEBUG', 'SLEEP', '5');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const took: number[] = [];
      for (let i = 0; i < 5; i++) {
        replicaB.app.cache!.clear();
        const before = performance.now();
        const answer = await ask(replicaB.app, [FINISHED]);
        took.push(performance.now() - before);
        expect(answer.body.errors).toBeUndefined();
      }
      await sleeper;
      // 50 ms for Redis, and the simulator's answer: far below the 5 s the server sleeps.
      expect(Math.max(...took)).toBeLessThan(1000);
    } finally {
      await replicaB.app.close();
    }
  }, 20_000);

  it('skips a port that is not Redis, and says degraded', async () => {
    const notRedis: Server = createServer((_, res) => res.end('HTTP/1.1 is not RESP'));
    await new Promise<void>((resolve) => notRedis.listen(0, '127.0.0.1', resolve));
    const { port } = notRedis.address() as AddressInfo;
    const replicaB = await replica({ REDIS_URL: `redis://127.0.0.1:${port}/0` });
    try {
      for (let i = 0; i < 3; i++) {
        replicaB.app.cache!.clear();
        expect((await ask(replicaB.app, [FINISHED])).body.errors).toBeUndefined();
      }
      expect(await readyz(replicaB.app)).toMatchObject({ cache: { redis: 'degraded' } });
    } finally {
      await replicaB.app.close();
      notRedis.closeAllConnections();
      await new Promise((resolve) => notRedis.close(resolve));
    }
  });

  it('skips an entry that is not a valid execution and asks the provider', async () => {
    await ask(h.app, [FINISHED]);
    await expect.poll(() => redis.client.dbsize()).toBe(1);
    const [key] = await redis.client.keys('*');
    await redis.client.set(key!, '{"id": 42}');
    h.app.cache!.clear();
    h.sims.durable!.requests.length = 0;
    const answer = await ask(h.app, [FINISHED]);
    expect(answer.body).toEqual({ data: { executions: [{ id: FINISHED, state: 'SUCCEEDED' }] } });
    expect(gets('durable')).toHaveLength(1);
  });

  it('keeps what a finished execution changed to only after the provider says so', async () => {
    // A record that finishes later is fetched each time until then, and cached from then on.
    h.sims.durable!.records.set('late', minimalRecord('durable', 'late', 'running'));
    await ask(h.app, ['durable:late']);
    h.sims.durable!.records.set('late', minimalRecord('durable', 'late', 'completed'));
    await ask(h.app, ['durable:late']);
    await ask(h.app, ['durable:late']);
    expect(gets('durable')).toHaveLength(2);
  });
});
