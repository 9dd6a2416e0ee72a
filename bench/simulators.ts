// Child process of bench/run.ts: the five provider simulators, steered over IPC so the
// subgraph and the baseline call the very same servers. Messages in: {type:'latency', ms} |
// {type:'faults', key, status} | {type:'clear'} | {type:'counts'} | {type:'reset'}; out: replies.
import { simulatorEnv } from '../src/demo.js';
import { BENCH_IDS_PER_PROVIDER, minimalRecordFor } from './records.js';
import { startAllSimulators, type ProviderKey } from '../src/simulators/index.js';

const sims = await startAllSimulators();
const keys = Object.keys(sims) as ProviderKey[];
for (const key of keys) {
  for (let i = 0; i < BENCH_IDS_PER_PROVIDER; i++) {
    sims[key].records.set(`bench-${i}`, minimalRecordFor(key, `bench-${i}`));
  }
}

type Message =
  | { type: 'latency'; ms: number; key?: ProviderKey }
  | { type: 'fail'; key: ProviderKey; status: number }
  | { type: 'clear' }
  | { type: 'counts' };

process.on('message', (message: Message) => {
  switch (message.type) {
    case 'latency':
      for (const key of message.key ? [message.key] : keys) sims[key].latencyMs = message.ms;
      break;
    case 'fail':
      sims[message.key].inject({ kind: 'status', status: message.status }, { times: Infinity });
      break;
    case 'clear':
      for (const key of keys) {
        sims[key].clearFaults();
        sims[key].latencyMs = 0;
        // Keep memory flat over long runs: only counters are needed here.
        sims[key].requests.length = 0;
      }
      break;
    case 'counts':
      break;
  }
  process.send?.({
    type: 'counts',
    // Execution requests only: CloudShell's one login is not a per-query cost.
    requests: Object.fromEntries(
      keys.map((key) => [key, sims[key].requests.filter((request) => request.id !== null).length]),
    ),
    connections: Object.fromEntries(keys.map((key) => [key, sims[key].connections])),
  });
  for (const key of keys) sims[key].requests.length = 0;
});

process.send?.({
  type: 'ready',
  env: simulatorEnv(sims),
  // For the fan-out floor: how a plain client reaches each simulator.
  upstreams: Object.fromEntries(
    keys.map((key) => [key, { url: sims[key].url, ...sims[key].credentials }]),
  ),
});
