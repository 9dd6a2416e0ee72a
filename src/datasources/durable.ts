import { z } from 'zod';
import {
  defineDatasource,
  requireCredential,
  type ExecutionRequest,
  type ListCall,
} from './datasource.js';
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

/** The engine's auth: the bearer token, and the project when one is configured. */
function headersOf({ token, projectId }: Readonly<Record<string, string>>) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${token}`,
    accept: 'application/json',
  };
  if (projectId) headers['x-project-id'] = projectId;
  return headers;
}

/** The GET for one execution: a fixed path template and the provider's auth headers. */
function executionRequest(
  nativeId: string,
  credentials: Readonly<Record<string, string>>,
): ExecutionRequest {
  return {
    path: `/api/v1/executions/${encodeURIComponent(nativeId)}`,
    headers: headersOf(credentials),
  };
}

/** `POST /api/v1/executions/{id}/cancel` answers the execution's new status. */
const cancelled = z
  .object({ execution_id: z.string(), status: z.string(), cancelled_at: timestamp.nullish() })
  .loose();

/** An item of `GET /api/v1/workflows/runs`: fewer fields than the execution's own GET. */
const run = z
  .object({
    id: z.string().min(1),
    // Without it a run has no place in a search's order: it is left out, not the whole page.
    created_at: timestamp.nullish(),
    status: z.string(),
    workflow_id: z.string(),
    root_execution_id: optionalText,
    session_id: optionalText,
    completed_at: timestamp.nullish(),
    payload: z.unknown().optional(),
    result: z.unknown().optional(),
    error: optionalText,
  })
  .loose();

/** The engine answers a bare array: no total and no "more" flag; a full page may have more. */
const runs = z.array(run);

/** The engine's most runs per call. */
const MAX_LIMIT = 100;

/**
 * `GET /api/v1/workflows/runs`: offset paging, newest first by `created_at`, filters on the
 * workflow and on `created_at` (`start_time`, `end_time`); no status filter.
 */
const list: ListCall = {
  connect: (upstream, credentials) => async (query, scope) => {
    const offset = offsetOf(query.position);
    const limit = Math.min(Math.max(query.limit, 1), MAX_LIMIT);
    const params = new URLSearchParams({
      workflow_type: 'workflow',
      limit: String(limit),
      offset: String(offset),
    });
    if (query.workflowId !== undefined) params.set('workflow_id', query.workflowId);
    if (query.createdAfter !== undefined) params.set('start_time', query.createdAfter);
    if (query.createdBefore !== undefined) params.set('end_time', query.createdBefore);
    const page = await upstream.get(
      {
        path: `/api/v1/workflows/runs?${params}`,
        headers: headersOf(credentials),
        what: 'list of runs',
        abort: scope.abort,
      },
      runs,
    );
    return {
      items: page.map((item, i) => ({
        nativeId: item.id,
        raw: item,
        whole: false,
        position: String(offset + i),
      })),
      next: page.length < limit ? undefined : String(offset + page.length),
    };
  },
};

/** A position this lister made: an offset. */
function offsetOf(position: string | undefined): number {
  if (position === undefined) return 0;
  const offset = Number(position);
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new TypeError(`Not an offset: ${position}`);
  }
  return offset;
}

/**
 * The durable workflow / job-queue engine (Polos): `Authorization: Bearer <token>`, and
 * `X-Project-ID` when `DURABLE_WORKFLOW_PROJECT_ID` is set.
 */
export const durableWorkflow = defineDatasource<DurableWorkflowExecutionRaw>({
  key: 'durable',
  name: 'DURABLE_WORKFLOW',
  env: 'DURABLE_WORKFLOW',
  credentials: [
    { name: 'token', env: 'TOKEN' },
    { name: 'projectId', env: 'PROJECT_ID', secret: false },
  ],
  checkCredentials: requireCredential('token', 'DURABLE_WORKFLOW_TOKEN'),
  shape: execution,
  executionRequest,
  list,
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
  stop: {
    // The engine cancels the whole tree: parents and children go to pending_cancel too.
    connect: (upstream, credentials) => async (nativeId, _force, scope) => {
      await upstream.act(
        {
          method: 'POST',
          path: `/api/v1/executions/${encodeURIComponent(nativeId)}/cancel`,
          headers: headersOf(credentials),
          what: 'such execution',
          abort: scope.abort,
        },
        cancelled,
      );
    },
  },
});
