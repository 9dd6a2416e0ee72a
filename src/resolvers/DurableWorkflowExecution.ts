import type { Context } from '../graphql/context.js';
import type { DurableExecutionRaw } from '../datasources/durable.js';
import type { DurableWorkflowExecutionResolvers } from '../__generated__/resolvers-types.js';
import { refOf } from '../graphql/loaders.js';
import { toDateTime } from '../time.js';
import { executionFields } from './execution-fields.js';

export const DurableWorkflowExecution: DurableWorkflowExecutionResolvers = {
  ...executionFields({
    typename: 'DurableWorkflowExecution',
    states: {
      pending: 'PENDING',
      running: 'RUNNING',
      completed: 'SUCCEEDED',
      failed: 'FAILED',
      cancelled: 'CANCELLED',
    },
    status: (raw) => raw.status,
    startedAt: (raw) => raw.started_at,
    endedAt: (raw) => raw.completed_at || raw.cancelled_at,
    error: (raw) => (raw.error ? { message: raw.error, code: null } : null),
  }),
  workflowId: (raw) => raw.workflow_id,
  queueName: (raw) => raw.queue_name ?? null,
  concurrencyKey: (raw) => raw.concurrency_key ?? null,
  stepKey: (raw) => raw.step_key ?? null,
  batchId: (raw) => raw.batch_id ?? null,
  deploymentId: (raw) => raw.deployment_id ?? null,
  sessionId: (raw) => raw.session_id ?? null,
  userId: (raw) => raw.user_id ?? null,
  assignedToWorker: (raw) => raw.assigned_to_worker ?? null,
  retryCount: (raw) => raw.retry_count,
  runTimeoutSeconds: (raw) => raw.run_timeout_seconds ?? null,
  payload: (raw) => raw.payload ?? null,
  result: (raw) => raw.result ?? null,
  outputSchemaName: (raw) => raw.output_schema_name ?? null,
  createdAt: (raw) => toDateTime(raw.created_at),
  cancelledAt: (raw) => toDateTime(raw.cancelled_at),
  cancelledBy: (raw) => raw.cancelled_by ?? null,
  parentExecution: (raw, _, context) => related(raw, raw.parent_execution_id, context),
  rootExecution: (raw, _, context) => related(raw, raw.root_execution_id, context),
};

/** Another execution of the same engine, through the request's loader; none for a self-link. */
function related(
  raw: DurableExecutionRaw,
  nativeId: string | null | undefined,
  context: Context,
): Promise<DurableExecutionRaw> | null {
  if (!nativeId || nativeId === refOf(raw).nativeId) return null;
  return context.executions.loadNative(refOf(raw).key, nativeId) as Promise<DurableExecutionRaw>;
}
