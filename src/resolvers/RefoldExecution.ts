import type {
  RefoldApplicationRaw,
  RefoldExecutionRaw,
  RefoldStep,
} from '../datasources/refold.js';
import type { StepModel } from '../executions/model.js';
import { LINKED_ACCOUNT_HEADER, linkedAccountOf } from '../datasources/refold.js';
import type {
  RefoldApplicationResolvers,
  RefoldEnvironment,
  RefoldExecutionResolvers,
  RefoldWorkflowResolvers,
} from '../__generated__/resolvers-types.js';
import { defineExecutionType } from './execution-type.js';

const ENVIRONMENTS: Readonly<Record<string, RefoldEnvironment>> = {
  test: 'TEST',
  production: 'PRODUCTION',
};

const RefoldExecutionFields: RefoldExecutionResolvers = {
  name: ({ raw }) => raw.name ?? null,
  environment: ({ raw }) => ENVIRONMENTS[raw.environment?.trim().toLowerCase() ?? ''] ?? null,
  application: ({ raw }) => raw.associated_application ?? null,
  workflow: ({ raw }) => raw.associated_workflow ?? null,
  configId: ({ raw }) => raw.config_id ?? null,
  associatedEventId: ({ raw }) => raw.associated_event_id ?? null,
  linkedAccountId: (_, __, context) => linkedAccountOf(context.header(LINKED_ACCOUNT_HEADER)),
};

const associated = {
  id: (raw: RefoldApplicationRaw) => raw._id || raw._id_ || null,
  name: (raw: RefoldApplicationRaw) => raw.name || null,
  icon: (raw: RefoldApplicationRaw) => raw.icon || null,
};

const RefoldApplication: RefoldApplicationResolvers = associated;
const RefoldWorkflow: RefoldWorkflowResolvers = associated;

/** A node of the execution: its status, attempts and time (milliseconds), no start. */
const steps: StepModel<RefoldStep> = {
  states: {
    queued: 'PENDING',
    pending: 'PENDING',
    running: 'RUNNING',
    in_progress: 'RUNNING',
    completed: 'SUCCEEDED',
    success: 'SUCCEEDED',
    errored: 'FAILED',
    failed: 'FAILED',
    timed_out: 'FAILED',
    stopped: 'CANCELLED',
    cancelled: 'CANCELLED',
    // A node the workflow did not reach: it will not run in this execution.
    skipped: 'CANCELLED',
  },
  name: (node) => node.node_name || node.node_id || 'node',
  status: (node) => node.node_status,
  startedAt: () => null,
  // A node never tried (queued, skipped) has no duration, whatever its time says.
  durationSeconds: (node) =>
    typeof node.execution_time === 'number' && node.attempts_made !== 0
      ? node.execution_time / 1000
      : null,
  attempts: (node) => node.attempts_made ?? null,
  error: (node) => {
    const status = node.node_status?.trim().toLowerCase();
    if (status !== 'errored' && status !== 'failed' && status !== 'timed_out') return null;
    return { message: messageOf(node.latest_output) ?? `${node.node_status}`, code: null };
  },
};

/** The message in a node's output: the text itself, or its `message` or `error`. */
function messageOf(output: unknown): string | null {
  if (typeof output === 'string') return output || null;
  if (output && typeof output === 'object') {
    const { message, error } = output as { message?: unknown; error?: unknown };
    if (typeof message === 'string' && message) return message;
    if (typeof error === 'string' && error) return error;
    if (error && typeof error === 'object') return messageOf(error);
  }
  return null;
}

export const RefoldExecution = defineExecutionType<RefoldExecutionRaw>({
  typename: 'RefoldExecution',
  states: {
    queued: 'PENDING',
    pending: 'PENDING',
    running: 'RUNNING',
    in_progress: 'RUNNING',
    stopping: 'STOPPING',
    completed: 'SUCCEEDED',
    success: 'SUCCEEDED',
    errored: 'FAILED',
    failed: 'FAILED',
    timed_out: 'FAILED',
    stopped: 'CANCELLED',
    cancelled: 'CANCELLED',
  },
  status: (raw) => raw.status,
  // Refold reports only when an execution was created; that is its start.
  startedAt: (raw) => raw.createdAt,
  createdAt: (raw) => raw.createdAt,
  workflowId: (raw) => raw.associated_workflow?._id || raw.associated_workflow?._id_,
  endedAt: () => null,
  steps,
  example: 'name application { name } workflow { name }',
  resolvers: { RefoldExecution: RefoldExecutionFields, RefoldApplication, RefoldWorkflow },
});
