import { createHash, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { bearer, startSimulator } from './server.js';
import { SAMPLE_END, SAMPLE_START } from './records.js';
import { badRequest, integer, newestFirst, rfc3339, single, sortKey } from './listing.js';
import type {
  ProviderError,
  SeedRecord,
  RouteRefusal,
  RouteReply,
  Simulator,
  SimulatorDefinition,
  StartOptions,
} from './server.js';

export interface DurableCredentials {
  token: string;
}

export interface DurableExtension {
  /** List calls (`GET /api/v1/workflows/runs`) received since start or the last `reset()`. */
  readonly listCalls: number;
  /**
   * Event list calls (`GET /api/v1/events`) received since start or the last `reset()`, refused
   * and faulted ones included.
   */
  readonly stepsCalls: number;
  /**
   * Run calls (`POST /api/v1/workflows/{workflow_id}/run`) received since start or the last
   * `reset()`, refused and faulted ones included.
   */
  readonly startCalls: number;
  /**
   * Default empty. Execution id -> the steps its events tell instead of those of `stepsOf`;
   * tests may set and delete entries. `reset()` empties it.
   */
  readonly steps: Map<string, DurableStep[]>;
  /** Event streams (`GET /api/v1/events/stream`) open now. */
  readonly streamsOpen: number;
  /**
   * Event stream calls received since start or the last `reset()`, refused and faulted ones
   * included.
   */
  readonly streamCalls: number;
  /**
   * Wall-clock milliseconds (`performance.timeOrigin + performance.now()`) when an event frame
   * (not a keepalive) was last written to a stream; undefined before the first.
   */
  readonly lastEventAt: number | undefined;
  /**
   * Default 15000 (or the `keepaliveMs` start option). Milliseconds an open stream stays silent
   * before it sends a `keepalive` frame, and between keepalives; may be changed at any time (open
   * streams take it at once). `reset()` restores the start value.
   */
  keepaliveMs: number;
  /**
   * Ends every open stream abruptly, as a network cut would: its socket is destroyed, with no
   * error frame and no end of the chunked body.
   */
  cutStreams(): void;
  /**
   * Default off. While on, the streams (open ones, and ones opened meanwhile once their headers
   * are sent) send nothing, not even keepalives; turned off, they send what they held back.
   * `reset()` turns it off.
   */
  hangStreams(on: boolean): void;
}

/**
 * A step of an execution, as the SDK publishes it on the root's topic: a `step_start` at each
 * of `starts` (retries start it again), and a `step_finish` at `finish` when it succeeded.
 */
export interface DurableStep {
  key: string;
  /** `run`, `wait_for`, `invoke`, ... */
  type: string;
  /** The `data` of each `step_start`. */
  input: unknown;
  /** Milliseconds after the execution's `started_at` that each attempt started. */
  starts: number[];
  /** Milliseconds after `started_at` that it finished; absent: it never finished. */
  finish?: number;
  /** `{result}` is the `data` of its `step_finish`. */
  result?: unknown;
}

export type DurableSimulator = Simulator & DurableExtension;

interface DurableExecution {
  created_at: string;
  id: string;
  payload: unknown;
  retry_count: number;
  status:
    | 'pending'
    | 'queued'
    | 'claimed'
    | 'running'
    | 'waiting'
    | 'pending_cancel'
    | 'completed'
    | 'failed'
    | 'cancelled';
  workflow_id: string;
  assigned_to_worker: string | null;
  batch_id: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  completed_at: string | null;
  concurrency_key: string | null;
  deployment_id: string | null;
  error: string | null;
  output_schema_name: string | null;
  parent_execution_id: string | null;
  queue_name: string | null;
  result: unknown;
  root_execution_id: string | null;
  run_timeout_seconds: number | null;
  session_id: string | null;
  started_at: string | null;
  step_key: string | null;
  user_id: string | null;
}

const ERROR_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  429: 'rate_limited',
  500: 'internal',
  502: 'bad_gateway',
  503: 'unavailable',
};

const BASE: Omit<DurableExecution, 'id' | 'status' | 'created_at' | 'workflow_id' | 'payload'> = {
  retry_count: 0,
  assigned_to_worker: null,
  batch_id: null,
  cancelled_at: null,
  cancelled_by: null,
  completed_at: null,
  concurrency_key: null,
  deployment_id: 'dep_2026_11_19',
  error: null,
  output_schema_name: null,
  parent_execution_id: null,
  queue_name: 'default',
  result: null,
  root_execution_id: null,
  run_timeout_seconds: 3600,
  session_id: null,
  started_at: null,
  step_key: null,
  user_id: 'user_42',
};

function execution(
  fields: Pick<DurableExecution, 'id' | 'status' | 'created_at' | 'workflow_id' | 'payload'> &
    Partial<DurableExecution>,
): SeedRecord {
  const record: DurableExecution = { ...BASE, ...fields };
  return { id: record.id, status: record.status, record };
}

const child = { parent_execution_id: 'wf_root_1', root_execution_id: 'wf_root_1' };

/** The workflows and statuses the listed history cycles through. */
const HISTORY_WORKFLOWS = ['order-fulfilment', 'monthly-billing', 'data-export', 'nightly-sync'];
const HISTORY_STATUSES = [
  'completed',
  'failed',
  'running',
  'completed',
  'queued',
  'cancelled',
  'waiting',
  'completed',
  'claimed',
  'pending',
  'failed',
] as const;
/** The first history run's creation; each next one 433 minutes later (64 runs: to 2026-11-20). */
const HISTORY_START = Date.parse('2026-11-01T00:00:00.000Z');
const HISTORY_STEP_MS = 433 * 60_000;

/**
 * When history run `i` was created: every fifth shares the time of the one before it, and so do
 * runs 5, 20, 35, ... (three at one instant), so a list has ties to order.
 */
function historyCreated(i: number): number {
  if (i > 0 && (i % 5 === 4 || i % 15 === 5)) return historyCreated(i - 1);
  return HISTORY_START + i * HISTORY_STEP_MS;
}

/** 64 older runs of four workflows for the list call, ids not in creation order. */
function durableHistory(): SeedRecord[] {
  return Array.from({ length: 64 }, (_, i) => {
    const status = HISTORY_STATUSES[i % HISTORY_STATUSES.length]!;
    const created = historyCreated(i);
    const at = (ms: number) => new Date(created + ms).toISOString();
    const started = !['queued', 'claimed', 'pending'].includes(status);
    const ended = status === 'completed' || status === 'failed';
    return execution({
      id: `wf_run_${String((i * 37) % 101).padStart(3, '0')}`,
      status,
      created_at: at(0),
      started_at: started ? at(1_500) : null,
      completed_at: ended ? at(60_000 + i * 1_000) : null,
      cancelled_at: status === 'cancelled' ? at(30_000) : null,
      cancelled_by: status === 'cancelled' ? 'user_42' : null,
      workflow_id: HISTORY_WORKFLOWS[i % HISTORY_WORKFLOWS.length]!,
      payload: { run: i },
      result: status === 'completed' ? { processed: i * 10 } : null,
      error: status === 'failed' ? `step 'load' failed: timeout after 30s (run ${i})` : null,
      session_id: i % 3 === 0 ? `sess_h${i}` : null,
      assigned_to_worker: status === 'queued' || status === 'pending' ? null : `worker-h${i % 4}`,
      retry_count: status === 'failed' ? 3 : 0,
    });
  });
}

/** The steps of the seeded executions that have some: the tree of `wf_root_1` and two more. */
const SEEDED_STEPS: Readonly<Record<string, readonly DurableStep[]>> = {
  // Running: two steps done, two invocations waiting for children (one running, one cancelled).
  wf_root_1: [
    {
      key: 'validate-order',
      type: 'run',
      input: { orderId: 'ORD-1001', items: 3 },
      starts: [200],
      finish: 800,
      result: { valid: true },
    },
    {
      key: 'reserve-stock',
      type: 'invoke',
      input: { orderId: 'ORD-1001' },
      starts: [1_000],
      finish: 8_700,
      result: { reserved: true, warehouse: 'AMS-2' },
    },
    {
      key: 'charge-card',
      type: 'invoke',
      input: { orderId: 'ORD-1001', amount: 129.9, currency: 'EUR' },
      starts: [9_000],
    },
    {
      key: 'send-invoice',
      type: 'invoke',
      input: { orderId: 'ORD-1001', channel: 'email' },
      starts: [12_000],
    },
  ],
  wf_child_1a: [
    {
      key: 'check-inventory',
      type: 'run',
      input: { orderId: 'ORD-1001' },
      starts: [200],
      finish: 2_000,
      result: { inStock: 3 },
    },
    {
      key: 'hold-items',
      type: 'run',
      input: { items: 3 },
      starts: [2_100],
      finish: 6_400,
      result: { reserved: true, warehouse: 'AMS-2' },
    },
  ],
  // Running: a step that succeeded on its third attempt, then a child it waits for.
  wf_child_1b: [
    {
      key: 'tokenize-card',
      type: 'run',
      input: { amount: 129.9, currency: 'EUR' },
      starts: [100],
      finish: 300,
      result: { token: 'tok_77' },
    },
    {
      key: 'authorize-payment',
      type: 'run',
      input: { token: 'tok_77' },
      starts: [400, 550, 700],
      finish: 900,
      result: { authorized: true },
    },
    {
      key: 'fraud-check',
      type: 'invoke',
      input: { customerId: 'customer-77' },
      starts: [1_000],
    },
  ],
  // Cancelled while it waited for an approval.
  wf_child_1c: [
    {
      key: 'render-invoice',
      type: 'run',
      input: { orderId: 'ORD-1001', channel: 'email' },
      starts: [200],
      finish: 1_200,
      result: { pdf: 'invoice-1001.pdf' },
    },
    {
      key: 'wait-for-approval',
      type: 'wait_for',
      input: { event: 'invoice.approved', timeout_seconds: 3600 },
      starts: [1_300],
    },
  ],
  // Failed: the ledger step started three times and never finished.
  wf_billing_7: [
    {
      key: 'load-invoices',
      type: 'run',
      input: { month: '2026-10' },
      starts: [100],
      finish: 900,
      result: { invoices: 42 },
    },
    { key: 'post-ledger', type: 'run', input: { invoices: 42 }, starts: [1_000, 2_000, 3_000] },
  ],
  wf_report_9: [
    {
      key: 'collect-metrics',
      type: 'run',
      input: 'week-47',
      starts: [100],
      finish: 60_000,
      result: { rows: 1200 },
    },
    {
      key: 'render-report',
      type: 'run',
      input: { rows: 1200 },
      starts: [60_100],
      finish: 140_000,
      result: { pages: 12 },
    },
    {
      key: 'upload',
      type: 'run',
      input: { pages: 12 },
      starts: [140_100],
      finish: 149_000,
      result: ['report-47.pdf'],
    },
  ],
};

/**
 * The steps of an execution: the seeded ones' own (`SEEDED_STEPS`), else what its status
 * implies, from its `started_at` (none without one), each step starting after the one before:
 * - `pending`, `queued`, `claimed`: none;
 * - `running`, `pending_cancel`, `cancelled`: `prepare` (run) started, not finished;
 * - `waiting`: `prepare` finished, then `await-signal` (wait_for) started;
 * - `failed`: `prepare` finished, then `load` started and never finished (the step the older
 *   runs' errors name);
 * - `completed`: `prepare`, `load` and `save` finished, none later than `completed_at`; `save`'s
 *   result is the execution's when it has one.
 */
export function stepsOf(execution: Partial<DurableExecution>): DurableStep[] {
  const seeded = execution.id === undefined ? undefined : SEEDED_STEPS[execution.id];
  if (seeded) return seeded.map((each) => ({ ...each, starts: [...each.starts] }));
  if (typeof execution.started_at !== 'string') return [];
  const prepare: DurableStep = {
    key: 'prepare',
    type: 'run',
    input: execution.payload ?? null,
    starts: [0],
  };
  const done = (step: DurableStep, finish: number, result: unknown): DurableStep => ({
    ...step,
    finish,
    result,
  });
  const load: DurableStep = { key: 'load', type: 'run', input: { prepared: true }, starts: [300] };
  switch (execution.status) {
    case 'running':
    case 'pending_cancel':
    case 'cancelled':
      return [prepare];
    case 'waiting':
      return [
        done(prepare, 200, { prepared: true }),
        { key: 'await-signal', type: 'wait_for', input: { event: 'resume' }, starts: [300] },
      ];
    case 'failed':
      return [done(prepare, 200, { prepared: true }), load];
    case 'completed': {
      const start = Date.parse(execution.started_at);
      const end = Date.parse(execution.completed_at ?? '');
      // No step ends after the execution did.
      const at = (ms: number) => (end >= start ? Math.min(ms, end - start) : ms);
      const save: DurableStep = {
        key: 'save',
        type: 'run',
        input: { loaded: 100 },
        starts: [at(800)],
      };
      return [
        { ...done(prepare, at(200), { prepared: true }) },
        { ...done(load, at(700), { loaded: 100 }), starts: [at(300)] },
        done(save, at(900), execution.result ?? { saved: true }),
      ];
    }
    default:
      return [];
  }
}

/** Which execution of a tree an event is about. */
interface EventMetadata {
  execution_id: string;
  workflow_id: string;
}

/**
 * An event of `GET /api/v1/events` and of the stream: a step's start or finish (as the SDK
 * publishes them), or a change of an execution's status on the simulator (see `statusEvent`).
 */
interface DurableEvent {
  id: string;
  sequence_id: number;
  topic: string;
  event_type: 'step_start' | 'step_finish' | StatusEventType;
  data:
    | { step_key: string; step_type: string; data: unknown; _metadata: EventMetadata }
    | { payload: unknown; _metadata: EventMetadata }
    | { result: unknown; _metadata: EventMetadata }
    | { status: string; _metadata: EventMetadata };
  created_at: string;
}

type StatusEventType = 'workflow_start' | 'workflow_finish' | 'workflow_status';

/** A stable UUID-shaped id for one event. */
function eventId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\n')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The root execution `topic` (`workflow/{root workflow_id}/{root execution id}`) names, with its
 * id; null when that execution is unknown, not a root, or of another workflow.
 */
function rootOf(
  records: Map<string, unknown>,
  topic: string,
): { id: string; record: Partial<DurableExecution> } | null {
  const match = /^workflow\/(.+)\/([^/]+)$/.exec(topic);
  if (!match) return null;
  const [, workflowId, rootId] = match as unknown as [string, string, string];
  const root = records.get(rootId);
  if (
    !isObject(root) ||
    root.workflow_id !== workflowId ||
    (root.root_execution_id != null && root.root_execution_id !== rootId)
  ) {
    return null;
  }
  return { id: rootId, record: root as Partial<DurableExecution> };
}

/** The topic execution `id` publishes on: its root's; null when its root is not stored. */
function topicOf(records: Map<string, unknown>, id: string): string | null {
  const record = records.get(id);
  if (!isObject(record)) return null;
  const rootId = typeof record.root_execution_id === 'string' ? record.root_execution_id : id;
  const root = records.get(rootId);
  if (!isObject(root) || typeof root.workflow_id !== 'string') return null;
  return `workflow/${root.workflow_id}/${rootId}`;
}

/**
 * Every event of `topic` (`workflow/{root workflow_id}/{root execution id}`): the step events of
 * the root and of every execution whose `root_execution_id` it is, by time (a tie: the tree's
 * stored order, then the steps' order), numbered from 1. None for a topic whose execution is
 * unknown, not a root, or of another workflow.
 */
function topicEvents(
  records: Map<string, unknown>,
  overrides: Map<string, DurableStep[]>,
  topic: string,
): DurableEvent[] {
  const rootId = rootOf(records, topic)?.id;
  if (rootId === undefined) return [];
  const tree = [...records]
    .filter(
      (entry): entry is [string, Partial<DurableExecution>] =>
        isObject(entry[1]) && (entry[0] === rootId || entry[1].root_execution_id === rootId),
    )
    .map(([id, record]) => ({ ...record, id: record.id ?? id }));
  const timed: Array<{ at: number; order: number[]; event: Omit<DurableEvent, 'sequence_id'> }> =
    [];
  for (const [e, execution] of tree.entries()) {
    const base = Date.parse(execution.started_at ?? '');
    if (Number.isNaN(base)) continue;
    const steps = overrides.get(execution.id) ?? stepsOf(execution);
    const _metadata = { execution_id: execution.id, workflow_id: String(execution.workflow_id) };
    const event = (
      type: DurableEvent['event_type'],
      step: DurableStep,
      offset: number,
      data: unknown,
      n: number,
    ) => ({
      at: base + offset,
      event: {
        id: eventId(topic, execution.id, step.key, type, String(n)),
        topic,
        event_type: type,
        data: { step_key: step.key, step_type: step.type, data, _metadata },
        created_at: new Date(base + offset).toISOString(),
      },
    });
    for (const [s, step] of steps.entries()) {
      for (const [n, offset] of step.starts.entries()) {
        timed.push({ ...event('step_start', step, offset, step.input, n), order: [e, s, n] });
      }
      if (step.finish !== undefined) {
        const finished = event('step_finish', step, step.finish, { result: step.result }, 0);
        timed.push({ ...finished, order: [e, s, step.starts.length] });
      }
    }
  }
  const byOrder = (a: number[], b: number[]) =>
    a.map((value, i) => value - b[i]!).find((diff) => diff !== 0) ?? 0;
  return timed
    .sort((a, b) => a.at - b.at || byOrder(a.order, b.order))
    .map(({ event: { id, ...rest } }, i) => ({ id, sequence_id: i + 1, ...rest }));
}

/** The engine polls its database for new events every 50 ms; so do the streams. */
const POLL_MS = 50;

/** The event a status change publishes: the SDK's own for a start and a finish. */
function statusEvent(
  execution: Partial<DurableExecution>,
  _metadata: EventMetadata,
): { event_type: StatusEventType; data: DurableEvent['data'] } {
  if (execution.status === 'running') {
    return {
      event_type: 'workflow_start',
      data: { payload: execution.payload ?? null, _metadata },
    };
  }
  if (execution.status === 'completed') {
    return { event_type: 'workflow_finish', data: { result: execution.result ?? null, _metadata } };
  }
  return { event_type: 'workflow_status', data: { status: String(execution.status), _metadata } };
}

/** An open `GET /api/v1/events/stream`. */
interface EventStream {
  response: ServerResponse;
  topic: string;
  /** The execution the stream follows: the root the topic names. */
  rootId: string;
  /** The `sequence_id` of the last event sent (or the `last_sequence_id` asked for). */
  sent: number;
  /** Marks the socket's destruction as the simulator's own (not an abort). */
  cut: () => void;
  keepalive?: NodeJS.Timeout;
  ended: boolean;
}

/**
 * The events of every topic and the streams that follow them. A topic's events are what its
 * tree's steps imply (`topicEvents`, numbered from 1, recomputed on every read) until a stream
 * opens on it or an execution of its tree changes status; from then on they are a log that only
 * grows: a status change appends the step events its new status implies (ids not yet in the log,
 * in time order), then one event of the change (`statusEvent`), each with the next `sequence_id`.
 * Status changes are noticed at once when the clock or a stop makes them, else within
 * `POLL_MS` while a stream is open (a test that sets a record's status), or on the next read.
 */
function durableEvents(
  records: Map<string, unknown>,
  overrides: Map<string, DurableStep[]>,
  startKeepaliveMs: number,
) {
  /** The topics whose events have become a log. */
  const logs = new Map<string, DurableEvent[]>();
  /** Each execution's status when last looked at (a change from it publishes an event). */
  const known = new Map<string, string>();
  const streams = new Set<EventStream>();
  let keepaliveMs = startKeepaliveMs;
  let hung = false;
  let calls = 0;
  let lastEventAt: number | undefined;
  let poller: NodeJS.Timeout | undefined;

  const baseline = () => {
    known.clear();
    for (const [id, record] of records) {
      if (isObject(record) && typeof record.status === 'string') known.set(id, record.status);
    }
  };
  baseline();

  /** The log of `topic`, begun from its events now when it has none, with new step events added. */
  const logOf = (topic: string): DurableEvent[] => {
    let log = logs.get(topic);
    if (!log) {
      log = topicEvents(records, overrides, topic);
      logs.set(topic, log);
      return log;
    }
    const have = new Set(log.map(({ id }) => id));
    for (const event of topicEvents(records, overrides, topic)) {
      if (!have.has(event.id)) log.push({ ...event, sequence_id: log.length + 1 });
    }
    return log;
  };

  /**
   * Publishes an event for every execution whose status changed since last looked at, and sends
   * the streams of the topics that changed what is new. Each topic's log is brought up to date
   * once per look, however many of its executions changed.
   */
  const observe = (): void => {
    const touched = new Map<string, DurableEvent[]>();
    for (const [id, record] of records) {
      if (!isObject(record) || typeof record.status !== 'string') continue;
      const before = known.get(id);
      known.set(id, record.status);
      if (before === undefined || before === record.status) continue;
      const topic = topicOf(records, id);
      if (topic === null) continue;
      let log = touched.get(topic);
      if (!log) {
        log = logOf(topic);
        touched.set(topic, log);
      }
      const execution = record as Partial<DurableExecution>;
      const _metadata = { execution_id: id, workflow_id: String(execution.workflow_id) };
      const { event_type, data } = statusEvent(execution, _metadata);
      const sequence_id = log.length + 1;
      log.push({
        id: eventId(topic, id, event_type, String(sequence_id)),
        sequence_id,
        topic,
        event_type,
        data,
        created_at: new Date().toISOString(),
      });
    }
    for (const stream of streams) {
      const log = touched.get(stream.topic);
      if (log) pump(stream, log);
    }
  };

  /** Every event of `topic` so far, status changes included. */
  const eventsOf = (topic: string): readonly DurableEvent[] => {
    observe();
    return logs.has(topic) ? logOf(topic) : topicEvents(records, overrides, topic);
  };

  const write = (stream: EventStream, data: string): void => {
    // A socket destroyed under the stream closes it a moment later; write nothing meanwhile.
    if (stream.response.destroyed) return forget(stream);
    stream.response.write(`data: ${data}\n\n`);
    arm(stream);
  };

  /** (Re)starts the stream's keepalive: one `keepaliveMs` after its last frame, unless hung. */
  const arm = (stream: EventStream): void => {
    clearTimeout(stream.keepalive);
    if (stream.ended || hung) return;
    stream.keepalive = setTimeout(() => write(stream, 'keepalive'), keepaliveMs);
  };

  const forget = (stream: EventStream): void => {
    stream.ended = true;
    clearTimeout(stream.keepalive);
    streams.delete(stream);
    if (streams.size === 0) {
      clearInterval(poller);
      poller = undefined;
    }
  };

  /** Sends the stream's events after the last it sent; then, if its root failed, the error. */
  const pump = (stream: EventStream, log = logOf(stream.topic)): void => {
    if (stream.ended || hung) return;
    const root = rootOf(records, stream.topic);
    if (!root) return;
    for (const event of log) {
      if (event.sequence_id <= stream.sent) continue;
      write(stream, JSON.stringify(event));
      stream.sent = event.sequence_id;
      lastEventAt = performance.timeOrigin + performance.now();
    }
    if (root.record.status === 'failed') {
      const message = root.record.error ?? 'Execution failed';
      write(stream, JSON.stringify({ type: 'error', message }));
      forget(stream);
      stream.response.end();
    }
  };

  /**
   * `GET /api/v1/events/stream?workflow_id&workflow_run_id&last_sequence_id`: the events of
   * topic `workflow/{workflow_id}/{workflow_run_id}` after `last_sequence_id` (exclusive; default:
   * from the first), then each new one as it is published, as `data:` frames; `data: keepalive`
   * after `keepaliveMs` without a frame. When the root fails: its events, then
   * `{"type":"error","message":<its error>}`, and the end. An unknown topic stays open with
   * keepalives only (as the engine's, which never looks the topic up).
   */
  const open = (query: URLSearchParams): RouteReply | RouteRefusal => {
    const named: string[] = [];
    for (const name of ['workflow_id', 'workflow_run_id']) {
      const value = single(query, name);
      if (typeof value === 'object') return value;
      if (value === undefined) {
        return badRequest(
          `${name} is required: stream a tree with workflow_id=<root workflow_id>&workflow_run_id=<root execution id>.`,
        );
      }
      named.push(value);
    }
    const [workflowId, rootId] = named as [string, string];
    const after = integer(query, 'last_sequence_id', {
      fallback: 0,
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    });
    if (typeof after !== 'number') return after;
    return {
      status: 200,
      contentType: 'text/event-stream',
      stream(response, cut) {
        const stream: EventStream = {
          response,
          topic: `workflow/${workflowId}/${rootId}`,
          rootId,
          sent: after,
          cut,
          ended: false,
        };
        streams.add(stream);
        response.once('close', () => forget(stream));
        poller ??= setInterval(observe, POLL_MS).unref();
        observe();
        // What its topic holds so far (observe sends only what changed).
        pump(stream);
        arm(stream);
      },
    };
  };

  return {
    eventsOf,
    observe,
    open,
    received: () => void (calls += 1),
    streamsOpen: () => streams.size,
    streamCalls: () => calls,
    lastEventAt: () => lastEventAt,
    keepaliveMs: () => keepaliveMs,
    setKeepaliveMs(ms: number) {
      if (!(ms > 0)) throw new RangeError(`keepaliveMs must be > 0, got ${ms}.`);
      keepaliveMs = ms;
      for (const stream of streams) arm(stream);
    },
    cutStreams() {
      for (const stream of [...streams]) {
        forget(stream);
        stream.cut();
        stream.response.destroy();
      }
    },
    hangStreams(on: boolean) {
      hung = on;
      for (const stream of streams) {
        if (!on) pump(stream);
        arm(stream);
      }
    },
    /** Ends every open stream (the end of its body), forgets the logs and counts. */
    reset() {
      for (const stream of [...streams]) {
        forget(stream);
        stream.response.end();
      }
      logs.clear();
      baseline();
      keepaliveMs = startKeepaliveMs;
      hung = false;
      calls = 0;
    },
  };
}

/**
 * `GET /api/v1/events?topic&last_sequence_id&limit`: the events of `topic` (required; see
 * `durableEvents`) after `last_sequence_id` (exclusive; default: from the first), at most `limit`
 * (default 100, 1 to 1000), with `next_sequence_id` the last one's `sequence_id` (null for none)
 * and `has_more` true when the page is full, as the engine says it (a full last page says true;
 * the next call answers none).
 */
function listEvents(
  eventsOf: (topic: string) => readonly DurableEvent[],
  query: URLSearchParams,
): RouteReply | RouteRefusal {
  const topic = single(query, 'topic');
  if (typeof topic === 'object') return topic;
  if (topic === undefined) {
    return badRequest('topic is required, e.g. topic=workflow/<workflow_id>/<root execution id>.');
  }
  const after = integer(query, 'last_sequence_id', {
    fallback: 0,
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
  });
  if (typeof after !== 'number') return after;
  const limit = integer(query, 'limit', { fallback: 100, min: 1, max: 1000 });
  if (typeof limit !== 'number') return limit;
  const events = eventsOf(topic)
    .filter(({ sequence_id }) => sequence_id > after)
    .slice(0, limit);
  return {
    status: 200,
    body: {
      events,
      next_sequence_id: events.at(-1)?.sequence_id ?? null,
      has_more: events.length === limit,
    },
  };
}

/**
 * The queued execution `POST /api/v1/workflows/{workflow_id}/run` creates from `body`
 * (`{"payload": <any JSON>}`, `payload` optional: null), created now; or a 400 for a body that
 * is not a JSON object.
 */
function runWorkflow(
  workflowId: string,
  body: string,
): { execution: DurableExecution } | RouteRefusal {
  let parsed: unknown;
  try {
    parsed = body.trim() === '' ? {} : JSON.parse(body);
  } catch {
    return badRequest('The body is not JSON: send {"payload": <any JSON>}.');
  }
  if (!isObject(parsed)) return badRequest('The body must be a JSON object: {"payload": ...}.');
  if (workflowId === '') return badRequest('The path names no workflow.');
  const execution: DurableExecution = {
    ...BASE,
    id: randomUUID(),
    status: 'queued',
    created_at: new Date().toISOString(),
    workflow_id: workflowId,
    payload: parsed.payload ?? null,
  };
  return { execution };
}

/** The fields of a run in the list call's answer, in the engine's order. */
const RUN_FIELDS = [
  'id',
  'root_execution_id',
  'workflow_id',
  'session_id',
  'created_at',
  'completed_at',
  'status',
  'payload',
  'result',
  'error',
] as const;

/**
 * `GET /api/v1/workflows/runs`: every stored execution (seeded, history, and any a test adds),
 * newest first by `created_at`, equal times by id descending; `limit` (default 50, 1 to 100) and
 * `offset` (default 0); `workflow_id`; `start_time <= created_at < end_time` (RFC 3339); no
 * status filter (an unknown parameter is ignored). `workflow_type` is `workflow` or absent (`agent`
 * and `tool` list nothing here). Items are the stored records cut to `RUN_FIELDS` (absent: null).
 */
function listRuns(
  records: Map<string, unknown>,
  query: URLSearchParams,
): RouteReply | RouteRefusal {
  const limit = integer(query, 'limit', { fallback: 50, min: 1, max: 100 });
  if (typeof limit !== 'number') return limit;
  const offset = integer(query, 'offset', { fallback: 0, min: 0, max: Number.MAX_SAFE_INTEGER });
  if (typeof offset !== 'number') return offset;
  const type = single(query, 'workflow_type');
  if (typeof type === 'object') return type;
  if (type !== undefined && !['workflow', 'agent', 'tool'].includes(type)) {
    return badRequest(`workflow_type must be 'workflow', 'agent' or 'tool', got '${type}'.`);
  }
  const workflow = single(query, 'workflow_id');
  if (typeof workflow === 'object') return workflow;
  const bounds: Array<bigint | undefined> = [];
  for (const name of ['start_time', 'end_time']) {
    const text = single(query, name);
    if (typeof text === 'object') return text;
    const at = text === undefined ? undefined : rfc3339(text);
    if (at === null) {
      return badRequest(
        `${name} must be an RFC 3339 date-time such as 2026-11-20T00:00:00Z, got '${text}'.`,
      );
    }
    bounds.push(at);
  }
  const [start, end] = bounds;
  if (type !== undefined && type !== 'workflow') return { status: 200, body: [] };
  const runs = [...records]
    .filter((entry): entry is [string, Record<string, unknown>] => isObject(entry[1]))
    .map(([id, stored]) => {
      const record: Record<string, unknown> = { ...stored, id: stored.id ?? id };
      return { record, key: sortKey(record.created_at, String(record.id)) };
    })
    .filter(
      ({ record, key }) =>
        (workflow === undefined || record.workflow_id === workflow) &&
        (start === undefined || key.at >= start) &&
        (end === undefined || key.at < end),
    )
    .sort((a, b) => newestFirst(a.key, b.key))
    .slice(offset, offset + limit)
    .map(({ record }) => Object.fromEntries(RUN_FIELDS.map((f) => [f, record[f] ?? null])));
  return { status: 200, body: runs };
}

/**
 * Durable workflow engine: `GET /api/v1/executions/{id}` with `Authorization: Bearer <token>`,
 * and its list call, `GET /api/v1/workflows/runs` (see `listRuns`), over the seeded executions
 * and 64 older ones (`history`).
 *
 * Steps: `GET /api/v1/events?topic=workflow/{root workflow_id}/{root id}` (see `listEvents`),
 * every execution of a tree on its root's topic (`stepsOf`). Running again:
 * `POST /api/v1/workflows/{workflow_id}/run` with `{"payload": ...}` answers `{execution_id,
 * created_at}` and stores a queued execution of that workflow and payload (its own root), which
 * goes on to running and completed on the simulator's clock (`progress`).
 *
 * Being told: `GET /api/v1/events/stream?workflow_id={root workflow_id}&workflow_run_id={root
 * id}[&last_sequence_id=N]` (see `durableEvents`): the same events as server-sent `data:` frames,
 * then each new one as an execution of the tree changes status (`workflow_start` on running,
 * `workflow_finish` on completed, `workflow_status` on any other status, after the step events the
 * new status implies), keepalives, and an error frame and the end when the root fails.
 */
export const durableSimulator: SimulatorDefinition<DurableExtension> = {
  provider: 'durable',
  lifecycle: ['queued', 'running', 'completed'],
  setStatus(record, status) {
    const execution = record as DurableExecution;
    execution.status = status as DurableExecution['status'];
    if (status === 'running') execution.started_at = new Date().toISOString();
    if (status === 'completed') execution.completed_at = new Date().toISOString();
  },
  record: (id, status) => ({
    id,
    created_at: SAMPLE_START,
    started_at: SAMPLE_START,
    completed_at: SAMPLE_END,
    payload: { n: 1 },
    retry_count: 0,
    status,
    workflow_id: 'w',
  }),
  route: '/api/v1/executions/{id}',
  credentials: { token: 'demo-durable-token' },
  seed: () => [
    execution({
      id: 'wf_root_1',
      status: 'running',
      created_at: '2026-11-20T10:00:00.000Z',
      started_at: '2026-11-20T10:00:01.000Z',
      workflow_id: 'order-fulfilment',
      payload: { orderId: 'ORD-1001', items: 3 },
      assigned_to_worker: 'worker-a1',
      session_id: 'sess_7f3a',
    }),
    execution({
      ...child,
      id: 'wf_child_1a',
      status: 'completed',
      created_at: '2026-11-20T10:00:02.000Z',
      started_at: '2026-11-20T10:00:03.000Z',
      completed_at: '2026-11-20T10:00:09.500Z',
      workflow_id: 'reserve-stock',
      step_key: 'reserve-stock',
      payload: { orderId: 'ORD-1001' },
      result: { reserved: true, warehouse: 'AMS-2' },
      output_schema_name: 'StockReservation',
      assigned_to_worker: 'worker-a2',
    }),
    execution({
      ...child,
      id: 'wf_child_1b',
      status: 'running',
      created_at: '2026-11-20T10:00:10.000Z',
      started_at: '2026-11-20T10:00:11.000Z',
      workflow_id: 'charge-card',
      step_key: 'charge-card',
      payload: { orderId: 'ORD-1001', amount: 129.9, currency: 'EUR' },
      retry_count: 2,
      concurrency_key: 'customer-77',
      assigned_to_worker: 'worker-a1',
      run_timeout_seconds: 120,
    }),
    execution({
      id: 'wf_grandchild_1b1',
      parent_execution_id: 'wf_child_1b',
      root_execution_id: 'wf_root_1',
      status: 'pending',
      created_at: '2026-11-20T10:00:12.000Z',
      workflow_id: 'fraud-check',
      step_key: 'fraud-check',
      payload: { customerId: 'customer-77' },
      queue_name: 'risk',
      run_timeout_seconds: null,
    }),
    execution({
      ...child,
      id: 'wf_child_1c',
      status: 'cancelled',
      created_at: '2026-11-20T10:00:13.000Z',
      started_at: '2026-11-20T10:00:14.000Z',
      cancelled_at: '2026-11-20T10:01:00.000Z',
      cancelled_by: 'user_42',
      workflow_id: 'send-invoice',
      step_key: 'send-invoice',
      payload: { orderId: 'ORD-1001', channel: 'email' },
    }),
    execution({
      id: 'wf_billing_7',
      status: 'failed',
      created_at: '2026-11-20T11:00:00.000Z',
      started_at: '2026-11-20T11:00:00.250Z',
      completed_at: '2026-11-20T11:00:04.000Z',
      workflow_id: 'monthly-billing',
      payload: { month: '2026-10' },
      retry_count: 3,
      error: 'upstream ledger returned 503 after 3 retries',
      batch_id: 'batch_2026_11',
      assigned_to_worker: 'worker-b1',
    }),
    execution({
      id: 'wf_report_9',
      status: 'completed',
      created_at: '2026-11-20T12:00:00.000Z',
      started_at: '2026-11-20T12:00:00.500Z',
      completed_at: '2026-11-20T12:02:30.000Z',
      workflow_id: 'weekly-report',
      payload: 'week-47',
      result: ['report-47.pdf'],
      batch_id: 'batch_2026_11',
      user_id: null,
    }),
    execution({
      id: 'wf_queued_3',
      status: 'pending',
      created_at: '2026-11-20T13:00:00.000Z',
      workflow_id: 'order-fulfilment',
      payload: null,
      queue_name: 'bulk',
      deployment_id: null,
    }),
    // Live: queued, running, completed on the simulator's clock.
    {
      ...execution({
        id: 'wf_live_1',
        status: 'queued',
        created_at: '2026-11-20T14:00:00.000Z',
        workflow_id: 'nightly-sync',
        payload: { tables: 12 },
      }),
      live: true,
    },
  ],
  history: durableHistory,
  errorBody: (error: ProviderError) => ({
    error: { code: ERROR_CODES[error.status] ?? 'error', message: error.message },
  }),
  attach: attachDurable(15_000),
};

/**
 * The durable simulator's hooks: auth, its routes (see `durableSimulator`), its members, with
 * streams sending a keepalive after `keepaliveMs` of silence.
 */
function attachDurable(keepaliveMs: number): SimulatorDefinition<DurableExtension>['attach'] {
  return ({ credentials, records, later, progress }) => {
    let listCalls = 0;
    let stepsCalls = 0;
    let startCalls = 0;
    const steps = new Map<string, DurableStep[]>();
    /** The executions a run call created. */
    const started = new Set<string>();
    const events = durableEvents(records, steps, keepaliveMs);
    return {
      authorize: bearer(credentials.token, {
        missing: 'Missing "Authorization: Bearer <token>" header',
        invalid: 'Invalid token',
      }),
      extension: {
        get listCalls() {
          return listCalls;
        },
        get stepsCalls() {
          return stepsCalls;
        },
        get startCalls() {
          return startCalls;
        },
        steps,
        get streamsOpen() {
          return events.streamsOpen();
        },
        get streamCalls() {
          return events.streamCalls();
        },
        get lastEventAt() {
          return events.lastEventAt();
        },
        get keepaliveMs() {
          return events.keepaliveMs();
        },
        set keepaliveMs(ms: number) {
          events.setKeepaliveMs(ms);
        },
        cutStreams: events.cutStreams,
        hangStreams: events.hangStreams,
      },
      reset() {
        listCalls = 0;
        stepsCalls = 0;
        startCalls = 0;
        steps.clear();
        started.clear();
        events.reset();
      },
      advanced(id, status) {
        const execution = records.get(id) as DurableExecution;
        if (started.has(id) && status === 'running') execution.assigned_to_worker = 'worker-sim';
        if (started.has(id) && status === 'completed') execution.result = { saved: true };
        events.observe();
      },
      routes: [
        {
          method: 'GET',
          path: '/api/v1/events',
          on: 'steps' as const,
          // A fault for an execution answers its tree's topic.
          subject: ({ query }) =>
            /^workflow\/.+\/([^/]+)$/.exec(query.get('topic') ?? '')?.[1] ?? null,
          received: () => void (stepsCalls += 1),
          handle: ({ query }) => listEvents(events.eventsOf, query),
        },
        {
          method: 'GET',
          path: '/api/v1/events/stream',
          on: 'stream' as const,
          // A fault for an execution answers the streams that follow it.
          subject: ({ query }) => query.get('workflow_run_id'),
          received: events.received,
          handle: ({ query }) => events.open(query),
        },
        {
          method: 'POST',
          path: '/api/v1/workflows/{id}/run',
          on: 'start' as const,
          received: () => void (startCalls += 1),
          handle({ id, body }) {
            const created = runWorkflow(id, body);
            if (!('execution' in created)) return created;
            const { execution } = created;
            records.set(execution.id, execution);
            started.add(execution.id);
            progress(execution.id);
            return {
              status: 200,
              body: { execution_id: execution.id, created_at: execution.created_at },
            };
          },
        },
        {
          method: 'GET',
          path: '/api/v1/workflows/runs',
          lists: true,
          received: () => void (listCalls += 1),
          handle: ({ query }) => listRuns(records, query),
        },
        {
          method: 'POST',
          path: '/api/v1/executions/{id}/cancel',
          acts: true,
          handle({ id }) {
            const target = records.get(id) as DurableExecution;
            if (!CANCELLABLE.has(target.status)) {
              return {
                status: 400,
                body: { error: 'Execution cannot be cancelled', error_type: 'CANCELLATION_ERROR' },
              };
            }
            // The engine cancels the whole tree: the root, and everything under it.
            const root = target.root_execution_id ?? target.id;
            const tree = [...records.values()].filter(
              (record): record is DurableExecution =>
                isDurable(record) &&
                (record.id === root || record.root_execution_id === root) &&
                CANCELLABLE.has(record.status),
            );
            const cancelledAt = new Date().toISOString();
            for (const record of tree) {
              record.status = 'pending_cancel';
              record.cancelled_at = cancelledAt;
              record.cancelled_by = 'api';
            }
            events.observe();
            // Cancelled once the workers confirm.
            later(() => {
              for (const record of tree) {
                if (record.status === 'pending_cancel') record.status = 'cancelled';
              }
              events.observe();
            });
            return {
              status: 200,
              body: { execution_id: id, status: 'pending_cancel', cancelled_at: cancelledAt },
            };
          },
        },
      ],
    };
  };
}

/** The statuses the engine can cancel from (Polos' source). */
const CANCELLABLE: ReadonlySet<string> = new Set([
  'queued',
  'claimed',
  'running',
  'waiting',
  'pending_cancel',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isDurable(record: unknown): record is DurableExecution {
  return typeof record === 'object' && record !== null && 'root_execution_id' in record;
}

/** Starts the durable-engine simulator; credentials default to `durableSimulator.credentials`. */
export function startDurableSimulator(
  options: StartOptions & {
    credentials?: Partial<DurableCredentials>;
    /** Default 15000. The start value of `keepaliveMs`. */
    keepaliveMs?: number;
  } = {},
): Promise<DurableSimulator> {
  const { keepaliveMs, ...rest } = options;
  const definition =
    keepaliveMs === undefined
      ? durableSimulator
      : { ...durableSimulator, attach: attachDurable(keepaliveMs) };
  return startSimulator(definition, rest);
}
