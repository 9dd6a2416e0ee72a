import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { demoHeaders, simulatorEnv } from '../../src/demo.js';
import { RedisSigner } from '../../src/cache/signing.js';
import { startApp, type App } from '../../src/http/server.js';
import { providers, providerSettings } from '../../src/providers.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { minimalRecord, startHarness, type Harness } from '../harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const DEMO_HEADERS = await demoHeaders();

const FINISHED = 'durable:wf_report_9';
const RUNNING = 'durable:wf_root_1';
const QUERY = 'query ($ids: [ID!]!) { executions(ids: $ids) { id state } }';
/** The harness's and, unless told otherwise, each replica's: values in Redis are signed. */
const SIGNING_KEY = 'test-cache-signing-key-8c1f0e';
const durable = providers.find(({ datasource }) => datasource.key === 'durable')!.datasource;
const NOT_SIGNED = 'is not signed with this service';
const UNTRUSTED = 'a shared Redis must be trusted';

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
      CACHE_SIGNING_KEY: SIGNING_KEY,
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

/** Until `app`'s Redis connection is up: before it, lookups skip Redis. */
async function connected(app: App): Promise<void> {
  await expect.poll(async () => (await readyz(app)).cache.redis).toBe('ok');
}

async function redisHits(app: App): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  return [
    ...text.matchAll(/^execution_cache_lookups_total\{tier="redis",[^}]*result="hit"\} (\d+)/gm),
  ]
    .map((match) => Number(match[1]))
    .reduce((a, b) => a + b, 0);
}

/** `executions_redis_rejected_total` of `kind` and `reason`, 0 before the first. */
async function rejected(app: App, kind: string, reason: string): Promise<number> {
  const text = await (await fetch(`${app.url}/metrics`)).text();
  const line = new RegExp(
    `^executions_redis_rejected_total\\{kind="${kind}",reason="${reason}"\\} (\\d+)`,
    'm',
  ).exec(text);
  return line ? Number(line[1]) : 0;
}

const logged = (logs: Array<Record<string, unknown>>, text: string) =>
  logs.filter((line) => String(line.msg).includes(text));

/** The Redis key the subgraph wrote for `nativeId` of the durable provider, and its value. */
async function stored(nativeId: string): Promise<{ key: string; value: string }> {
  const keys = await redis.client.keys(`*:${nativeId}`);
  expect(keys).toHaveLength(1);
  return { key: keys[0]!, value: (await redis.client.get(keys[0]!))! };
}

beforeAll(async () => {
  redis = await startRedisServer();
  h = await startHarness({ REDIS_URL: redis.url, CACHE_SIGNING_KEY: SIGNING_KEY });
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
      // Before its connection is up a replica skips Redis (and asks the provider): on a busy
      // machine that could be the first ask.
      await connected(h.app);
      await connected(other.app);
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
    // Killed, not slow (the next test is about slow): on a loaded machine the restarted Redis's
    // first answers can pass 50 ms, and each would count as an outage of its own.
    const replicaB = await replica({ REDIS_TIMEOUT_MS: '1000' });
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
      expect(warnings, JSON.stringify(warnings)).toHaveLength(1);
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

  it('skips an entry that is not a valid execution, though correctly signed, and asks the provider', async () => {
    await ask(h.app, [FINISHED]);
    await expect.poll(() => redis.client.dbsize()).toBe(1);
    const { key } = await stored('wf_report_9');
    await redis.client.set(key, new RedisSigner(SIGNING_KEY).seal(key, '{"id": 42}'));
    const fresh = await replica();
    try {
      await connected(fresh.app);
      h.sims.durable!.requests.length = 0;
      const answer = await ask(fresh.app, [FINISHED]);
      expect(answer.body).toEqual({ data: { executions: [{ id: FINISHED, state: 'SUCCEEDED' }] } });
      expect(gets('durable')).toHaveLength(1);
      expect(await rejected(fresh.app, 'cache', 'shape')).toBe(1);
      expect(await rejected(fresh.app, 'cache', 'signature')).toBe(0);
      expect(logged(fresh.logs, 'is not a valid execution')).toHaveLength(1);
    } finally {
      await fresh.app.close();
    }
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

describe('values signed for their key', () => {
  it('keys are versioned executions:v2, and a value is <mac>.<json> with no secret in it', async () => {
    await ask(h.app, [FINISHED]);
    await expect.poll(() => redis.client.dbsize()).toBe(1);
    const { key, value } = await stored('wf_report_9');
    expect(key).toMatch(/^executions:v2:durable:[0-9a-f]{32}:wf_report_9$/);
    expect(value).toMatch(/^[A-Za-z0-9_-]{43}\.\{/);
    expect(JSON.parse(value.slice(44))).toMatchObject({ id: 'wf_report_9', status: 'completed' });
    expect(new RedisSigner(SIGNING_KEY).open(key, value)).toBe(value.slice(44));
    for (const text of [key, value]) expect(text).not.toContain(SIGNING_KEY);
  });

  it('does not serve a planted value of a valid shape with a wrong HMAC: the provider is asked, it is counted, one warning', async () => {
    await ask(h.app, [FINISHED, 'durable:wf_billing_7']);
    await expect.poll(() => redis.client.dbsize()).toBe(2);
    // Both tampered with: a finished execution that says it failed, with the MAC it had, and
    // the other with a MAC made with a key that is not the service's.
    const report = await stored('wf_report_9');
    const tampered = report.value.replace('"status":"completed"', '"status":"failed"');
    expect(tampered).not.toBe(report.value);
    expect(durable.shape.safeParse(JSON.parse(tampered.slice(44))).success).toBe(true);
    await redis.client.set(report.key, tampered);
    const billing = await stored('wf_billing_7');
    const forged = new RedisSigner('not-the-key').seal(billing.key, billing.value.slice(44));
    await redis.client.set(
      billing.key,
      forged.replace('"status":"failed"', '"status":"completed"'),
    );

    const fresh = await replica();
    try {
      await connected(fresh.app);
      h.sims.durable!.requests.length = 0;
      const answer = await ask(fresh.app, [FINISHED]);
      expect(answer.body).toEqual({ data: { executions: [{ id: FINISHED, state: 'SUCCEEDED' }] } });
      expect(gets('durable').map(({ id }) => id)).toEqual(['wf_report_9']);
      expect(await rejected(fresh.app, 'cache', 'signature')).toBe(1);
      expect(await redisHits(fresh.app)).toBe(0);
      const again = await ask(fresh.app, ['durable:wf_billing_7']);
      expect(again.body).toEqual({
        data: { executions: [{ id: 'durable:wf_billing_7', state: 'FAILED' }] },
      });
      expect(gets('durable').map(({ id }) => id)).toEqual(['wf_report_9', 'wf_billing_7']);
      expect(await rejected(fresh.app, 'cache', 'signature')).toBe(2);
      // One line however many: no key, no value, no id, no secret in it.
      const warnings = logged(fresh.logs, NOT_SIGNED);
      expect(warnings).toHaveLength(1);
      const line = JSON.stringify(warnings[0]);
      for (const text of ['wf_report_9', 'wf_billing_7', 'executions:', SIGNING_KEY]) {
        expect(line).not.toContain(text);
      }
      expect(warnings[0]).toMatchObject({ level: 40, reason: 'signature' });
    } finally {
      await fresh.app.close();
    }
  });

  it("rejects a value copied from one execution's key to another's", async () => {
    await ask(h.app, [FINISHED, 'durable:wf_billing_7']);
    await expect.poll(() => redis.client.dbsize()).toBe(2);
    const report = await stored('wf_report_9');
    const billing = await stored('wf_billing_7');
    // A value the service signed, under the key of another execution.
    await redis.client.set(report.key, billing.value);
    const fresh = await replica();
    try {
      await connected(fresh.app);
      h.sims.durable!.requests.length = 0;
      const answer = await ask(fresh.app, [FINISHED, 'durable:wf_billing_7']);
      expect(answer.body).toEqual({
        data: {
          executions: [
            { id: FINISHED, state: 'SUCCEEDED' },
            { id: 'durable:wf_billing_7', state: 'FAILED' },
          ],
        },
      });
      expect(gets('durable').map(({ id }) => id)).toEqual(['wf_report_9']);
      expect(await rejected(fresh.app, 'cache', 'signature')).toBe(1);
      expect(await redisHits(fresh.app)).toBe(1);
    } finally {
      await fresh.app.close();
    }
  });

  it('serves a value signed with the same key from another app, and rejects it with a different key', async () => {
    const same = await replica();
    const different = await replica({ CACHE_SIGNING_KEY: 'a-different-signing-key' });
    try {
      for (const r of [same, different]) await connected(r.app);
      await ask(h.app, [FINISHED]);
      await expect.poll(() => redis.client.dbsize()).toBe(1);
      h.sims.durable!.requests.length = 0;

      const served = await ask(same.app, [FINISHED]);
      expect(served.body).toEqual({ data: { executions: [{ id: FINISHED, state: 'SUCCEEDED' }] } });
      expect(gets('durable')).toHaveLength(0);
      expect(await redisHits(same.app)).toBe(1);
      expect(await rejected(same.app, 'cache', 'signature')).toBe(0);

      const refused = await ask(different.app, [FINISHED]);
      expect(refused.body).toEqual({
        data: { executions: [{ id: FINISHED, state: 'SUCCEEDED' }] },
      });
      expect(gets('durable')).toHaveLength(1);
      expect(await redisHits(different.app)).toBe(0);
      expect(await rejected(different.app, 'cache', 'signature')).toBe(1);
      expect(logged(different.logs, NOT_SIGNED)).toHaveLength(1);
      // Neither says Redis must be trusted: both sign.
      for (const r of [same, different]) expect(logged(r.logs, UNTRUSTED)).toHaveLength(0);
    } finally {
      await same.app.close();
      await different.app.close();
    }
  });

  it('without a signing key: one start-up warning, values written and read unsigned (shape-checked), and a keyed app rejects them', async () => {
    const unsignedA = await replica({ CACHE_SIGNING_KEY: '' });
    const unsignedB = await replica({ CACHE_SIGNING_KEY: '' });
    try {
      for (const r of [unsignedA, unsignedB]) await connected(r.app);
      for (const r of [unsignedA, unsignedB]) {
        const warnings = logged(r.logs, UNTRUSTED);
        expect(warnings).toHaveLength(1);
        expect(String(warnings[0]!.msg)).toContain('CACHE_SIGNING_KEY or ROUTER_SECRET');
      }
      await ask(unsignedA.app, [FINISHED, 'durable:wf_billing_7']);
      await expect.poll(() => redis.client.dbsize()).toBe(2);
      const report = await stored('wf_report_9');
      expect(report.key).toMatch(/^executions:v2:durable:[0-9a-f]{32}:wf_report_9$/);
      expect(JSON.parse(report.value)).toMatchObject({ id: 'wf_report_9', status: 'completed' });
      // Still shape-checked: an entry that is no execution is skipped.
      const billing = await stored('wf_billing_7');
      await redis.client.set(billing.key, '{"id": 42}');
      h.sims.durable!.requests.length = 0;

      const answer = await ask(unsignedB.app, [FINISHED, 'durable:wf_billing_7']);
      expect(answer.body).toEqual({
        data: {
          executions: [
            { id: FINISHED, state: 'SUCCEEDED' },
            { id: 'durable:wf_billing_7', state: 'FAILED' },
          ],
        },
      });
      expect(gets('durable').map(({ id }) => id)).toEqual(['wf_billing_7']);
      expect(await redisHits(unsignedB.app)).toBe(1);
      expect(await rejected(unsignedB.app, 'cache', 'shape')).toBe(1);
      expect(logged(unsignedB.logs, UNTRUSTED)).toHaveLength(1);

      // An unsigned value is not served by an app that signs.
      const signed = await replica();
      try {
        await connected(signed.app);
        expect(logged(signed.logs, UNTRUSTED)).toHaveLength(0);
        h.sims.durable!.requests.length = 0;
        await ask(signed.app, [FINISHED]);
        expect(gets('durable')).toHaveLength(1);
        expect(await rejected(signed.app, 'cache', 'signature')).toBe(1);
      } finally {
        await signed.app.close();
      }
    } finally {
      await unsignedA.app.close();
      await unsignedB.app.close();
    }
  });
});
