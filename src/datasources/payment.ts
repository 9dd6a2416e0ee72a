import { z } from 'zod';
import { defineDatasource, requireCredential, type ExecutionRequest } from './datasource.js';
import { timestamp } from '../time.js';
import type { UpstreamResponse } from '../upstream/http.js';

const optionalText = z.string().nullish();

const event = z
  .object({
    id: z.string(),
    createdAt: timestamp.nullish(),
    data: z.unknown().optional(),
    eventType: optionalText,
    executionId: optionalText,
    level: optionalText,
    message: optionalText,
    nodeId: optionalText,
    organizationId: optionalText,
    requestId: optionalText,
    runId: optionalText,
    title: optionalText,
    workflowId: optionalText,
  })
  .loose();

const execution = z
  .object({
    id: z.string(),
    status: z.string(),
    checkoutSessionId: optionalText,
    clientSafeMetadata: z.unknown().optional(),
    createdAt: timestamp.nullish(),
    externalRef: optionalText,
    finishedAt: timestamp.nullish(),
    idempotencyKey: optionalText,
    initiatedById: optionalText,
    initiatedByType: optionalText,
    orderId: optionalText,
    organizationId: optionalText,
    paymentStatus: optionalText,
    requestPayload: z.unknown().optional(),
    responsePayload: z.unknown().optional(),
    runId: optionalText,
    sourceEntityId: optionalText,
    sourceEntityType: optionalText,
    sourceSystem: optionalText,
    startedAt: timestamp.nullish(),
    statusReason: optionalText,
    updatedAt: timestamp.nullish(),
    workflowId: optionalText,
  })
  .loose();

/** The `data` of the envelope: the execution and its events. */
const data = z
  .object({
    execution,
    events: z
      .array(event)
      .nullish()
      .transform((events) => events ?? []),
  })
  .loose();

/** `GET /v1/executions/{id}` answers `{code, data: {events, execution}, message, requestId}`. */
const envelope = z.object({ code: z.number().int().optional(), data }).loose();

export type PaymentWorkflowExecutionRaw = z.infer<typeof data>;
export type PaymentWorkflowEventRaw = z.infer<typeof event>;

/** The GET for one execution: a fixed path template and the provider's auth headers. */
function executionRequest(
  nativeId: string,
  { token }: Readonly<Record<string, string>>,
): ExecutionRequest {
  return {
    path: `/v1/executions/${encodeURIComponent(nativeId)}`,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  };
}

/** The payment-gated workflow platform, `Authorization: Bearer <token>`. */
export const paymentWorkflow = defineDatasource<PaymentWorkflowExecutionRaw>({
  key: 'payment',
  name: 'PAYMENT_WORKFLOW',
  env: 'PAYMENT_WORKFLOW',
  credentials: [{ name: 'token', env: 'TOKEN' }],
  checkCredentials: requireCredential('token', 'PAYMENT_WORKFLOW_TOKEN'),
  shape: data,
  executionRequest,
  connect(upstream, credentials) {
    return async (nativeId, scope) => {
      const what = 'such execution';
      const response = await upstream.send({
        ...executionRequest(nativeId, credentials),
        what,
        abort: scope.abort,
      });
      return upstream.validate(withEnvelopeStatus(response), what, envelope).data;
    };
  },
});

/** The envelope repeats the status as `code`; an error `code` under HTTP 200 counts as that status. */
function withEnvelopeStatus(response: UpstreamResponse): UpstreamResponse {
  if (response.status !== 200) return response;
  const code = /^\s*\{\s*"code"\s*:\s*(\d{3})\b/.exec(response.body)?.[1];
  return code && !code.startsWith('2') ? { ...response, status: Number(code) } : response;
}
