import type {
  ServerlessWorkflowExecutionRaw,
  ServerlessWorkflowStep,
} from '../datasources/serverless.js';
import type { ServerlessWorkflowExecutionResolvers } from '../__generated__/resolvers-types.js';
import { ApiError } from '../errors.js';
import type { ExecutionRef, StepModel } from '../executions/model.js';
import { parseDuration, parseTimestamp } from '../time.js';
import { isTerminalState, stateOf } from '../executions/model.js';
import { COMMON_LIST_FIELDS, defineExecutionType } from './execution-type.js';

const STATES = {
  queued: 'PENDING',
  running: 'RUNNING',
  paused: 'WAITING',
  stopped: 'CANCELLED',
  failed: 'FAILED',
  finished: 'SUCCEEDED',
  status_unspecified: 'UNKNOWN',
} as const;

const ServerlessWorkflowExecutionFields: ServerlessWorkflowExecutionResolvers = {
  workflowId: ({ raw }) => raw.workflowId ?? null,
  input: ({ ref, raw }) => parseEmbeddedJson(raw.input?.inputJson, 'input.inputJson', ref),
  result: ({ ref, raw }) => parseEmbeddedJson(raw.result?.resultJson, 'result.resultJson', ref),
};

/** Yandex sends inputs and results as JSON inside a string; empty means none. */
function parseEmbeddedJson(text: string | null | undefined, field: string, ref: ExecutionRef) {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const provider = ref.provider.datasource.name;
    throw new ApiError(`${provider} sent ${field} of ${ref.id} that is not valid JSON.`, {
      code: 'UPSTREAM_ERROR',
      provider,
    });
  }
}

const STEP_STATES = {
  scheduled: 'PENDING',
  started: 'RUNNING',
  completed: 'SUCCEEDED',
  failed: 'FAILED',
  cancel_requested: 'STOPPING',
  cancelled: 'CANCELLED',
} as const;

/** An entry of the execution's history: a start and a duration, like the execution. */
const steps: StepModel<ServerlessWorkflowStep> = {
  states: STEP_STATES,
  name: (entry) => entry.title || entry.description || entry.type || entry.id || 'step',
  status: (entry) => entry.status,
  startedAt: (entry) => entry.startedAt,
  endedAt: (entry) => {
    const started = parseTimestamp(entry.startedAt);
    const seconds = parseDuration(entry.duration);
    if (!started || seconds === null) return null;
    if (!isTerminalState(stateOf(STEP_STATES, entry.status))) return null;
    return new Date(started.getTime() + seconds * 1000).toISOString();
  },
  durationSeconds: (entry) => parseDuration(entry.duration),
  error: ({ error }) =>
    error && (error.message || error.errorCode)
      ? { message: error.message || error.errorCode || '', code: error.errorCode || null }
      : null,
};

export const ServerlessWorkflowExecution = defineExecutionType<ServerlessWorkflowExecutionRaw>({
  typename: 'ServerlessWorkflowExecution',
  states: STATES,
  status: (raw) => raw.status,
  startedAt: (raw) => raw.startedAt,
  workflowId: (raw) => raw.workflowId,
  // Yandex sends a start and a duration; a finished execution ended at their sum.
  endedAt: (raw) => {
    const started = parseTimestamp(raw.startedAt);
    const seconds = parseDuration(raw.duration);
    if (!started || seconds === null || !isTerminalState(stateOf(STATES, raw.status))) return null;
    return new Date(started.getTime() + seconds * 1000).toISOString();
  },
  durationSeconds: (raw) => parseDuration(raw.duration),
  error: ({ error }) =>
    error && (error.message || error.errorCode)
      ? { message: error.message || error.errorCode || '', code: error.errorCode || null }
      : null,
  steps,
  example: 'workflowId input result',
  // A list item is an `ExecutionPreview`: id, workflow, status, start and duration.
  listFields: [
    ...COMMON_LIST_FIELDS,
    'startedAt',
    'createdAt',
    'endedAt',
    'durationSeconds',
    'workflowId',
  ],
  resolvers: { ServerlessWorkflowExecution: ServerlessWorkflowExecutionFields },
});
