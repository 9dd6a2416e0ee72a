import type { ServerlessWorkflowExecutionResolvers } from '../__generated__/resolvers-types.js';
import { ApiError } from '../errors.js';
import { refOf } from '../graphql/loaders.js';
import { parseDuration, parseTimestamp } from '../time.js';
import { executionFields, isTerminalState, stateOf } from './execution-fields.js';

const STATES = {
  queued: 'PENDING',
  running: 'RUNNING',
  paused: 'WAITING',
  stopped: 'CANCELLED',
  failed: 'FAILED',
  finished: 'SUCCEEDED',
} as const;

export const ServerlessWorkflowExecution: ServerlessWorkflowExecutionResolvers = {
  ...executionFields({
    typename: 'ServerlessWorkflowExecution',
    states: STATES,
    status: (raw) => raw.status,
    startedAt: (raw) => raw.startedAt,
    // Yandex sends a start and a duration; a finished execution ended at their sum.
    endedAt: (raw) => {
      const started = parseTimestamp(raw.startedAt);
      const seconds = parseDuration(raw.duration);
      if (!started || seconds === null || !isTerminalState(stateOf(STATES, raw.status)))
        return null;
      return new Date(started.getTime() + seconds * 1000).toISOString();
    },
    durationSeconds: (raw) => parseDuration(raw.duration),
    error: ({ error }) =>
      error && (error.message || error.errorCode)
        ? { message: error.message || error.errorCode || '', code: error.errorCode || null }
        : null,
  }),
  workflowId: (raw) => raw.workflowId ?? null,
  input: (raw) => parseEmbeddedJson(raw.input?.inputJson, 'input.inputJson', refOf(raw).id),
  result: (raw) => parseEmbeddedJson(raw.result?.resultJson, 'result.resultJson', refOf(raw).id),
};

/** Yandex sends inputs and results as JSON inside a string; empty means none. */
function parseEmbeddedJson(text: string | null | undefined, field: string, id: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(`SERVERLESS_WORKFLOW sent ${field} of ${id} that is not valid JSON.`, {
      code: 'UPSTREAM_ERROR',
      provider: 'SERVERLESS_WORKFLOW',
    });
  }
}
