import type { RefoldApplicationRaw, RefoldExecutionRaw } from '../datasources/refold.js';
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
  example: 'name application { name } workflow { name }',
  resolvers: { RefoldExecution: RefoldExecutionFields, RefoldApplication, RefoldWorkflow },
});
