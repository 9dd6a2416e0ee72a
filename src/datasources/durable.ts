import { z } from 'zod';
import { defineDatasource, requireCredential, type ExecutionRequest } from './datasource.js';
import { timestamp } from '../time.js';

const optionalText = z.string().nullish();
/** A GraphQL `Int`: larger values are not a count of seconds or retries anyone sends. */
const int32 = z
  .number()
  .int()
  .nonnegative()
  .max(2 ** 31 - 1);

/** `GET /api/v1/executions/{execution_id}`, every field of the engine's reference page. */
const execution = z
  .object({
    id: z.string(),
    created_at: timestamp,
    payload: z.unknown().optional(),
    retry_count: int32,
    status: z.string(),
    workflow_id: z.string(),
    assigned_to_worker: optionalText,
    batch_id: optionalText,
    cancelled_at: timestamp.nullish(),
    cancelled_by: optionalText,
    completed_at: timestamp.nullish(),
    concurrency_key: optionalText,
    deployment_id: optionalText,
    error: optionalText,
    output_schema_name: optionalText,
    parent_execution_id: optionalText,
    queue_name: optionalText,
    result: z.unknown().optional(),
    root_execution_id: optionalText,
    run_timeout_seconds: int32.nullish(),
    session_id: optionalText,
    started_at: timestamp.nullish(),
    step_key: optionalText,
    user_id: optionalText,
  })
  .loose();

export type DurableWorkflowExecutionRaw = z.infer<typeof execution>;

/** The GET for one execution: a fixed path template and the provider's auth headers. */
function executionRequest(
  nativeId: string,
  { token }: Readonly<Record<string, string>>,
): ExecutionRequest {
  return {
    path: `/api/v1/executions/${encodeURIComponent(nativeId)}`,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  };
}

/** The durable workflow / job-queue engine, `Authorization: Bearer <token>`. */
export const durableWorkflow = defineDatasource<DurableWorkflowExecutionRaw>({
  key: 'durable',
  name: 'DURABLE_WORKFLOW',
  env: 'DURABLE_WORKFLOW',
  credentials: [{ name: 'token', env: 'TOKEN' }],
  checkCredentials: requireCredential('token', 'DURABLE_WORKFLOW_TOKEN'),
  executionRequest,
  connect(upstream, credentials) {
    return (nativeId, scope) =>
      upstream.get(
        {
          ...executionRequest(nativeId, credentials),
          what: 'such execution',
          abort: scope.abort,
        },
        execution,
      );
  },
});
