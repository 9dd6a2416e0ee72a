import type { Context } from '../graphql/context.js';
import type { DurableWorkflowExecutionRaw, DurableWorkflowStep } from '../datasources/durable.js';
import type { LoadedExecution, StepModel } from '../executions/model.js';
import type { DurableWorkflowExecutionResolvers } from '../__generated__/resolvers-types.js';
import { toDateTime } from '../time.js';
import { COMMON_LIST_FIELDS, defineExecutionType } from './execution-type.js';

const DurableWorkflowExecutionFields: DurableWorkflowExecutionResolvers = {
  workflowId: ({ raw }) => raw.workflow_id,
  queueName: ({ raw }) => raw.queue_name ?? null,
  concurrencyKey: ({ raw }) => raw.concurrency_key ?? null,
  stepKey: ({ raw }) => raw.step_key ?? null,
  batchId: ({ raw }) => raw.batch_id ?? null,
  deploymentId: ({ raw }) => raw.deployment_id ?? null,
  sessionId: ({ raw }) => raw.session_id ?? null,
  userId: ({ raw }) => raw.user_id ?? null,
  assignedToWorker: ({ raw }) => raw.assigned_to_worker ?? null,
  retryCount: ({ raw }) => raw.retry_count,
  runTimeoutSeconds: ({ raw }) => raw.run_timeout_seconds ?? null,
  payload: ({ raw }) => raw.payload ?? null,
  result: ({ raw }) => raw.result ?? null,
  outputSchemaName: ({ raw }) => raw.output_schema_name ?? null,
  cancelledAt: ({ raw }) => toDateTime(raw.cancelled_at),
  cancelledBy: ({ raw }) => raw.cancelled_by ?? null,
  parentExecution: (execution, _, context) =>
    related(execution, execution.raw.parent_execution_id, context),
  rootExecution: (execution, _, context) =>
    related(execution, execution.raw.root_execution_id, context),
};

/** Another execution of the same engine, through the request's loader; none for a self-link. */
function related(
  { ref }: LoadedExecution<DurableWorkflowExecutionRaw>,
  nativeId: string | null | undefined,
  context: Context,
): Promise<LoadedExecution<DurableWorkflowExecutionRaw>> | null {
  if (!nativeId || nativeId === ref.nativeId) return null;
  return context.executions.loadFrom(ref.provider, nativeId);
}

/**
 * A step from the engine's events (docs/steps.md): finished when its `step_finish` came; one
 * started and never finished failed with its execution, was cancelled with it, or still runs.
 */
const steps: StepModel<DurableWorkflowStep> = {
  states: { finished: 'SUCCEEDED', running: 'RUNNING', failed: 'FAILED', cancelled: 'CANCELLED' },
  name: (step) => step.step_key,
  status: (step) => step.status,
  startedAt: (step) => step.started_at,
  endedAt: (step) => step.finished_at,
  attempts: (step) => step.attempts,
  error: (step) => (step.error ? { message: step.error, code: null } : null),
};

export const DurableWorkflowExecution = defineExecutionType<DurableWorkflowExecutionRaw>({
  typename: 'DurableWorkflowExecution',
  states: {
    pending: 'PENDING',
    queued: 'PENDING',
    claimed: 'PENDING',
    running: 'RUNNING',
    waiting: 'WAITING',
    pending_cancel: 'STOPPING',
    completed: 'SUCCEEDED',
    failed: 'FAILED',
    cancelled: 'CANCELLED',
  },
  status: (raw) => raw.status,
  startedAt: (raw) => raw.started_at,
  endedAt: (raw) => raw.completed_at || raw.cancelled_at,
  createdAt: (raw) => raw.created_at,
  workflowId: (raw) => raw.workflow_id,
  error: (raw) => (raw.error ? { message: raw.error, code: null } : null),
  steps,
  example: 'workflowId parentExecution { id state }',
  // A run of the engine's list lacks the start, the cancellation and most of the record.
  listFields: [
    ...COMMON_LIST_FIELDS,
    'createdAt',
    'error',
    'workflowId',
    'sessionId',
    'payload',
    'result',
    'rootExecution',
  ],
  resolvers: { DurableWorkflowExecution: DurableWorkflowExecutionFields },
});
