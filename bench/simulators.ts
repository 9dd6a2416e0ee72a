// Child process of bench/run.ts: the five provider simulators, steered over IPC so the
// subgraph and the baseline call the very same servers. Every message is answered with the
// execution requests counted since the previous answer, and the connections accepted so far.
import { simulatorEnv, startSimulators } from '../src/demo.js';
import { providers } from '../src/providers.js';
import {
  BENCH_IDS_PER_PROVIDER,
  DONE_IDS_PER_PROVIDER,
  WATCH_IDS_PER_PROVIDER,
} from './records.js';

const sims = await startSimulators();
const keys = Object.keys(sims);
// `bench-<i>` are running, so every query asks the provider; `done-<i>` are finished, so the
// cache rows can serve them without one.
for (const { datasource, type } of providers) {
  const simulator = sims[datasource.key]!.definition;
  const status = (state: string) => {
    const found = Object.keys(type.states).find((word) => type.states[word] === state);
    if (!found) throw new Error(`${datasource.key}: no status maps to ${state}`);
    return found;
  };
  const records = sims[datasource.key]!.records;
  for (let i = 0; i < BENCH_IDS_PER_PROVIDER; i++) {
    records.set(`bench-${i}`, simulator.record(`bench-${i}`, status('RUNNING')));
  }
  for (let i = 0; i < DONE_IDS_PER_PROVIDER; i++) {
    records.set(`done-${i}`, simulator.record(`done-${i}`, status('SUCCEEDED')));
  }
}

type Message =
  | { type: 'latency'; ms: number; key?: string }
  | { type: 'fail'; key: string; status: number }
  | { type: 'clear' }
  | { type: 'counts' }
  | { type: 'watch-seed' }
  | { type: 'watch-change' };

/** Wall-clock milliseconds, comparable with the bench process's (`performance.now()` is not). */
const wallClock = () => performance.timeOrigin + performance.now();
/** When the last execution request arrived, wall clock, for the watch phase's drop. */
let lastRequestAt = 0;
/** The watch phase's running executions, `watch-<i>` per provider: a change flips them between the first two statuses of their provider's lifecycle. */
let watchFlip = 0;

process.on('message', (message: Message) => {
  let changedAt: number | undefined;
  switch (message.type) {
    case 'watch-seed':
      watchFlip = 0;
      for (const { datasource } of providers) {
        const simulator = sims[datasource.key]!.definition;
        for (let i = 0; i < WATCH_IDS_PER_PROVIDER; i++) {
          sims[datasource.key]!.records.set(
            `watch-${i}`,
            simulator.record(`watch-${i}`, simulator.lifecycle![0]!),
          );
        }
      }
      break;
    case 'watch-change':
      watchFlip = 1 - watchFlip;
      for (const { datasource } of providers) {
        const simulator = sims[datasource.key]!.definition;
        for (let i = 0; i < WATCH_IDS_PER_PROVIDER; i++) {
          sims[datasource.key]!.records.set(
            `watch-${i}`,
            simulator.record(`watch-${i}`, simulator.lifecycle![watchFlip]!),
          );
        }
      }
      changedAt = wallClock();
      break;
    case 'latency':
      for (const key of message.key ? [message.key] : keys) sims[key]!.latencyMs = message.ms;
      break;
    case 'fail':
      sims[message.key]!.inject({ kind: 'status', status: message.status }, { times: Infinity });
      break;
    case 'clear':
      for (const key of keys) {
        sims[key]!.clearFaults();
        sims[key]!.latencyMs = 0;
      }
      break;
    case 'counts':
      break;
  }
  for (const key of keys) {
    const executions = sims[key]!.requests.filter((request) => request.id !== null);
    if (executions.length > 0)
      lastRequestAt = Math.max(
        lastRequestAt,
        performance.timeOrigin + executions.at(-1)!.startedAt,
      );
  }
  process.send?.({
    type: 'counts',
    changedAt,
    lastRequestAt,
    // Execution requests only: CloudShell's one login is not a per-query cost.
    requests: Object.fromEntries(
      keys.map((key) => [key, sims[key]!.requests.filter((request) => request.id !== null).length]),
    ),
    connections: Object.fromEntries(keys.map((key) => [key, sims[key]!.connections])),
  });
  // Only the counts are needed: keeping no request log keeps memory flat over long runs.
  for (const key of keys) sims[key]!.requests.length = 0;
});

process.send?.({
  type: 'ready',
  env: simulatorEnv(sims),
  // For the fan-out floor: how a plain client reaches each simulator.
  upstreams: Object.fromEntries(
    keys.map((key) => [key, { url: sims[key]!.url, ...sims[key]!.credentials }]),
  ),
});
