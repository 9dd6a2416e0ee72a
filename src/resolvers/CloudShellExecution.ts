import type { CloudShellExecutionResolvers } from '../__generated__/resolvers-types.js';
import { executionFields } from './execution-fields.js';

export const CloudShellExecution: CloudShellExecutionResolvers = {
  ...executionFields({
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
  }),
  supportsCancellation: ({ supports_cancellation: value }) =>
    typeof value === 'boolean' ? value : value?.trim().toLowerCase() === 'true',
  output: (raw) => raw.output || null,
  selfLink: (raw) => raw._links.self,
  stopLink: (raw) => raw._links.stop ?? null,
};
