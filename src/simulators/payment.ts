import { bearer, startSimulator } from './server.js';
import { SAMPLE_END, SAMPLE_START } from './records.js';
import type {
  ProviderError,
  SeedRecord,
  Simulator,
  SimulatorDefinition,
  StartOptions,
} from './server.js';

export interface PaymentCredentials {
  token: string;
}

type PaymentStatus =
  | 'awaiting_payment'
  | 'payment_confirmed'
  | 'workflow_queued'
  | 'workflow_running'
  | 'workflow_waiting'
  | 'workflow_succeeded'
  | 'workflow_failed'
  | 'workflow_cancelled';

interface PaymentEvent {
  createdAt: string;
  data: Record<string, unknown>;
  eventType: string;
  executionId: string;
  id: string;
  level: 'info' | 'warn' | 'error';
  message: string;
  nodeId: string | null;
  organizationId: string;
  requestId: string;
  runId: string;
  title: string;
  workflowId: string;
}

interface PaymentExecution {
  checkoutSessionId: string;
  clientSafeMetadata: Record<string, unknown>;
  createdAt: string;
  externalRef: string;
  finishedAt: string | null;
  id: string;
  idempotencyKey: string;
  initiatedById: string;
  initiatedByType: string;
  orderId: string;
  organizationId: string;
  paymentStatus: string;
  requestPayload: Record<string, unknown>;
  responsePayload: Record<string, unknown>;
  runId: string;
  sourceEntityId: string;
  sourceEntityType: string;
  sourceSystem: string;
  startedAt: string | null;
  status: PaymentStatus;
  statusReason: string | null;
  updatedAt: string;
  workflowId: string;
}

/** What `records` holds for the payment provider; the envelope is added when answering. */
export interface PaymentRecord {
  events: PaymentEvent[];
  execution: PaymentExecution;
}

const ORG = 'org_demo_01';
const WORKFLOW = 'wf_fulfil_order_v3';

type EventSpec = [eventType: string, level: PaymentEvent['level'], title: string, node?: string];

const EVENTS: Record<PaymentStatus, EventSpec[]> = {
  awaiting_payment: [['execution.created', 'info', 'Execution created']],
  payment_confirmed: [
    ['execution.created', 'info', 'Execution created'],
    ['payment.confirmed', 'info', 'Payment confirmed'],
  ],
  workflow_queued: [
    ['execution.created', 'info', 'Execution created'],
    ['payment.confirmed', 'info', 'Payment confirmed'],
    ['workflow.queued', 'info', 'Workflow queued'],
  ],
  workflow_running: [
    ['payment.confirmed', 'info', 'Payment confirmed'],
    ['workflow.started', 'info', 'Workflow started'],
    ['node.completed', 'info', 'Validate order', 'node_validate'],
  ],
  workflow_waiting: [
    ['workflow.started', 'info', 'Workflow started'],
    ['node.waiting', 'warn', 'Waiting for approval', 'node_approval'],
  ],
  workflow_succeeded: [
    ['payment.confirmed', 'info', 'Payment confirmed'],
    ['workflow.started', 'info', 'Workflow started'],
    ['node.completed', 'info', 'Ship order', 'node_ship'],
    ['workflow.succeeded', 'info', 'Workflow succeeded'],
  ],
  workflow_failed: [
    ['workflow.started', 'info', 'Workflow started'],
    ['node.failed', 'error', 'Charge capture failed', 'node_capture'],
    ['workflow.failed', 'error', 'Workflow failed'],
  ],
  workflow_cancelled: [
    ['execution.created', 'info', 'Execution created'],
    ['workflow.cancelled', 'warn', 'Workflow cancelled'],
  ],
};

function execution(
  n: number,
  status: PaymentStatus,
  fields: Partial<PaymentExecution> = {},
): SeedRecord {
  const id = `8c1f5d2e-4b7a-4e93-9a60-0000000000${String(n).padStart(2, '0')}`;
  const runId = `run_20261120_${n}`;
  const at = (second: number) =>
    `2026-11-20T10:${String(n).padStart(2, '0')}:${String(second).padStart(2, '0')}.000Z`;
  const paid = status !== 'awaiting_payment';
  const started = !['awaiting_payment', 'payment_confirmed', 'workflow_queued'].includes(status);
  const finished = ['workflow_succeeded', 'workflow_failed', 'workflow_cancelled'].includes(status);
  const exec: PaymentExecution = {
    checkoutSessionId: `cs_test_a1B2c3D4e5F6g7H8i9J0k${n}`,
    clientSafeMetadata: { locale: 'en-GB', plan: 'pro' },
    createdAt: at(0),
    externalRef: `ORD-2026-11${String(n).padStart(2, '0')}`,
    finishedAt: finished ? at(40) : null,
    id,
    idempotencyKey: `idem_7d3f_${n}`,
    initiatedById: 'user_1042',
    initiatedByType: 'user',
    orderId: `order_${5000 + n}`,
    organizationId: ORG,
    paymentStatus: paid ? 'paid' : 'unpaid',
    requestPayload: { sku: 'SKU-42', quantity: n, amount: 1999 * n, currency: 'EUR' },
    responsePayload: finished ? { trackingNumber: `TRK${900 + n}` } : {},
    runId,
    sourceEntityId: `ent_${300 + n}`,
    sourceEntityType: 'order',
    sourceSystem: 'shopify',
    startedAt: started ? at(10) : null,
    status,
    statusReason: null,
    updatedAt: at(finished ? 40 : 20),
    workflowId: WORKFLOW,
    ...fields,
  };
  const events = EVENTS[status].map(([eventType, level, title, node], i): PaymentEvent => ({
    createdAt: at(i * 10),
    data: node ? { nodeId: node, attempt: 1 } : { status },
    eventType,
    executionId: id,
    id: `evt_${n}_${i + 1}`,
    level,
    message: `${title} for order order_${5000 + n}`,
    nodeId: node ?? null,
    organizationId: ORG,
    requestId: `req_${n}${i}`,
    runId,
    title,
    workflowId: WORKFLOW,
  }));
  const record: PaymentRecord = { events, execution: exec };
  return { id, status, record };
}

/**
 * Payment-gated workflow platform: `GET /v1/executions/{id}` with `Authorization: Bearer <token>`.
 * `records` holds `{ events, execution }` (a `PaymentRecord`); the 200 body is the envelope
 * `{ code: 200, data: { events, execution, message: 'success' }, message: 'success', requestId }`
 * built at answer time, so `requestId` equals the response's `x-request-id` header.
 */
export const paymentSimulator: SimulatorDefinition = {
  provider: 'payment',
  lifecycle: ['awaiting_payment', 'payment_confirmed', 'workflow_running', 'workflow_succeeded'],
  statusOf: (record) => (record as PaymentRecord).execution.status,
  setStatus(record, status) {
    const { execution } = record as PaymentRecord;
    execution.status = status as PaymentStatus;
    if (status === 'workflow_running') execution.startedAt = new Date().toISOString();
    if (status === 'workflow_succeeded') execution.finishedAt = new Date().toISOString();
  },
  record: (id, status) => ({
    execution: { id, status, startedAt: SAMPLE_START, finishedAt: SAMPLE_END },
    events: [],
  }),
  route: '/v1/executions/{id}',
  credentials: { token: 'demo-payment-token' },
  seed: () => [
    execution(1, 'awaiting_payment'),
    execution(2, 'payment_confirmed'),
    execution(3, 'workflow_queued'),
    execution(4, 'workflow_running'),
    execution(5, 'workflow_waiting', { statusReason: 'Waiting for manual approval' }),
    execution(6, 'workflow_succeeded'),
    execution(7, 'workflow_failed', { statusReason: 'Card capture declined: insufficient_funds' }),
    execution(8, 'workflow_cancelled', {
      statusReason: 'Cancelled by customer',
      initiatedByType: 'api_key',
      initiatedById: 'key_live_9f2',
    }),
    // Live: awaiting payment to succeeded on the simulator's clock.
    { ...execution(9, 'awaiting_payment'), live: true },
  ],
  respond: (record, requestId) => ({
    code: 200,
    data: { ...(record as PaymentRecord), message: 'success' },
    message: 'success',
    requestId,
  }),
  errorBody: (error: ProviderError, requestId: string) => ({
    code: error.status,
    data: null,
    message: error.message,
    requestId,
  }),
  attach: ({ credentials }) => ({
    authorize: bearer(credentials.token, {
      missing: 'Missing "Authorization: Bearer <token>" header',
      invalid: 'Invalid API token',
    }),
  }),
};

/** Starts the payment-platform simulator; credentials default to `paymentSimulator.credentials`. */
export function startPaymentSimulator(
  options: StartOptions & { credentials?: Partial<PaymentCredentials> } = {},
): Promise<Simulator> {
  return startSimulator(paymentSimulator, options);
}
