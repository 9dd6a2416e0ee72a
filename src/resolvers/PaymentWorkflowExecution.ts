import type { PaymentExecutionRaw } from '../datasources/payment.js';
import type {
  PaymentWorkflowEventResolvers,
  PaymentWorkflowExecutionResolvers,
} from '../__generated__/resolvers-types.js';
import { toDateTime } from '../time.js';
import { executionFields, stateOf } from './execution-fields.js';

const STATES = {
  awaiting_payment: 'WAITING',
  workflow_waiting: 'WAITING',
  payment_confirmed: 'PENDING',
  workflow_queued: 'PENDING',
  workflow_running: 'RUNNING',
  workflow_succeeded: 'SUCCEEDED',
  workflow_failed: 'FAILED',
  workflow_cancelled: 'CANCELLED',
} as const;

type Execution = PaymentExecutionRaw['execution'];

/** A field of the execution object inside the envelope's `data`, null when absent. */
const field =
  <K extends keyof Execution>(key: K) =>
  (raw: PaymentExecutionRaw): NonNullable<Execution[K]> | null =>
    raw.execution[key] ?? null;

export const PaymentWorkflowExecution: PaymentWorkflowExecutionResolvers = {
  ...executionFields<PaymentExecutionRaw>({
    typename: 'PaymentWorkflowExecution',
    states: STATES,
    status: (raw) => raw.execution.status,
    startedAt: (raw) => raw.execution.startedAt,
    endedAt: (raw) => raw.execution.finishedAt,
    // The platform has no error object: a failed execution's status reason is its error.
    error: ({ execution }) =>
      stateOf(STATES, execution.status) === 'FAILED' && execution.statusReason
        ? { message: execution.statusReason, code: null }
        : null,
  }),
  workflowId: field('workflowId'),
  runId: field('runId'),
  organizationId: field('organizationId'),
  orderId: field('orderId'),
  checkoutSessionId: field('checkoutSessionId'),
  externalRef: field('externalRef'),
  idempotencyKey: field('idempotencyKey'),
  paymentStatus: field('paymentStatus'),
  statusReason: field('statusReason'),
  initiatedBy: ({ execution }) => ({
    id: execution.initiatedById ?? null,
    type: execution.initiatedByType ?? null,
  }),
  source: ({ execution }) => ({
    system: execution.sourceSystem ?? null,
    entityId: execution.sourceEntityId ?? null,
    entityType: execution.sourceEntityType ?? null,
  }),
  requestPayload: field('requestPayload'),
  responsePayload: field('responsePayload'),
  clientSafeMetadata: field('clientSafeMetadata'),
  createdAt: ({ execution }) => toDateTime(execution.createdAt),
  updatedAt: ({ execution }) => toDateTime(execution.updatedAt),
  events: (raw) => raw.events,
};

export const PaymentWorkflowEvent: PaymentWorkflowEventResolvers = {
  createdAt: (event) => toDateTime(event.createdAt),
  data: (event) => event.data ?? null,
};
