// `npm run bench`: the subgraph (the built dist/main.js, as in production) against a plain
// node:http baseline, both over the same provider simulators, all on loopback, measured in one
// run. Prints one table and writes bench/RESULTS.md. Exits non-zero only when the run broke.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import autocannon, { type Options, type Result } from 'autocannon';
import { BENCH_IDS_PER_PROVIDER } from './records.js';

const ROOT = new URL('..', import.meta.url).pathname;
const D = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 120);
const KEYS = ['cloudshell', 'durable', 'refold', 'payment', 'serverless'] as const;
const HEADERS = {
  'content-type': 'application/json',
  'x-refold-linked-account-id': 'demo-customer',
};

interface Counts {
  requests: Record<string, number>;
  connections: Record<string, number>;
}

const children: ChildProcess[] = [];
const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

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
const { env: simEnv } = await message<{ env: Record<string, string> }>(sims, 'ready');
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

const baseline = tsChild('./baseline.ts', simEnv);
const { port: baselinePort } = await message<{ port: number }>(baseline, 'ready');
const baselineUrl = `http://127.0.0.1:${baselinePort}/graphql`;

const subgraphPort = await freePort();
const subgraph = spawn(process.execPath, ['dist/main.js'], {
  cwd: ROOT,
  env: {
    ...process.env,
    ...simEnv,
    NODE_ENV: 'production',
    PORT: String(subgraphPort),
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
  },
  // Its log lines go nowhere, cheaply, as to a log shipper.
  stdio: ['ignore', 'ignore', 'inherit'],
});
children.push(subgraph);
const subgraphUrl = `http://127.0.0.1:${subgraphPort}/graphql`;
for (let ready = false; !ready;) {
  ready = await fetch(subgraphUrl.replace('/graphql', '/healthz')).then(
    (r) => r.ok,
    () => false,
  );
  if (!ready) await new Promise((resolve) => setTimeout(resolve, 100));
}

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
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

async function rss(): Promise<number> {
  const text = await (await fetch(subgraphUrl.replace('/graphql', '/metrics'))).text();
  return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)![1]);
}

// 1. Throughput, D = 0, subgraph and baseline alternately.
await simulators({ type: 'clear' });
await run(subgraphUrl, { body: ONE, duration: 2 });
await run(baselineUrl, { body: ONE, duration: 2 });
const subRps: number[] = [];
const baseRps: number[] = [];
let upstreamPerOne = 0;
let connectionsPer1000 = 0;
for (let i = 0; i < 3; i++) {
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

// 2. Latency overhead at a fixed rate, about half the subgraph's maximum at D = 50 ms (which
// its pool of 32 connections bounds, as the baseline's: 32 / 50 ms = 640 req/s).
await simulators({ type: 'latency', ms: D });
const maxAtD = checked(await run(subgraphUrl, { body: ONE, connections: 64 }), 'subgraph at D')
  .requests.average;
await settle();
const rate = Math.max(10, Math.round(maxAtD / 2));
const fixed = {
  body: ONE,
  overallRate: rate,
  connections: Math.ceil((rate * D) / 1000) * 3 + 10,
  duration: SECONDS * 2,
};
const subLatency = checked(await run(subgraphUrl, fixed), 'subgraph latency').latency;
const baseLatency = checked(await run(baselineUrl, fixed), 'baseline latency').latency;
await settle();

// 3. Fan-out: 100 distinct ids over five providers, D = 50 ms, one request at a time.
const fan = checked(
  await run(subgraphUrl, { body: FANOUT, connections: 1, amount: 60 }),
  'fan-out',
);
const fanCounts = await settle();
const upstreamPerFanout = sum(fanCounts.requests) / fan['2xx'];

// 4. Soak: a mix of fast (durable, D = 0), slow (payment, 200 ms) and failing (serverless, 503).
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
const rssBefore = await rss();
const samples: number[] = [];
const sampler = setInterval(() => void rss().then((value) => samples.push(value)), 10_000);
const soak = await run(subgraphUrl, { requests: mix, duration: SOAK_SECONDS });
clearInterval(sampler);
if (soak['2xx'] === 0) throw new Error('soak: no answers');
const rssAfter = await rss();
console.log(
  `RSS during the soak, every 10 s (MiB): ${samples.map((v) => round(v / 2 ** 20, 0)).join(', ')}`,
);
await simulators({ type: 'clear' });

const rows: Array<[string, string, string, boolean]> = [
  [
    'throughput, one execution, D = 0: subgraph / baseline req/s',
    `${round(throughputRatio)} (${Math.round(median(subRps))} / ${Math.round(median(baseRps))})`,
    '>= 0.5',
    throughputRatio >= 0.5,
  ],
  [
    `latency overhead p50 at ${rate} req/s, D = ${D} ms`,
    `${round(subLatency.p50 - baseLatency.p50)} ms (${subLatency.p50} - ${baseLatency.p50})`,
    '<= 2 ms',
    subLatency.p50 - baseLatency.p50 <= 2,
  ],
  [
    `latency overhead p99 at ${rate} req/s, D = ${D} ms`,
    `${round(subLatency.p99 - baseLatency.p99)} ms (${subLatency.p99} - ${baseLatency.p99})`,
    '<= 5 ms',
    subLatency.p99 - baseLatency.p99 <= 5,
  ],
  [
    `fan-out of ${FANOUT_IDS.length} ids, D = ${D} ms: p50 / D`,
    `${round(fan.latency.p50 / D)} (p50 ${fan.latency.p50} ms)`,
    '<= 1.15',
    fan.latency.p50 / D <= 1.15,
  ],
  [
    'upstream requests per GraphQL request (one execution / fan-out)',
    `${round(upstreamPerOne, 3)} / ${round(upstreamPerFanout, 3)}`,
    `1 / ${FANOUT_IDS.length}`,
    round(upstreamPerOne, 3) === 1 && round(upstreamPerFanout, 3) === FANOUT_IDS.length,
  ],
  [
    'new upstream connections per 1000 requests (one execution, D = 0)',
    `${round(connectionsPer1000)}`,
    '<= pool size (32)',
    connectionsPer1000 <= 32,
  ],
  [
    `RSS before / after a ${SOAK_SECONDS} s soak (fast, slow, failing; ${soak['2xx']} ok, ${soak.non2xx} non-2xx)`,
    `${round(rssBefore / 2 ** 20, 1)} / ${round(rssAfter / 2 ** 20, 1)} MiB (${round(((rssAfter - rssBefore) / rssBefore) * 100, 1)}%)`,
    'within 10%',
    Math.abs(rssAfter - rssBefore) / rssBefore <= 0.1,
  ],
];

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

const resultsFile = new URL('RESULTS.md', import.meta.url);
const previous = (await import('node:fs')).existsSync(resultsFile)
  ? (await import('node:fs')).readFileSync(resultsFile, 'utf8')
  : '';
const notes = previous.includes('## Notes')
  ? previous.slice(previous.indexOf('## Notes'))
  : '## Notes\n';
writeFileSync(
  resultsFile,
  `# Benchmark results\n\n\`npm run bench\`, latest run:\n\n${header}\n\n${table}\n\n${notes}`,
);
process.exit(0);
