// Child process of bench/run.ts: the five provider simulators, steered over IPC so the
// subgraph and the baseline call the very same servers. Every message is answered with the
// execution requests counted since the previous answer, the list calls likewise, and the
// connections accepted so far.
import type { ZodType } from 'zod';
import { simulatorEnv, startSimulators } from '../src/demo.js';
import { globalId } from '../src/executions/ids.js';
import { stateOf } from '../src/executions/model.js';
import { providers } from '../src/providers.js';
import {
  BENCH_IDS_PER_PROVIDER,
  DONE_IDS_PER_PROVIDER,
  WATCH_IDS_PER_PROVIDER,
} from './records.js';

const sims = await startSimulators();
const keys = Object.keys(sims);

/** The first status of provider `key` that its GraphQL type reads as `state`. */
function statusOf(key: string, state: string): string {
  const { type } = providers.find(({ datasource }) => datasource.key === key)!;
  const found = Object.keys(type.states).find((word) => type.states[word] === state);
  if (!found) throw new Error(`${key}: no status maps to ${state}`);
  return found;
}

// `bench-<i>` are running, so every query asks the provider; `done-<i>` are finished, so the
// cache rows can serve them without one.
for (const { datasource } of providers) {
  const simulator = sims[datasource.key]!.definition;
  const status = (state: string) => statusOf(datasource.key, state);
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
  | { type: 'watch-change' }
  | { type: 'stream-seed'; trees: number; perTree: number }
  | { type: 'stream-change' }
  | { type: 'stream-cut' }
  | { type: 'stream-states' }
  | { type: 'search-seed'; workflow: string; base: number; each: number }
  | { type: 'search-drop' }
  | { type: 'last-lists' }
  | { type: 'webhook-seed'; key: string; ids: string[]; url: string }
  | { type: 'webhook-send'; key: string; ids: string[]; everyMs: number }
  | { type: 'webhook-drop'; key: string; ids: string[] };

/** One webhook `webhook-send` sent: when (wall clock, ms, just before the send) and how it went. */
export interface WebhookSend {
  id: string;
  /** Wall clock just before `sendWebhook` was called, after the record was set to its end. */
  sentAt: number;
  /** Wall clock when the delivery ended (the receiver answered the POST). */
  answeredAt: number;
  /** The receiver's final HTTP status, 0 when it never answered. */
  status: number;
  /** POSTs the delivery took (the simulator's log): 1, plus one per retry. */
  attempts: number;
}

/** The members of a simulator that pushes signed webhooks to a URL (Refold's). */
interface Pushes {
  webhookUrl: string | undefined;
  sendWebhook(id: string): Promise<number>;
  readonly webhooks: ReadonlyArray<{ id: string; attempts: number }>;
}
const pushes = (sim: object): sim is Pushes =>
  'sendWebhook' in sim && typeof sim.sendWebhook === 'function' && 'webhooks' in sim;
function pusher(key: string): Pushes {
  const sim = sims[key];
  if (!sim || !pushes(sim)) throw new Error(`webhook: the ${key} simulator sends no webhooks`);
  return sim;
}

/**
 * For the webhook phase: sets each of `ids` of simulator `key` to its provider's last lifecycle
 * status (COMPLETED for Refold), takes the wall clock, and sends its webhook; one every
 * `everyMs` (0: all at once), on this process's own schedule so that the bench's IPC adds no
 * jitter. Resolves once every delivery ended.
 */
async function sendWebhooks(key: string, ids: string[], everyMs: number): Promise<WebhookSend[]> {
  const sim = pusher(key);
  const { definition, records } = sims[key]!;
  const end = definition.lifecycle!.at(-1)!;
  const started = performance.now();
  const sends: Array<Promise<WebhookSend>> = [];
  for (const [i, id] of ids.entries()) {
    const wait = started + i * everyMs - performance.now();
    if (everyMs > 0 && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    if (definition.setStatus) definition.setStatus(records.get(id), end);
    else records.set(id, definition.record(id, end));
    const sentAt = wallClock();
    sends.push(
      sim.sendWebhook(id).then((status) => ({
        id,
        sentAt,
        answeredAt: wallClock(),
        status,
        attempts: sim.webhooks.findLast((each) => each.id === id)?.attempts ?? 0,
      })),
    );
  }
  return Promise.all(sends);
}

/** A record the search phase added: its global id and creation time (ms). */
export interface SearchRecord {
  id: string;
  createdAt: number;
}

/** The node of `record` that the provider's fetcher answers with: the first, breadth first, of `shape`. */
function rawOf(record: unknown, shape: ZodType): unknown {
  const queue = [record];
  while (queue.length > 0) {
    const node = queue.shift();
    if (shape.safeParse(node).success) return node;
    if (typeof node === 'object' && node !== null) queue.push(...Object.values(node));
  }
  return undefined;
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** `value` with every string in it mapped by `map`, keys kept. */
function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((each) => mapStrings(each, map));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, each]) => [key, mapStrings(each, map)]),
    );
  }
  return value;
}

/** Ids of the records `search-seed` added, by provider key, for `search-drop`. */
const searchIds = new Map<string, string[]>();
/** The workflow `search-seed` added to a simulator that lists per workflow, for `search-drop`. */
const searchWorkflows = new Map<string, string>();
/** The members of a simulator that lists per workflow, by folder (Yandex). */
interface Folders {
  folderId: string;
  workflows: Map<string, { id: string; folderId: string; name?: string }>;
}
const hasFolders = (sim: object): sim is Folders =>
  'workflows' in sim && sim.workflows instanceof Map && 'folderId' in sim;
/** The bench's own records (`bench-<i>`, `done-<i>`, `watch-<i>`) set aside while the search phase runs. */
const setAside = new Map<string, Map<string, unknown>>();
/** The last list call each listing simulator received: what a plain client sends to repeat it. */
const lastList: Record<string, { url: string; headers: Record<string, string> }> = {};
const HOP_BY_HOP = new Set([
  'host',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
]);

/**
 * For the search phase. First the records this file added for the other phases are set aside:
 * each list call of these simulators sorts every record it holds, and with the 1500 `done-<i>`
 * of each one durable list took about 20 ms of the simulators' one process (three lists about
 * 45 ms in a row, against D = 50 ms). Then `each` running executions `search-<i>` are added per
 * provider that lists, all of workflow `workflow`, created at `base` plus whole minutes, four at
 * each minute across the providers (ties across providers and within one). Each is a copy of a
 * running record of the simulator's own history (what its list call pages through) with its id,
 * workflow and times rewritten, every time moved by the same amount so that its creation lands
 * on its minute: no provider's field is named here. A simulator that lists per workflow, by
 * folder, gets that workflow in a folder of its own, and the answer's `env` points the search's
 * subgraph at that folder (the variable that named the simulator's folder), so that it lists one
 * workflow with no workflow filter (a filter on workflow or state makes each list call ask for
 * at least 100 items, not the page's `first` + 1).
 */
function seedSearch(
  workflow: string,
  base: number,
  each: number,
): { records: SearchRecord[]; env: Record<string, string> } {
  const listing = providers.filter(({ datasource }) => datasource.list);
  const added: SearchRecord[] = [];
  const env: Record<string, string> = {};
  const configured = simulatorEnv(sims);
  listing.forEach(({ datasource, type }, p) => {
    const sim = sims[datasource.key]!;
    const own = new Set([...sim.seeded, ...sim.history].map(({ id }) => id));
    const aside = new Map([...sim.records].filter(([id]) => !own.has(id)));
    for (const id of aside.keys()) sim.records.delete(id);
    setAside.set(datasource.key, aside);
    const createdOf = type.createdAt ?? type.startedAt;
    const templates = sim.history
      .map(({ id }) => {
        const record = sim.records.get(id);
        return { id, record, raw: rawOf(record, datasource.shape) };
      })
      .filter(
        ({ raw }) =>
          raw !== undefined &&
          stateOf(type.states, type.status(raw)) === 'RUNNING' &&
          typeof type.workflowId?.(raw) === 'string' &&
          Number.isFinite(Date.parse(createdOf(raw) ?? '')),
      );
    if (templates.length === 0) {
      throw new Error(`search-seed: ${datasource.key} lists no running execution to copy`);
    }
    const ids: string[] = [];
    for (let i = 0; i < each; i++) {
      const template = templates[i % templates.length]!;
      const nativeId = `search-${String(i).padStart(3, '0')}`;
      const createdAt = base + Math.floor((i * listing.length + p) / 4) * 60_000;
      const shift = createdAt - Date.parse(createdOf(template.raw)!);
      const oldWorkflow = type.workflowId!(template.raw);
      const record = mapStrings(template.record, (text) => {
        if (text === template.id) return nativeId;
        if (text === oldWorkflow) return workflow;
        if (TIMESTAMP.test(text)) return new Date(Date.parse(text) + shift).toISOString();
        return text;
      });
      sim.records.set(nativeId, record);
      ids.push(nativeId);
      added.push({ id: globalId(datasource.key, nativeId), createdAt });
    }
    searchIds.set(datasource.key, ids);
    if (hasFolders(sim)) {
      const [model] = sim.workflows.values();
      if (!model) throw new Error(`search-seed: ${datasource.key} has no workflow to copy`);
      const folderId = `${workflow}-folder`;
      sim.workflows.set(workflow, { ...model, id: workflow, folderId, name: workflow });
      searchWorkflows.set(datasource.key, workflow);
      for (const [name, value] of Object.entries(configured)) {
        if (value === sim.folderId) env[name] = folderId;
      }
    }
  });
  return { records: added, env };
}

/** List calls (and workflow list calls) of each simulator, as last reported. */
const listsSeen: Record<string, { lists: number; workflowLists: number }> = {};

/** Wall-clock milliseconds, comparable with the bench process's (`performance.now()` is not). */
const wallClock = () => performance.timeOrigin + performance.now();
/** When the last execution request arrived, wall clock, for the watch phase's drop. */
let lastRequestAt = 0;
/** The watch phase's running executions, `watch-<i>` per provider: a change flips them between the first two statuses of their provider's lifecycle. */
let watchFlip = 0;

/**
 * The stream rows' executions (the durable engine's): `tree-<t>` roots, each with children
 * `tree-<t>-<j>`, all running; a change flips every one between `running` and `waiting` (both
 * RUNNING to a subscriber, but a new `providerStatus`), and the engine's stream tells of it.
 */
const streamIds: string[] = [];
let streamFlip = 0;
const STREAM_STATUSES = ['running', 'waiting'] as const;
interface StreamSim {
  readonly lastEventAt: number | undefined;
  readonly streamsOpen: number;
  readonly streamCalls: number;
  cutStreams(): void;
}

process.on('message', (message: Message) => {
  let changedAt: number | undefined;
  let states: Record<string, string> | undefined;
  const durable = sims.durable! as (typeof sims)[string] & StreamSim;
  let search: ReturnType<typeof seedSearch> | undefined;
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
    case 'stream-seed': {
      streamFlip = 0;
      for (const id of streamIds.splice(0)) durable.records.delete(id);
      for (let t = 0; t < message.trees; t++) {
        const root = `tree-${t}`;
        for (let j = 0; j < message.perTree; j++) {
          const id = j === 0 ? root : `${root}-${j}`;
          const record = durable.definition.record(id, STREAM_STATUSES[0]) as Record<
            string,
            unknown
          >;
          record.workflow_id = `stream-${t}`;
          if (j > 0) {
            record.parent_execution_id = root;
            record.root_execution_id = root;
          }
          durable.records.set(id, record);
          streamIds.push(id);
        }
      }
      break;
    }
    case 'stream-change':
      streamFlip = 1 - streamFlip;
      for (const id of streamIds) {
        (durable.records.get(id) as { status: string }).status = STREAM_STATUSES[streamFlip]!;
      }
      changedAt = wallClock();
      break;
    case 'stream-cut':
      durable.cutStreams();
      break;
    case 'stream-states':
      states = Object.fromEntries(
        streamIds.map((id) => [id, (durable.records.get(id) as { status: string }).status]),
      );
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
    case 'search-seed':
      search = seedSearch(message.workflow, message.base, message.each);
      break;
    case 'search-drop':
      for (const [key, ids] of searchIds) for (const id of ids) sims[key]!.records.delete(id);
      searchIds.clear();
      for (const [key, aside] of setAside) {
        for (const [id, record] of aside) sims[key]!.records.set(id, record);
      }
      setAside.clear();
      for (const [key, workflow] of searchWorkflows) {
        const sim = sims[key]!;
        if (hasFolders(sim)) sim.workflows.delete(workflow);
      }
      searchWorkflows.clear();
      break;
    case 'webhook-seed': {
      pusher(message.key).webhookUrl = message.url;
      const { definition, records } = sims[message.key]!;
      const running = statusOf(message.key, 'RUNNING');
      for (const id of message.ids) records.set(id, definition.record(id, running));
      break;
    }
    case 'webhook-send':
      // Answered twice: the counts now, and `webhook-sent` once every delivery ended.
      void sendWebhooks(message.key, message.ids, message.everyMs).then((sends) =>
        process.send?.({ type: 'webhook-sent', sends }),
      );
      break;
    case 'webhook-drop':
      pusher(message.key).webhookUrl = undefined;
      for (const id of message.ids) sims[message.key]!.records.delete(id);
      break;
    case 'counts':
    case 'last-lists':
      break;
  }
  // List calls since the previous answer, from the counters of the simulators that have them.
  const lists: Record<string, number> = {};
  const workflowLists: Record<string, number> = {};
  for (const key of keys) {
    const sim = sims[key] as { listCalls?: number; workflowListCalls?: number };
    const list = sims[key]!.requests.findLast(
      (request) => request.id === null && request.method === 'GET' && 'listCalls' in sim,
    );
    if (list) {
      lastList[key] = {
        url: new URL(sims[key]!.url).origin + list.url,
        headers: Object.fromEntries(
          Object.entries(list.headers)
            .filter(([name, value]) => typeof value === 'string' && !HOP_BY_HOP.has(name))
            .map(([name, value]) => [name, value as string]),
        ),
      };
    }
    const now = { lists: sim.listCalls ?? 0, workflowLists: sim.workflowListCalls ?? 0 };
    const seen = listsSeen[key] ?? { lists: 0, workflowLists: 0 };
    lists[key] = now.lists - seen.lists;
    workflowLists[key] = now.workflowLists - seen.workflowLists;
    listsSeen[key] = now;
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
    search,
    lastList: message.type === 'last-lists' ? lastList : undefined,
    states,
    streamsOpen: durable.streamsOpen,
    lastEventAt: durable.lastEventAt,
    streamCalls: durable.streamCalls,
    lists,
    workflowLists,
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
