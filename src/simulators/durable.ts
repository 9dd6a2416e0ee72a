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
  attach: ({ credentials, records, later }) => {
    let listCalls = 0;
    return {
      authorize: bearer(credentials.token, {
        missing: 'Missing "Authorization: Bearer <token>" header',
        invalid: 'Invalid token',
      }),
      extension: {
        get listCalls() {
          return listCalls;
        },
      },
      reset: () => void (listCalls = 0),
      routes: [
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
            // Cancelled once the workers confirm.
            later(() => {
              for (const record of tree) {
                if (record.status === 'pending_cancel') record.status = 'cancelled';
              }
            });
            return {
              status: 200,
              body: { execution_id: id, status: 'pending_cancel', cancelled_at: cancelledAt },
            };
          },
        },
      ],
    };
  },
};

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
  options: StartOptions & { credentials?: Partial<DurableCredentials> } = {},
): Promise<DurableSimulator> {
  return startSimulator(durableSimulator, options);
}
