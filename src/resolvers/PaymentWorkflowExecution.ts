import type { PaymentWorkflowExecutionRaw } from '../datasources/payment.js';
import type { LoadedExecution } from '../executions/model.js';
import type {
  PaymentWorkflowEventResolvers,
  PaymentWorkflowExecutionResolvers,
} from '../__generated__/resolvers-types.js';
import { toDateTime } from '../time.js';
import { stateOf } from '../executions/model.js';
import { defineExecutionType } from './execution-type.js';

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

type Execution = PaymentWorkflowExecutionRaw['execution'];

/** A field of the execution object inside the envelope's `data`, null when absent. */
const field =
  <K extends keyof Execution>(key: K) =>
  ({ raw }: LoadedExecution<PaymentWorkflowExecutionRaw>): NonNullable<Execution[K]> | null =>
    raw.execution[key] ?? null;

const PaymentWorkflowExecutionFields: PaymentWorkflowExecutionResolvers = {
  workflowId: field('workflowId'),
  runId: field('runId'),
  organizationId: field('organizationId'),
  orderId: field('orderId'),
  checkoutSessionId: field('checkoutSessionId'),
  externalRef: field('externalRef'),
  idempotencyKey: field('idempotencyKey'),
  paymentStatus: field('paymentStatus'),
  statusReason: field('statusReason'),
  initiatedBy: ({ raw: { execution } }) => ({
    id: execution.initiatedById ?? null,
    type: execution.initiatedByType ?? null,
  }),
  source: ({ raw: { execution } }) => ({
    system: execution.sourceSystem ?? null,
    entityId: execution.sourceEntityId ?? null,
    entityType: execution.sourceEntityType ?? null,
  }),
  requestPayload: field('requestPayload'),
  responsePayload: field('responsePayload'),
  clientSafeMetadata: field('clientSafeMetadata'),
  updatedAt: ({ raw: { execution } }) => toDateTime(execution.updatedAt),
  events: ({ raw }) => raw.events,
};

const PaymentWorkflowEvent: PaymentWorkflowEventResolvers = {
  createdAt: (event) => toDateTime(event.createdAt),
  data: (event) => event.data ?? null,
};

export const PaymentWorkflowExecution = defineExecutionType<PaymentWorkflowExecutionRaw>({
  typename: 'PaymentWorkflowExecution',
  states: STATES,
  status: (raw) => raw.execution.status,
  startedAt: (raw) => raw.execution.startedAt,
  endedAt: (raw) => raw.execution.finishedAt,
  createdAt: (raw) => raw.execution.createdAt,
  // The platform has no error object: a failed execution's status reason is its error.
  error: ({ execution }) =>
    stateOf(STATES, execution.status) === 'FAILED' && execution.statusReason
      ? { message: execution.statusReason, code: null }
      : null,
  example: 'paymentStatus events { eventType createdAt }',
  resolvers: { PaymentWorkflowExecution: PaymentWorkflowExecutionFields, PaymentWorkflowEvent },
});
