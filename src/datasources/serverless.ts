import { z } from 'zod';
import { defineDatasource, requireCredential, type ExecutionRequest } from './datasource.js';
import { duration, timestamp } from '../time.js';

const optionalText = z.string().nullish();

/** `GET /workflows/v1/execution/{executionId}` answers `{execution: {...}}`. */
const execution = z
  .object({
    id: z.string(),
    workflowId: optionalText,
    input: z.object({ inputJson: optionalText }).loose().nullish(),
    result: z.object({ resultJson: optionalText }).loose().nullish(),
    error: z.object({ message: optionalText, errorCode: optionalText }).loose().nullish(),
    status: z.string(),
    startedAt: timestamp.nullish(),
    duration: duration.nullish(),
  })
  .loose();

const envelope = z.object({ execution }).loose();

export type ServerlessWorkflowExecutionRaw = z.infer<typeof execution>;

/** The GET for one execution: a fixed path template and the provider's auth headers. */
function executionRequest(
  nativeId: string,
  { token }: Readonly<Record<string, string>>,
): ExecutionRequest {
  return {
    path: `/workflows/v1/execution/${encodeURIComponent(nativeId)}`,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  };
}

/** Yandex Cloud Serverless Workflows, `Authorization: Bearer <IAM token>`. */
export const serverlessWorkflow = defineDatasource<ServerlessWorkflowExecutionRaw>({
  key: 'serverless',
  name: 'SERVERLESS_WORKFLOW',
  env: 'SERVERLESS_WORKFLOW',
  credentials: [{ name: 'token', env: 'TOKEN' }],
  checkCredentials: requireCredential('token', 'SERVERLESS_WORKFLOW_TOKEN'),
  shape: execution,
  executionRequest,
  connect(upstream, credentials) {
    return async (nativeId, scope) => {
      const body = await upstream.get(
        {
          ...executionRequest(nativeId, credentials),
          what: 'such execution',
          abort: scope.abort,
        },
        envelope,
      );
      return body.execution;
    };
  },
  stop: {
    connect: (upstream, credentials) => async (nativeId, force, scope) => {
      const get = executionRequest(nativeId, credentials);
      await upstream.act(
        {
          method: 'POST',
          // `stop` lets the current step finish; `terminate` interrupts it.
          path: `${get.path}/${force ? 'terminate' : 'stop'}`,
          headers: get.headers,
          what: 'such execution',
          abort: scope.abort,
        },
        stopped,
      );
    },
  },
});

/** `POST .../stop` and `.../terminate` answer `{"executionId": "..."}`, not an Operation. */
const stopped = z.object({ executionId: z.string() }).loose();
