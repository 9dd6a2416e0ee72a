import type { CloudShellExecutionRaw } from '../datasources/cloudshell.js';
import type { CloudShellExecutionResolvers } from '../__generated__/resolvers-types.js';
import { defineExecutionType } from './execution-type.js';

const CloudShellExecutionFields: CloudShellExecutionResolvers = {
  supportsCancellation: ({ raw: { supports_cancellation: value } }) =>
    typeof value === 'boolean' ? value : value?.trim().toLowerCase() === 'true',
  output: ({ raw }) => raw.output || null,
  selfLink: ({ raw }) => raw._links.self,
  stopLink: ({ raw }) => raw._links.stop ?? null,
};

export const CloudShellExecution = defineExecutionType<CloudShellExecutionRaw>({
  typename: 'CloudShellExecution',
  states: {
    pending: 'PENDING',
    running: 'RUNNING',
    stopping: 'STOPPING',
    canceled: 'CANCELLED',
    completed: 'SUCCEEDED',
    failed: 'FAILED',
  },
  status: (raw) => raw.status || null,
  startedAt: (raw) => raw.started,
  endedAt: (raw) => raw.ended,
  example: 'supportsCancellation stopLink { href method }',
  resolvers: { CloudShellExecution: CloudShellExecutionFields },
});
