import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RedisSigner, signerOf } from '../../../src/cache/signing.js';
import { demoHeaders, simulatorEnv, startSimulators } from '../../../src/demo.js';
import { SharedPolls, type SharedAnswer } from '../../../src/executions/watch/shared-polls.js';
import { providers } from '../../../src/providers.js';
import { closeAll, type SimulatorSet } from '../../../src/simulators/index.js';
import { createLogger } from '../../../src/telemetry/logger.js';
import { minimalRecord } from '../../harness.js';
import { startRedisServer, type RedisServer } from '../../support/redis-server.js';

const DEMO_HEADERS = await demoHeaders();

// Two subgraph processes (src/main.ts through tsx: the code under test, as a process of its
// own, so that one can die) over the same simulators and one real redis-server.
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const INTERVAL_MS = 150;
const KEY = 'payment';
const provider = providers.find(({ datasource }) => datasource.key === KEY)!;
const LIFECYCLE = (await provider.simulator()).lifecycle!;
const WATCH = 'subscription ($id: ID!) { executionUpdated(id: $id) { id state providerStatus } }';
// The environment without any provider configuration or secret of the machine running the tests.
const BASE_ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) =>
      !/_(URL|TOKEN|API_KEY|PASSWORD)$/.test(name) &&
      !['CACHE_SIGNING_KEY', 'ROUTER_SECRET'].includes(name),
  ),
);
/** Both processes': what they share in Redis is signed. */
const SIGNING_KEY = 'test-poller-signing-key-41d7';

interface Replica {
  child: ChildProcess;
  url: string;
  logs: Array<Record<string, unknown>>;
}

interface Watch {
  events: Array<{ data?: any; errors?: unknown[] }>;
  done: Promise<void>;
  /** Leaves the subscription (the client's `complete`), as a closed browser tab would. */
  leave(): void;
}

let sims: SimulatorSet;
let redis: RedisServer;
let a: Replica;
let b: Replica;
const clients: Client[] = [];

async function replica(env: Record<string, string> = {}): Promise<Replica> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...BASE_ENV,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      ...simulatorEnv(sims),
      REDIS_URL: redis.url,
      CACHE_SIGNING_KEY: SIGNING_KEY,
      WATCH_INTERVAL_MS: String(INTERVAL_MS),
      WATCH_MAX_INTERVAL_MS: String(INTERVAL_MS),
      // A holder killed during a call is replaced once the call's deadline has passed.
      [`${provider.datasource.env}_TIMEOUT_MS`]: '1000',
      // A lease check given up (a pause of the child on a loaded machine) would make it poll too.
      REDIS_TIMEOUT_MS: '1000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: Array<Record<string, unknown>> = [];
  const url = new Promise<string>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the subgraph exited (${code}) before it listened`)),
    );
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      if (typeof entry.graphql === 'string') resolve(entry.graphql);
    });
  });
  return { child, url: await url, logs };
}

function watch(on: Replica, id: string): Watch {
  const client = createClient({
    url: on.url.replace('http', 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: DEMO_HEADERS,
    retryAttempts: 0,
  });
  clients.push(client);
  const events: Watch['events'] = [];
  let leave = () => undefined as void;
  const done = new Promise<void>((resolve, reject) => {
    leave = client.subscribe(
      { query: WATCH, variables: { id } },
      {
        next: (event) => void events.push(event as Watch['events'][number]),
        complete: resolve,
        error: reject,
      },
    );
  });
  return { events, done, leave: () => leave() };
}

/** A new running execution at the simulator, its global id, and the GETs made for it so far. */
function execution(native: string) {
  sims[KEY]!.records.set(native, minimalRecord(KEY, native, LIFECYCLE[0]!));
  return {
    id: `${KEY}:${native}`,
    polls: () => sims[KEY]!.requests.filter((request) => request.id === native).length,
    advance: () => sims[KEY]!.advance(native),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const statuses = (w: Watch) => w.events.map((event) => event.data?.executionUpdated.providerStatus);
const logged = (r: Replica, text: string) =>
  r.logs.filter((line) => String(line.msg).includes(text)).length;

/** `executions_redis_rejected_total{kind="poller"}` of a process, by reason. */
async function rejected(r: Replica): Promise<{ signature: number; shape: number }> {
  const text = await (await fetch(new URL('/metrics', r.url))).text();
  const count = (reason: string) =>
    Number(
      new RegExp(
        `^executions_redis_rejected_total\\{kind="poller",reason="${reason}"\\} (\\d+)`,
        'm',
      ).exec(text)?.[1] ?? 0,
    );
  return { signature: count('signature'), shape: count('shape') };
}

/** Moves the execution through the rest of its lifecycle, each step once every watch has it. */
async function stepToTheEnd(run: { advance(): boolean }, watches: Watch[]): Promise<void> {
  while (run.advance()) {
    const seen = Math.min(...watches.map((w) => w.events.length));
    await expect
      .poll(() => watches.every((w) => w.events.length > seen), { timeout: 3000 })
      .toBe(true);
  }
  await Promise.all(watches.map((w) => w.done));
}

/** GETs made for an execution during ten intervals. */
async function pollsInTen(polls: () => number): Promise<number> {
  const start = polls();
  await sleep(INTERVAL_MS * 10);
  return polls() - start;
}

beforeAll(async () => {
  sims = await startSimulators();
  redis = await startRedisServer();
  // b has no cache of finished executions: replicas share pollers through REDIS_URL all the same.
  [a, b] = await Promise.all([replica(), replica({ CACHE_TTL_SECONDS: '0' })]);
}, 60_000);

afterAll(async () => {
  for (const client of clients) await client.dispose();
  for (const r of [a, b]) {
    if (r && r.child.exitCode === null && r.child.signalCode === null) {
      const exited = once(r.child, 'exit');
      r.child.kill('SIGTERM');
      await exited;
    }
  }
  await redis?.close();
  if (sims) await closeAll(sims);
});

describe('two subgraph processes sharing Redis', () => {
  it('poll an execution watched on both once per interval in total, and both see every change', async () => {
    const run = execution('shared-1');
    const watches = [watch(a, run.id), watch(a, run.id), watch(b, run.id), watch(b, run.id)];
    await expect
      .poll(() => watches.map((w) => w.events.length).join(''), { timeout: 5000 })
      .toBe('1111');
    // The follower's one poll of its own once it listens (see Poller.tick) is over by then.
    await sleep(INTERVAL_MS * 2);
    // One process alone polls once per interval; two without sharing would poll about 20 times.
    const inTen = await pollsInTen(run.polls);
    expect(inTen).toBeGreaterThanOrEqual(6);
    expect(inTen).toBeLessThanOrEqual(11);

    // Redis names hold digests only: no native id in the lease key or the channel.
    const names = [
      ...(await redis.client.keys('watch:*')),
      ...((await redis.client.pubsub('CHANNELS', 'watch:*')) as string[]),
    ];
    expect(names.length).toBeGreaterThanOrEqual(2);
    for (const name of names) expect(name).toMatch(/^watch:v2:(lease|answers):[0-9a-f]{32}$/);

    for (let step = 1; step < LIFECYCLE.length; step++) {
      run.advance();
      await expect
        .poll(() => watches.map((w) => w.events.length).join(''), { timeout: 3000 })
        .toBe(String(step + 1).repeat(4));
    }
    await Promise.all(watches.map((w) => w.done));
    for (const w of watches) expect(statuses(w)).toEqual(LIFECYCLE);
    // The terminal answer released the lease.
    await expect.poll(() => redis.client.keys('watch:v2:lease:*')).toEqual([]);
  });

  it('ignores a message on the channel that is not an answer or not signed for it, counts it, with one log line, and keeps going', async () => {
    const run = execution('shared-garbage');
    const watches = [watch(a, run.id), watch(b, run.id)];
    await expect
      .poll(() => watches.map((w) => w.events.length).join(''), { timeout: 5000 })
      .toBe('11');
    await expect.poll(() => redis.client.pubsub('CHANNELS', 'watch:v2:answers:*')).toHaveLength(1);
    const [channel] = (await redis.client.pubsub('CHANNELS', 'watch:v2:answers:*')) as string[];
    const before = await Promise.all([a, b].map(rejected));
    // The execution's next answer, of a valid shape: served, it would be an event.
    const next = minimalRecord(KEY, 'shared-garbage', LIFECYCLE[1]!);
    expect(provider.datasource.shape.safeParse(next).success).toBe(true);
    const planted = JSON.stringify({ v: 2, from: 'elsewhere', raw: next });
    const signer = new RedisSigner(SIGNING_KEY);
    const bad = [
      // Not JSON; not our message; our message unsigned; with a MAC that is not its MAC; signed
      // with another key; signed with ours for another channel.
      'not json {',
      JSON.stringify({ v: 2, hello: 'world' }),
      planted,
      `${'A'.repeat(43)}.${planted}`,
      new RedisSigner('not-the-key').seal(channel!, planted),
      signer.seal('watch:v2:answers:0123456789abcdef0123456789abcdef', planted),
    ];
    const misshapen = [
      // Signed with our key for this channel: the old format, and a body that is no execution.
      signer.seal(channel!, JSON.stringify({ v: 1, from: 'elsewhere', raw: next })),
      signer.seal(
        channel!,
        JSON.stringify({ v: 2, from: 'elsewhere', raw: { id: 'shared-garbage', status: 42 } }),
      ),
    ];
    for (const message of [...bad, ...misshapen]) await redis.client.publish(channel!, message);
    for (const [i, r] of [a, b].entries()) {
      await expect
        .poll(() => rejected(r))
        .toEqual({
          signature: before[i]!.signature + bad.length,
          shape: before[i]!.shape + misshapen.length,
        });
    }
    await sleep(INTERVAL_MS * 3);
    for (const r of [a, b]) {
      expect(r.child.exitCode).toBeNull();
      // One line however many, with no channel, message or id in it.
      expect(logged(r, 'is not an answer of this service')).toBe(1);
      const line = JSON.stringify(r.logs.find((l) => String(l.msg).includes('is not an answer')));
      for (const text of [channel!, 'shared-garbage', SIGNING_KEY]) {
        expect(line).not.toContain(text);
      }
    }
    expect(watches.map((w) => w.events.length)).toEqual([1, 1]);
    run.advance();
    await expect
      .poll(() => watches.map((w) => w.events.length).join(''), { timeout: 3000 })
      .toBe('22');
    for (const w of watches) expect(statuses(w)).toEqual(LIFECYCLE.slice(0, 2));
    await stepToTheEnd(run, watches);
  });

  it('polls in each process while Redis is down (one warning each), and shares again once it is back', async () => {
    const run = execution('shared-outage');
    const watches = [watch(a, run.id), watch(b, run.id)];
    await expect
      .poll(() => watches.map((w) => w.events.length).join(''), { timeout: 5000 })
      .toBe('11');
    await redis.stop();
    await sleep(INTERVAL_MS * 2);
    const apart = await pollsInTen(run.polls);
    // Each process polls for its own subscribers: about twice as often as shared.
    expect(apart).toBeGreaterThanOrEqual(13);
    run.advance();
    await expect
      .poll(() => watches.map((w) => w.events.length).join(''), { timeout: 3000 })
      .toBe('22');
    for (const r of [a, b]) expect(logged(r, 'live status: Redis is unavailable')).toBe(1);

    await redis.start();
    for (const r of [a, b]) {
      await expect
        .poll(() => logged(r, 'replicas share their pollers again'), { timeout: 10_000 })
        .toBe(1);
    }
    await sleep(INTERVAL_MS * 2);
    const shared = await pollsInTen(run.polls);
    expect(shared).toBeGreaterThanOrEqual(6);
    expect(shared).toBeLessThanOrEqual(11);
    await stepToTheEnd(run, watches);
    for (const w of watches) expect(statuses(w)).toEqual(LIFECYCLE);
    for (const r of [a, b]) expect(logged(r, 'live status: Redis is unavailable')).toBe(1);
  }, 40_000);

  it("hands the lease over when the holder's last subscriber leaves: the other process polls at once", async () => {
    const run = execution('shared-handover');
    // b watches first, so b's poller holds the lease.
    const onHolder = watch(b, run.id);
    await expect.poll(() => onHolder.events.length, { timeout: 5000 }).toBe(1);
    await sleep(INTERVAL_MS * 3);
    const onA = watch(a, run.id);
    await expect.poll(() => onA.events.length, { timeout: 5000 }).toBe(1);
    await sleep(INTERVAL_MS * 2);
    const [lease] = await redis.client.keys('watch:v2:lease:*');
    const holder = await redis.client.get(lease!);
    const ttl = await redis.client.pttl(lease!);
    onHolder.leave();
    // Released at once: left to run out, it would still name b for `ttl` more.
    await expect
      .poll(() => redis.client.get(lease!), { timeout: Math.max(50, ttl - 50), interval: 5 })
      .not.toBe(holder);
    // And a's poller takes it at its next look.
    await expect
      .poll(async () => [null, holder].includes(await redis.client.get(lease!)), {
        timeout: INTERVAL_MS * 3,
        interval: 20,
      })
      .toBe(false);
    const alone = await pollsInTen(run.polls);
    expect(alone).toBeGreaterThanOrEqual(6);
    expect(alone).toBeLessThanOrEqual(11);
    await stepToTheEnd(run, [onA]);
    expect(statuses(onA)).toEqual(LIFECYCLE);
  });

  it('replaces a lease holder that dies: the other process polls within about one lease period', async () => {
    const run = execution('shared-holder');
    // a watches first, so a's poller takes the lease; b's follows.
    const onA = watch(a, run.id);
    // a is killed: its socket closes without a complete.
    onA.done.catch(() => undefined);
    await expect.poll(() => onA.events.length, { timeout: 5000 }).toBe(1);
    await sleep(INTERVAL_MS * 3);
    const onB = watch(b, run.id);
    await expect.poll(() => onB.events.length, { timeout: 5000 }).toBe(1);
    await sleep(INTERVAL_MS * 2);
    const [lease] = await redis.client.keys('watch:v2:lease:*');
    const holder = await redis.client.get(lease!);
    expect(holder).toBeTruthy();

    a.child.kill('SIGKILL');
    await once(a.child, 'exit');
    run.advance();
    // The lease (one interval past a's last wait) runs out, and b's poller takes it over.
    // At most the call's deadline (1000 ms) and one interval past a's last claim, then a look.
    await expect.poll(() => onB.events.length, { timeout: 1000 + INTERVAL_MS * 10 }).toBe(2);
    const taken = await redis.client.get(lease!);
    expect(taken).toBeTruthy();
    expect(taken).not.toBe(holder);
    const alone = await pollsInTen(run.polls);
    expect(alone).toBeGreaterThanOrEqual(6);
    expect(alone).toBeLessThanOrEqual(11);
    await stepToTheEnd(run, [onB]);
    expect(statuses(onB)).toEqual(LIFECYCLE);
  });
});

describe('SharedPolls in process, over the same redis-server', () => {
  const opened: SharedPolls[] = [];
  const spies: Redis[] = [];
  afterAll(() => {
    for (const polls of opened) polls.close();
    for (const spy of spies) spy.disconnect();
  });

  function sharedPolls(signingKey: string | undefined) {
    const logs: Array<Record<string, unknown>> = [];
    const rejections: string[] = [];
    const polls = new SharedPolls({
      url: new URL(redis.url),
      timeoutMs: 1000,
      logger: createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line)) }),
      signer: signerOf(signingKey),
      onRejected: (reason) => rejections.push(reason),
    });
    opened.push(polls);
    const heard: SharedAnswer[] = [];
    /** Listens on `name` and resolves once Redis confirmed it. */
    const listen = async (name: string) => {
      polls.listen(name, (answer) => heard.push(answer));
      await expect.poll(() => polls.listening(name)).toBeDefined();
    };
    return { polls, logs, rejections, heard, listen };
  }

  /** Every message published on `channel` from now on, as Redis carries it. */
  async function tap(channel: string): Promise<string[]> {
    const messages: string[] = [];
    const spy = redis.client.duplicate();
    spies.push(spy);
    spy.on('message', (_: string, message: string) => void messages.push(message));
    await spy.subscribe(channel);
    return messages;
  }

  it('delivers an answer signed for its channel to a replica with the same key, and ignores a copied or forged one', async () => {
    const [holder, follower] = [sharedPolls(SIGNING_KEY), sharedPolls(SIGNING_KEY)];
    const name = holder.polls.nameOf('payment:scope:signed-1');
    const other = holder.polls.nameOf('payment:scope:signed-2');
    expect(follower.polls.nameOf('payment:scope:signed-1')).toBe(name);
    await follower.listen(name);
    await follower.listen(other);
    const carried = await tap(`watch:v2:answers:${name}`);

    holder.polls.publish(name, { raw: { id: 'signed-1', status: 'workflow_running' } });
    await expect
      .poll(() => follower.heard)
      .toEqual([{ raw: { id: 'signed-1', status: 'workflow_running' } }]);
    await expect.poll(() => carried).toHaveLength(1);
    expect(carried[0]).toMatch(/^[A-Za-z0-9_-]{43}\.\{"v":2,"from":"[^"]+","raw":/);

    // The same signed message, on the channel of another execution: rejected.
    await redis.client.publish(`watch:v2:answers:${other}`, carried[0]!);
    // Forged: its answer changed under the MAC it had.
    await redis.client.publish(
      `watch:v2:answers:${name}`,
      carried[0]!.replace('workflow_running', 'workflow_succeeded'),
    );
    await expect.poll(() => follower.rejections).toEqual(['signature', 'signature']);
    expect(follower.heard).toHaveLength(1);
    expect(follower.logs.filter((l) => String(l.msg).includes('not signed'))).toHaveLength(1);
    expect(holder.rejections).toEqual([]);
  });

  it('with different keys, or none, replicas share no lease or channel', () => {
    const [one, two, none] = [
      sharedPolls(SIGNING_KEY),
      sharedPolls('another-key'),
      sharedPolls(undefined),
    ];
    const names = [one, two, none].map(({ polls }) => polls.nameOf('payment:scope:apart'));
    expect(new Set(names).size).toBe(3);
    for (const name of names) expect(name).toMatch(/^[0-9a-f]{32}$/);
  });

  it('without a key, answers go unsigned and are still checked by shape', async () => {
    const [holder, follower] = [sharedPolls(undefined), sharedPolls(undefined)];
    const name = holder.polls.nameOf('payment:scope:unsigned-1');
    await follower.listen(name);
    const carried = await tap(`watch:v2:answers:${name}`);
    holder.polls.publish(name, { final: true });
    await expect.poll(() => follower.heard).toEqual([{ final: true }]);
    await expect.poll(() => carried).toHaveLength(1);
    expect(JSON.parse(carried[0]!)).toMatchObject({ v: 2, final: true });
    await redis.client.publish(`watch:v2:answers:${name}`, JSON.stringify({ v: 1, final: true }));
    await redis.client.publish(`watch:v2:answers:${name}`, 'not json {');
    await expect.poll(() => follower.rejections).toEqual(['shape', 'shape']);
    expect(follower.heard).toHaveLength(1);
  });
});
