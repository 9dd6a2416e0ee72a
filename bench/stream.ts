// The event-stream rows of the watch phase (bench/run.ts, `BENCH_ONLY=watch`): live status told
// by the durable engine's event stream instead of found by polls. 1000 subscribers (one WebSocket
// each) on 100 running durable executions in 10 trees (a root and 9 children each), with
// WATCH_INTERVAL_MS 2000 and WATCH_MAX_INTERVAL_MS at its default (30000). A change flips all 100
// between `running` and `waiting` at the engine's records; the engine (its simulator, which looks
// at its records every 50 ms, as the engine polls its database) publishes an event per execution
// on its tree's stream; the delay runs from the change to each subscriber's event. Upstream GETs
// are counted at the simulator: those the events cause (a fetch per watched execution per burst,
// twice at most when a burst spans chunks) and the safety polls of a quiet stretch as long as
// WATCH_MAX_INTERVAL_MS. The engine's pool has its default size (DURABLE_WORKFLOW_CONCURRENCY
// 32), so a change's 100 fetches go out in waves. Then the same with every stream cut every
// 10 s: no change may be lost, and one that falls in a gap waits at most for a timed poll. Last,
// the first part's delays with one connection per watched execution (100), for comparison.

/** What the watch phase of bench/run.ts lends these rows. */
export interface StreamBench {
  /** Sends a command to the simulators' process; its answer's counts are since the last one. */
  simulators(command: Record<string, unknown>): Promise<StreamCounts>;
  startSubgraph(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void> }>;
  subscribe(url: string, ids: readonly string[], count: number): StreamSubscriber[];
  until(done: () => boolean, timeoutMs: number, what: string): Promise<void>;
  sleep(ms: number): Promise<unknown>;
  round(value: number, digits?: number): number;
}

export interface StreamCounts {
  requests: Record<string, number>;
  changedAt?: number;
  states?: Record<string, string>;
  streamsOpen?: number;
  streamCalls?: number;
  /** When the engine last wrote an event frame to a stream (wall clock, ms). */
  lastEventAt?: number;
}

export interface StreamSubscriber {
  client: { dispose(): void | Promise<void> };
  arrivals: number[];
  /** Each event's `state`: RUNNING for the engine's `running`, WAITING for `waiting`. */
  states: Array<string | undefined>;
  error?: unknown;
}

type Row = [measure: string, result: string, target: string, met: boolean];

const TREES = 10;
const PER_TREE = 10;
const SUBSCRIBERS = Number(process.env.BENCH_STREAM_SUBSCRIBERS ?? 1000);
const INTERVAL = 2000;
const MAX_INTERVAL = 30_000;
const CHANGES = 10;
const CUT_EVERY_MS = 10_000;
const CUT_SECONDS = 40;

const ids = Array.from({ length: TREES }, (_, t) =>
  Array.from({ length: PER_TREE }, (_, j) => `durable:tree-${t}${j === 0 ? '' : `-${j}`}`),
).flat();

export async function streamRows(bench: StreamBench): Promise<Row[]> {
  const { sleep, until, round } = bench;
  /** The engine's execution GETs so far: every answer's count is since the one before. */
  let gets = 0;
  const simulators = async (command: Record<string, unknown>) => {
    const counts = await bench.simulators(command);
    gets += counts.requests.durable ?? 0;
    return counts;
  };
  const at = (sorted: number[], q: number) =>
    round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!, 1);
  const env = { WATCH_INTERVAL_MS: String(INTERVAL) };
  const drop = (subscribers: StreamSubscriber[]) =>
    Promise.all(subscribers.map((each) => each.client.dispose()));
  /** The engine's GETs since the last call. */
  let counted = 0;
  const durableGets = async () => {
    await simulators({ type: 'counts' });
    const since = gets - counted;
    counted = gets;
    return since;
  };

  /**
   * Makes one change and waits for every subscriber's event of it; the delays from the change,
   * and the engine's own share: from the change to the last frame it wrote.
   */
  const engineShares: number[] = [];
  const change = async (subscribers: StreamSubscriber[], timeoutMs: number) => {
    const seen = subscribers.map((each) => each.arrivals.length);
    const { changedAt } = await simulators({ type: 'stream-change' });
    await until(
      () => subscribers.every((each, i) => each.arrivals.length > seen[i]!),
      timeoutMs,
      'an event for every subscriber after a change of the engine',
    );
    const { lastEventAt } = await simulators({ type: 'counts' });
    if (lastEventAt !== undefined && lastEventAt >= changedAt!) {
      engineShares.push(lastEventAt - changedAt!);
    }
    return subscribers.map((each, i) => each.arrivals[seen[i]!]! - changedAt!);
  };

  /** The executions seeded afresh, a subgraph with `subgraphEnv`, and every subscriber's first event. */
  const watched = async (subgraphEnv: Record<string, string>) => {
    await simulators({ type: 'stream-seed', trees: TREES, perTree: PER_TREE });
    const subgraph = await bench.startSubgraph(subgraphEnv);
    const subscribers = bench.subscribe(subgraph.url, ids, SUBSCRIBERS);
    await until(
      () => subscribers.every((each) => each.arrivals.length >= 1),
      60_000,
      'the first event of every subscriber',
    );
    /** Every subscriber leaves and the subgraph stops; a subscription that failed breaks the run. */
    const done = async () => {
      const failed = subscribers.filter((each) => each.error).length;
      await drop(subscribers);
      await subgraph.stop();
      if (failed > 0) throw new Error(`stream: ${failed} subscriptions ended with an error`);
    };
    return { subgraph, subscribers, done };
  };

  // 1. The streams up, no cuts.
  const { subgraph, subscribers, done } = await watched(env);
  let open = 0;
  for (let tries = 0; tries < 100 && open !== TREES; tries++) {
    await sleep(50);
    open = (await simulators({ type: 'counts' })).streamsOpen ?? 0;
  }
  // The stored events each stream sent on opening made one fetch round: let it pass.
  await sleep(1000);
  const metrics = async () => (await fetch(subgraph.url.replace('/graphql', '/metrics'))).text();
  const streamsMetric = Number(
    /executions_watch_streams_open\{provider="DURABLE_WORKFLOW"\} (\d+)/.exec(
      await metrics(),
    )?.[1] ?? 0,
  );
  await durableGets();
  const callsBefore = (await simulators({ type: 'counts' })).streamCalls ?? 0;
  const delays: number[] = [];
  let causedGets = 0;
  for (let i = 0; i < CHANGES; i++) {
    // A random phase against the pollers' clocks (which the stream should make irrelevant).
    await sleep(500 + Math.random() * 1500);
    delays.push(...(await change(subscribers, 10_000)));
    // The fetches a change makes end well within this.
    await sleep(300);
    causedGets += await durableGets();
  }
  delays.sort((a, b) => a - b);
  const engine = engineShares.splice(0).sort((a, b) => a - b);
  // A quiet stretch of one WATCH_MAX_INTERVAL_MS: only safety polls.
  await sleep(MAX_INTERVAL);
  const quietGets = await durableGets();
  const calls = ((await simulators({ type: 'counts' })).streamCalls ?? 0) - callsBefore;
  await done();

  // 2. Every stream cut every 10 s.
  const { subscribers: cutSubscribers, done: cutDone } = await watched(env);
  await sleep(1000);
  const cutCallsBefore = (await simulators({ type: 'counts' })).streamCalls ?? 0;
  const cutDelays: number[] = [];
  const started = performance.now();
  let nextCut = started + CUT_EVERY_MS * Math.random();
  let cuts = 0;
  let changes = 0;
  while (performance.now() - started < CUT_SECONDS * 1000) {
    if (performance.now() >= nextCut) {
      await simulators({ type: 'stream-cut' });
      cuts += 1;
      nextCut += CUT_EVERY_MS;
    }
    cutDelays.push(...(await change(cutSubscribers, 4 * INTERVAL + 5_000)));
    changes += 1;
    await sleep(200 + Math.random() * 800);
  }
  cutDelays.sort((a, b) => a - b);
  await sleep(INTERVAL * 2);
  const ended = await simulators({ type: 'stream-states' });
  const states = ended.states!;
  const cutCalls = (ended.streamCalls ?? 0) - cutCallsBefore;
  const lost = cutSubscribers.filter(
    (each, i) =>
      each.states.at(-1) !== states[ids[i % ids.length]!.slice('durable:'.length)]!.toUpperCase(),
  ).length;
  await cutDone();

  // 3. The first part's delays with one connection per watched execution in the engine's pool:
  // a change's 100 fetches go out at once.
  const { subscribers: pooledSubscribers, done: pooledDone } = await watched({
    ...env,
    DURABLE_WORKFLOW_CONCURRENCY: String(ids.length),
  });
  await sleep(1000);
  const pooledDelays: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    await sleep(500 + Math.random() * 1500);
    pooledDelays.push(...(await change(pooledSubscribers, 10_000)));
  }
  pooledDelays.sort((a, b) => a - b);
  engineShares.length = 0;
  await pooledDone();

  const executions = ids.length;
  return [
    [
      `watch, the durable engine's event stream: ${SUBSCRIBERS} subscribers (one WebSocket each) on ${executions} running executions in ${TREES} trees, WATCH_INTERVAL_MS ${INTERVAL}, DURABLE_WORKFLOW_CONCURRENCY at its default (32): delay from the engine's change to each subscriber's event (${delays.length} events: ${CHANGES} changes of all ${executions})`,
      `p99 ${at(delays, 0.99)} ms (p50 ${at(delays, 0.5)}, max ${at(delays, 1)}); of it the engine's own, from the change to its last frame: p50 ${at(engine, 0.5)}, max ${at(engine, 1)} ms`,
      'p99 <= 250 ms',
      at(delays, 0.99) <= 250,
    ],
    [
      `watch, event stream, the same with DURABLE_WORKFLOW_CONCURRENCY ${executions} (one connection per watched execution: a change's fetches go out at once, not in waves of 32)`,
      `p99 ${at(pooledDelays, 0.99)} ms (p50 ${at(pooledDelays, 0.5)}, max ${at(pooledDelays, 1)})`,
      'none (for comparison)',
      true,
    ],
    [
      `watch, event stream: streams open (the engine's count; the subgraph's executions_watch_streams_open); stream calls made over the ${CHANGES} changes and the quiet stretch`,
      `${open} (${streamsMetric}); ${calls} calls`,
      `${TREES}`,
      open === TREES && streamsMetric === TREES,
    ],
    [
      `watch, event stream: upstream GETs per change of all ${executions} (the fetches the events cause), and in a quiet stretch of WATCH_MAX_INTERVAL_MS (${MAX_INTERVAL} ms) after them`,
      `${round(causedGets / CHANGES, 1)} per change; ${quietGets} in the quiet stretch`,
      `<= ${2 * executions} per change (one fetch per execution per burst, a second if a burst spans chunks); <= ${executions} (one safety poll per execution)`,
      causedGets / CHANGES <= 2 * executions && quietGets <= executions,
    ],
    [
      `watch, event stream cut every ${CUT_EVERY_MS / 1000} s (${cuts} cuts in ${CUT_SECONDS} s, ${cutCalls} stream calls): ${changes} changes of all ${executions}; subscribers whose last status is not the engine's; delay to each subscriber's event (${cutDelays.length} events)`,
      `${lost} lost; p99 ${at(cutDelays, 0.99)} ms (p50 ${at(cutDelays, 0.5)}, max ${at(cutDelays, 1)})`,
      `0 lost; p99 <= ${INTERVAL} ms (one interval)`,
      lost === 0 && at(cutDelays, 0.99) <= INTERVAL,
    ],
  ];
}
