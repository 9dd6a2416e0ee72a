// `npm run bench`: the subgraph (the built dist/main.js, as in production) against a plain
// node:http baseline, both over the same provider simulators, all on loopback, measured in one
// run. Prints one table and writes bench/RESULTS.md. Exits non-zero only when the run broke.
import { demoHeaders } from '../src/demo.js';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import autocannon, { type Options, type Result } from 'autocannon';
import { Pool } from 'undici';
import { BENCH_IDS_PER_PROVIDER, DONE_IDS_PER_PROVIDER } from './records.js';
import { KEYS, upstreamCall, type Upstreams } from './upstreams.js';

const ROOT = new URL('..', import.meta.url).pathname;
const D = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 120);
const PHASES = ['throughput', 'latency', 'fanout', 'cache', 'soak'] as const;
// `BENCH_ONLY=throughput,fanout` runs some phases, for tuning; only a full run writes RESULTS.md.
const only = process.env.BENCH_ONLY?.split(',').map((phase) => phase.trim());
const unknownPhase = only?.find((phase) => !(PHASES as readonly string[]).includes(phase));
if (unknownPhase)
  throw new Error(`BENCH_ONLY: unknown phase "${unknownPhase}"; use ${PHASES.join(', ')}`);
const runs = (phase: (typeof PHASES)[number]) => !only || only.includes(phase);
const HEADERS = { 'content-type': 'application/json', ...demoHeaders() };

interface Counts {
  requests: Record<string, number>;
  connections: Record<string, number>;
}

const children: ChildProcess[] = [];
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

/** A redis-server of the bench's own on a free loopback port (Debian's, from `npm run setup`). */
async function startRedis() {
  const port = await freePort();
  const child = spawn(
    '/usr/bin/redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}/0`,
    async stop() {
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

function tsChild(file: string, env: Record<string, string> = {}): ChildProcess {
  const child = fork(new URL(file, import.meta.url).pathname, {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.push(child);
  return child;
}

async function message<T>(child: ChildProcess, type: string): Promise<T> {
  for (;;) {
    const [received] = (await once(child, 'message')) as [{ type: string } & T];
    if (received.type === type) return received;
  }
}

const sims = tsChild('./simulators.ts');
const { env: simEnv, upstreams } = await message<{
  env: Record<string, string>;
  upstreams: Upstreams;
}>(sims, 'ready');
async function simulators(command: Record<string, unknown>): Promise<Counts> {
  const reply = message<Counts>(sims, 'counts');
  sims.send(command);
  return reply;
}

/**
 * Waits until no upstream request arrives for 300 ms and returns what arrived meanwhile: calls
 * still in flight when a load run ends belong to that run, not to the next one's count.
 */
async function settle(): Promise<Counts> {
  const total: Counts = { requests: {}, connections: {} };
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const counts = await simulators({ type: 'counts' });
    total.connections = counts.connections;
    for (const [key, n] of Object.entries(counts.requests)) {
      total.requests[key] = (total.requests[key] ?? 0) + n;
    }
    if (sum(counts.requests) === 0) return total;
  }
}

const baseline = tsChild('./baseline.ts', {
  ...simEnv,
  BENCH_UPSTREAMS: JSON.stringify(upstreams),
});
const { port: baselinePort } = await message<{ port: number }>(baseline, 'ready');
const baselineUrl = `http://127.0.0.1:${baselinePort}/graphql`;

/** Starts the built subgraph over the simulators, as in production; resolves once it is up. */
async function startSubgraph(env: Record<string, string> = {}) {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...simEnv,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
      ...env,
    },
    // Its log lines go nowhere, cheaply, as to a log shipper.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  const url = `http://127.0.0.1:${port}/graphql`;
  for (let ready = false; !ready;) {
    ready = await fetch(url.replace('/graphql', '/healthz')).then(
      (r) => r.ok,
      () => false,
    );
    if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stop = async () => {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  return { url, stop };
}

const { url: subgraphUrl } = await startSubgraph();

const ONE = JSON.stringify({
  query: 'query One($id: ID!) { execution(id: $id) { id state startedAt } }',
  variables: { id: 'durable:bench-0' },
});
const FANOUT_IDS = KEYS.flatMap((key) =>
  Array.from({ length: BENCH_IDS_PER_PROVIDER }, (_, i) => `${key}:bench-${i}`),
);
const FANOUT = JSON.stringify({
  query:
    'query Fanout($ids: [ID!]!) { executions(ids: $ids) { id state startedAt durationSeconds } }',
  variables: { ids: FANOUT_IDS },
});

function run(url: string, options: Partial<Options>): Promise<Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, method: 'POST', headers: HEADERS, connections: 32, duration: SECONDS, ...options },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

/**
 * Open-loop load at a fixed rate: each request leaves on schedule whether or not earlier ones
 * have answered, and its latency is timed from then. (autocannon's rate mode reported latencies
 * below the upstream delay itself, so this phase does not use it.)
 */
async function fixedRate(url: string, body: string, rate: number, seconds: number) {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections: 512 });
  const latencies: number[] = [];
  let failures = 0;
  const pending: Array<Promise<void>> = [];
  const started = performance.now();
  for (let i = 0; i < rate * seconds; i++) {
    const wait = started + (i * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const sent = performance.now();
    pending.push(
      pool
        .request({ method: 'POST', path: target.pathname, headers: HEADERS, body })
        .then(async (response) => {
          await response.body.text();
          if (response.statusCode !== 200) failures++;
          latencies.push(performance.now() - sent);
        })
        .catch(() => void failures++),
    );
  }
  await Promise.all(pending);
  await pool.close();
  if (failures > 0) throw new Error(`fixed-rate run on ${url}: ${failures} failures`);
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!, 1);
  return { p50: at(0.5), p99: at(0.99) };
}

/** Calls `sequential` makes before it starts measuring (JIT warm-up of that path). */
const WARMUP = 10;

/** Runs `call` `WARMUP` + `times` times one after another; the sorted durations in ms of the last `times`. */
async function sequential(times: number, call: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await call();
  const durations: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await call();
    durations.push(performance.now() - started);
  }
  return durations.sort((a, b) => a - b);
}
const p50 = (sorted: number[]) => round(sorted[Math.floor(sorted.length / 2)]!, 1);

function checked(result: Result, label: string): Result {
  if (result['2xx'] === 0 || result.non2xx > 0 || result.errors > 0) {
    throw new Error(
      `${label}: ${result['2xx']} ok, ${result.non2xx} non-2xx, ${result.errors} errors`,
    );
  }
  return result;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function rss(): Promise<number> {
  const text = await (await fetch(subgraphUrl.replace('/graphql', '/metrics'))).text();
  return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)![1]);
}

/** Seconds without load before RSS is read: V8's memory reducer ran after 5-18 s idle in our runs. */
const REST_SECONDS = 25;

/**
 * RSS once the subgraph has been idle for `REST_SECONDS`, with the samples taken every second
 * on the way. Under load RSS swings by a quarter with garbage not yet collected; at rest it is
 * steady to the MiB and holds what the process kept, which is what a leak would raise.
 */
async function restingRss(): Promise<{ value: number; samples: number[] }> {
  const samples: number[] = [];
  for (let i = 0; i < REST_SECONDS; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    samples.push(await rss());
  }
  return { value: samples.at(-1)!, samples };
}

type Row = [measure: string, result: string, target: string, met: boolean];
const rows: Row[] = [];
let upstreamPerOne = 0;
let upstreamPerFanout = 0;

// 1. Throughput, D = 0, subgraph and baseline alternately, five rounds of each.
if (runs('throughput')) {
  await simulators({ type: 'clear' });
  await run(subgraphUrl, { body: ONE, duration: 2 });
  await run(baselineUrl, { body: ONE, duration: 2 });
  const subRps: number[] = [];
  const baseRps: number[] = [];
  let connectionsPer1000 = 0;
  for (let i = 0; i < 5; i++) {
    const before = await settle();
    const sub = checked(await run(subgraphUrl, { body: ONE }), 'subgraph throughput');
    const after = await settle();
    subRps.push(sub.requests.average);
    upstreamPerOne = sum(after.requests) / sub.requests.sent;
    connectionsPer1000 = ((sum(after.connections) - sum(before.connections)) / sub['2xx']) * 1000;
    baseRps.push(
      checked(await run(baselineUrl, { body: ONE }), 'baseline throughput').requests.average,
    );
    await simulators({ type: 'counts' });
  }
  const throughputRatio = median(subRps) / median(baseRps);
  const roundRatios = subRps.map((sub, i) => sub / baseRps[i]!);
  rows.push(
    [
      'throughput, one execution, D = 0: subgraph / baseline req/s',
      `${round(throughputRatio)} (medians ${Math.round(median(subRps))} / ${Math.round(median(baseRps))}; rounds ${round(Math.min(...roundRatios))}-${round(Math.max(...roundRatios))})`,
      '>= 0.5',
      throughputRatio >= 0.5,
    ],
    [
      'new upstream connections per 1000 requests (one execution, D = 0)',
      `${round(connectionsPer1000)}`,
      '<= pool size (32)',
      connectionsPer1000 <= 32,
    ],
  );
}

// 2. Latency overhead at a fixed rate, about half the subgraph's maximum at D = 50 ms (which
// its pool of 32 connections bounds, as the baseline's: 32 / 50 ms = 640 req/s).
if (runs('latency')) {
  await simulators({ type: 'latency', ms: D });
  const maxAtD = checked(await run(subgraphUrl, { body: ONE, connections: 64 }), 'subgraph at D')
    .requests.average;
  await settle();
  const rate = Math.max(10, Math.round(maxAtD / 2));
  const subLatency = await fixedRate(subgraphUrl, ONE, rate, SECONDS * 2);
  const baseLatency = await fixedRate(baselineUrl, ONE, rate, SECONDS * 2);
  await settle();
  await simulators({ type: 'clear' });
  rows.push(
    [
      `latency overhead p50 at ${rate} req/s, D = ${D} ms`,
      `${round(subLatency.p50 - baseLatency.p50, 1)} ms (${subLatency.p50} - ${baseLatency.p50})`,
      '<= 2 ms',
      subLatency.p50 - baseLatency.p50 <= 2,
    ],
    [
      `latency overhead p99 at ${rate} req/s, D = ${D} ms`,
      `${round(subLatency.p99 - baseLatency.p99, 1)} ms (${subLatency.p99} - ${baseLatency.p99})`,
      '<= 5 ms',
      subLatency.p99 - baseLatency.p99 <= 5,
    ],
  );
}

// 3. Fan-out: 100 distinct ids over five providers, D = 50 ms, one request at a time; and its
// floor on this machine: the same 100 upstream calls from a plain undici client.
if (runs('fanout')) {
  await simulators({ type: 'latency', ms: D });
  // The same client kind as the floor's (undici's request(), not fetch()), so that the
  // difference between the two is the subgraph's.
  const fanOut = async (url: string, label: string) => {
    const client = new Pool(new URL(url).origin, { connections: 1 });
    const samples = await sequential(60, async () => {
      const response = await client.request({
        method: 'POST',
        path: '/graphql',
        headers: HEADERS,
        body: FANOUT,
      });
      const body = (await response.body.json()) as {
        errors?: unknown;
        data?: { executions?: unknown[] };
      };
      if (
        response.statusCode !== 200 ||
        body.errors ||
        body.data?.executions?.length !== FANOUT_IDS.length
      ) {
        throw new Error(`${label} fan-out answered ${response.statusCode}`);
      }
    });
    await client.close();
    return samples;
  };
  const fanSamples = await fanOut(subgraphUrl, 'subgraph');
  const serverFloorSamples = await fanOut(baselineUrl, 'baseline');
  const floorPools = Object.fromEntries(
    KEYS.map((key) => [key, new Pool(new URL(upstreams[key]!.url).origin, { connections: 32 })]),
  );
  const floorSamples = await sequential(60, () =>
    Promise.all(
      FANOUT_IDS.map(async (id) => {
        const [key, nativeId] = id.split(':') as [string, string];
        const { path, headers } = upstreamCall(key, nativeId, upstreams[key]!);
        const response = await floorPools[key]!.request({ method: 'GET', path, headers });
        await response.body.text();
        if (response.statusCode !== 200)
          throw new Error(`floor: ${key} answered ${response.statusCode}`);
      }),
    ).then(() => undefined),
  );
  await Promise.all(Object.values(floorPools).map((pool) => pool.close()));
  const fanCounts = await settle();
  await simulators({ type: 'clear' });
  upstreamPerFanout =
    (sum(fanCounts.requests) -
      FANOUT_IDS.length * (floorSamples.length + serverFloorSamples.length + 2 * WARMUP)) /
    (fanSamples.length + WARMUP);
  rows.push([
    `fan-out of ${FANOUT_IDS.length} ids, D = ${D} ms: p50 / D (floors: the same calls from the baseline server, and from a plain undici client in the bench itself)`,
    `${round(p50(fanSamples) / D)} (p50 ${p50(fanSamples)} ms; baseline server ${round(p50(serverFloorSamples) / D)}, ${p50(serverFloorSamples)} ms; plain client ${round(p50(floorSamples) / D)}, ${p50(floorSamples)} ms)`,
    '<= 1.15',
    p50(fanSamples) / D <= 1.15,
  ]);
}

if (runs('throughput') && runs('fanout')) {
  rows.push([
    'upstream requests per GraphQL request (one execution / fan-out)',
    `${round(upstreamPerOne, 3)} / ${round(upstreamPerFanout, 3)}`,
    `1 / ${FANOUT_IDS.length}`,
    round(upstreamPerOne, 3) === 1 && round(upstreamPerFanout, 3) === FANOUT_IDS.length,
  ]);
}

// 4. The cache of finished executions (D = 50 ms): a repeated fan-out of 100 finished ids from
// the in-process tier; fan-outs from Redis, by a fresh process whose own tier has none of them;
// and the throughput of a cached one-execution query against the baseline, which calls upstream.
if (runs('cache')) {
  await simulators({ type: 'clear' });
  await simulators({ type: 'latency', ms: D });
  const perProvider = FANOUT_IDS.length / KEYS.length;
  if ((WARMUP + 61) * perProvider > DONE_IDS_PER_PROVIDER)
    throw new Error('too few done-<i> records');
  const doneIds = (sample: number) =>
    KEYS.flatMap((key) =>
      Array.from(
        { length: FANOUT_IDS.length / KEYS.length },
        (_, i) => `${key}:done-${(sample * FANOUT_IDS.length) / KEYS.length + i}`,
      ),
    );
  const fanOutOf = (ids: string[]) =>
    JSON.stringify({
      query:
        'query Fanout($ids: [ID!]!) { executions(ids: $ids) { id state startedAt durationSeconds } }',
      variables: { ids },
    });
  const post = async (client: Pool, body: string) => {
    const response = await client.request({
      method: 'POST',
      path: '/graphql',
      headers: HEADERS,
      body,
    });
    const answer = (await response.body.json()) as { errors?: unknown };
    if (response.statusCode !== 200 || answer.errors)
      throw new Error(`cache row: ${response.statusCode}`);
  };

  // Tier 1: the same 100 finished ids, again and again, from the subgraph that fetched them once.
  const memoryClient = new Pool(new URL(subgraphUrl).origin, { connections: 1 });
  const repeated = fanOutOf(doneIds(0));
  await post(memoryClient, repeated);
  await settle();
  const memorySamples = await sequential(60, () => post(memoryClient, repeated));
  const memoryCalls = sum((await settle()).requests);
  await memoryClient.close();

  // Tier 2: a subgraph with Redis fetches 70 sets of 100 once, then a fresh one reads them.
  const redis = await startRedis();
  const writer = await startSubgraph({ REDIS_URL: redis.url });
  const writerClient = new Pool(new URL(writer.url).origin, { connections: 1 });
  for (let set = 1; set <= WARMUP + 60; set++) await post(writerClient, fanOutOf(doneIds(set)));
  await writerClient.close();
  await writer.stop();
  await settle();
  const reader = await startSubgraph({ REDIS_URL: redis.url });
  const readerClient = new Pool(new URL(reader.url).origin, { connections: 1 });
  let set = 1;
  const redisSamples = await sequential(60, () => post(readerClient, fanOutOf(doneIds(set++))));
  const redisCalls = sum((await settle()).requests);
  await readerClient.close();
  await reader.stop();
  await redis.stop();
  await simulators({ type: 'clear' });

  // Throughput: the subgraph answers from its tier 1; the baseline calls upstream (D = 0).
  const CACHED_ONE = JSON.stringify({
    query: 'query One($id: ID!) { execution(id: $id) { id state startedAt } }',
    variables: { id: 'durable:done-0' },
  });
  await run(subgraphUrl, { body: CACHED_ONE, duration: 2 });
  const cachedRps: number[] = [];
  const baseRps: number[] = [];
  let cachedCalls = 0;
  for (let i = 0; i < 3; i++) {
    await settle();
    const cached = checked(await run(subgraphUrl, { body: CACHED_ONE }), 'cached');
    cachedRps.push(cached.requests.average);
    cachedCalls += sum((await settle()).requests);
    baseRps.push(checked(await run(baselineUrl, { body: ONE }), 'baseline').requests.average);
  }
  const ratio = median(cachedRps) / median(baseRps);

  rows.push(
    [
      `repeated fan-out of ${FANOUT_IDS.length} finished ids, D = ${D} ms, from the in-process tier: p50 / D, upstream calls in ${memorySamples.length} fan-outs`,
      `${round(p50(memorySamples) / D, 3)} (p50 ${p50(memorySamples)} ms); ${memoryCalls} calls`,
      '<= 0.1, 0 calls',
      p50(memorySamples) / D <= 0.1 && memoryCalls === 0,
    ],
    [
      `fan-out of ${FANOUT_IDS.length} finished ids, D = ${D} ms, from Redis (a fresh process, warm Redis, ids its own tier has not seen): p50 / D, upstream calls in ${redisSamples.length + WARMUP} fan-outs`,
      `${round(p50(redisSamples) / D, 3)} (p50 ${p50(redisSamples)} ms); ${redisCalls} calls`,
      '<= 0.2, 0 calls',
      p50(redisSamples) / D <= 0.2 && redisCalls === 0,
    ],
    [
      'throughput, one cached execution: subgraph (from its cache) / baseline (calling upstream, D = 0) req/s',
      `${round(ratio)} (medians ${round(median(cachedRps), 0)} / ${round(median(baseRps), 0)}; ${cachedCalls} upstream calls for the cached query)`,
      '>= 1.0 (aim 1.2)',
      ratio >= 1,
    ],
  );
}

// 5. Soak: a mix of fast (durable, D = 0), slow (payment, 200 ms) and failing (serverless, 503).
if (runs('soak')) {
  await simulators({ type: 'clear' });
  await simulators({ type: 'latency', ms: 200, key: 'payment' });
  await simulators({ type: 'fail', key: 'serverless', status: 503 });
  const mix = [
    { method: 'POST' as const, body: ONE },
    {
      method: 'POST' as const,
      body: JSON.stringify({ query: '{ execution(id: "payment:bench-1") { id state } }' }),
    },
    {
      method: 'POST' as const,
      body: JSON.stringify({ query: '{ execution(id: "serverless:bench-2") { id state } }' }),
    },
    { method: 'POST' as const, body: FANOUT },
  ];
  await run(subgraphUrl, { requests: mix, duration: 10 });
  const before = await restingRss();
  const samples: number[] = [];
  const sampler = setInterval(() => void rss().then((value) => samples.push(value)), 10_000);
  const soak = await run(subgraphUrl, { requests: mix, duration: SOAK_SECONDS });
  clearInterval(sampler);
  if (soak['2xx'] === 0) throw new Error('soak: no answers');
  const after = await restingRss();
  const mib = (values: number[]) => values.map((v) => round(v / 2 ** 20, 0)).join(', ');
  console.log(`RSS at rest before the soak, every 1 s (MiB): ${mib(before.samples)}`);
  console.log(`RSS during the soak, every 10 s (MiB): ${mib(samples)}`);
  console.log(`RSS at rest after the soak, every 1 s (MiB): ${mib(after.samples)}`);
  await simulators({ type: 'clear' });
  const change = (after.value - before.value) / before.value;
  rows.push([
    `RSS at rest (${REST_SECONDS} s idle) before / after a ${SOAK_SECONDS} s soak (fast, slow, failing; ${soak['2xx']} ok, ${soak.non2xx} non-2xx)`,
    `${round(before.value / 2 ** 20, 1)} / ${round(after.value / 2 ** 20, 1)} MiB (${round(change * 100, 1)}%; under load, every 10 s: ${mib(samples)})`,
    'within 10%',
    Math.abs(change) <= 0.1,
  ]);
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const header = `Run ${new Date().toISOString()} on Node ${process.version}, ${os.cpus().length} × ${cpu}, ${round(os.totalmem() / 2 ** 30, 1)} GiB, ${os.platform()} ${os.release()}; ${SECONDS} s per measurement.`;
const table = [
  '| measure | result | target | met |',
  '| --- | --- | --- | --- |',
  ...rows.map(
    ([measure, result, target, met]) =>
      `| ${measure} | ${result} | ${target} | ${met ? 'yes' : '**no**'} |`,
  ),
].join('\n');
console.log(`\n${header}\n\n${table}\n`);

if (only) process.exit(0);
const resultsFile = new URL('RESULTS.md', import.meta.url);
const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
const notes = previous.includes('## Notes')
  ? previous.slice(previous.indexOf('## Notes'))
  : '## Notes\n';
writeFileSync(
  resultsFile,
  `# Benchmark results\n\n\`npm run bench\`, latest run:\n\n${header}\n\n${table}\n\n${notes}`,
);
process.exit(0);
