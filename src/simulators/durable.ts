import { bearer, startSimulator } from './server.js';
import { SAMPLE_END, SAMPLE_START } from './records.js';
import type {
  ProviderError,
  SeedRecord,
  Simulator,
  SimulatorDefinition,
  StartOptions,
} from './server.js';

export interface DurableCredentials {
  token: string;
}

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

/** Durable workflow engine: `GET /api/v1/executions/{id}` with `Authorization: Bearer <token>`. */
export const durableSimulator: SimulatorDefinition = {
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
  errorBody: (error: ProviderError) => ({
    error: { code: ERROR_CODES[error.status] ?? 'error', message: error.message },
  }),
  attach: ({ credentials, records, later }) => ({
    authorize: bearer(credentials.token, {
      missing: 'Missing "Authorization: Bearer <token>" header',
      invalid: 'Invalid token',
    }),
    routes: [
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
  }),
};

/** The statuses the engine can cancel from (Polos' source). */
const CANCELLABLE: ReadonlySet<string> = new Set([
  'queued',
  'claimed',
  'running',
  'waiting',
  'pending_cancel',
]);

function isDurable(record: unknown): record is DurableExecution {
  return typeof record === 'object' && record !== null && 'root_execution_id' in record;
}

/** Starts the durable-engine simulator; credentials default to `durableSimulator.credentials`. */
export function startDurableSimulator(
  options: StartOptions & { credentials?: Partial<DurableCredentials> } = {},
): Promise<Simulator> {
  return startSimulator(durableSimulator, options);
}
