import { z } from 'zod';
import { defineProvider, requireCredential } from './datasource.js';
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

export type ServerlessExecutionRaw = z.infer<typeof execution>;

/** Yandex Cloud Serverless Workflows, `Authorization: Bearer <IAM token>`. */
export const serverlessWorkflow = defineProvider<ServerlessExecutionRaw>({
  key: 'serverless',
  name: 'SERVERLESS_WORKFLOW',
  typename: 'ServerlessWorkflowExecution',
  env: 'SERVERLESS_WORKFLOW',
  credentials: [{ name: 'token', env: 'TOKEN' }],
  checkCredentials: requireCredential('token', 'SERVERLESS_WORKFLOW_TOKEN'),
  connect(upstream, { token }) {
    const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
    return async (nativeId, scope) => {
      const body = await upstream.get(
        {
          path: `/workflows/v1/execution/${encodeURIComponent(nativeId)}`,
          headers,
          what: 'such execution',
          abort: scope.abort,
        },
        envelope,
      );
      return body.execution;
    };
  },
});
