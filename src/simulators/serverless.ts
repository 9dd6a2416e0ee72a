import { bearer, startSimulator } from './server.js';
import { SAMPLE_START } from './records.js';
import type {
  ProviderError,
  SeedRecord,
  Simulator,
  SimulatorDefinition,
  StartOptions,
} from './server.js';

export interface ServerlessCredentials {
  /** The IAM token sent as `Authorization: Bearer <token>`. */
  token: string;
}

type ServerlessStatus = 'QUEUED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'FINISHED';

interface ServerlessExecution {
  id: string;
  workflowId: string;
  input: { inputJson: string };
  result?: { resultJson: string };
  error?: { message: string; errorCode: string };
  status: ServerlessStatus;
  startedAt: string;
  duration: string;
}

// HTTP status -> google.rpc.Code, as Yandex Cloud's gRPC gateway maps them.
const GRPC_CODES: Record<number, number> = {
  400: 3,
  401: 16,
  403: 7,
  404: 5,
  409: 6,
  429: 8,
  499: 1,
  500: 13,
  501: 12,
  502: 14,
  503: 14,
  504: 4,
};

const WORKFLOW_ID = 'dfqw1x2y3z4a5b6c7d8e';

function execution(
  id: string,
  status: ServerlessStatus,
  startedAt: string,
  duration: string,
  input: unknown,
  outcome: Pick<ServerlessExecution, 'result' | 'error'> = {},
): SeedRecord {
  const record: { execution: ServerlessExecution } = {
    execution: {
      id,
      workflowId: WORKFLOW_ID,
      input: { inputJson: JSON.stringify(input) },
      ...outcome,
      status,
      startedAt,
      duration,
    },
  };
  return { id, status, record };
}

/**
 * Yandex Cloud Serverless Workflows: `GET /workflows/v1/execution/{id}` with
 * `Authorization: Bearer <IAM token>`. Errors follow the gRPC gateway:
 * `{ code, message, details: [{ '@type': '...RequestInfo', requestId }] }`.
 */
export const serverlessSimulator: SimulatorDefinition = {
  provider: 'serverless',
  lifecycle: ['QUEUED', 'RUNNING', 'FINISHED'],
  statusOf: (record) => (record as { execution: ServerlessExecution }).execution.status,
  setStatus(record, status) {
    (record as { execution: ServerlessExecution }).execution.status = status as ServerlessStatus;
  },
  record: (id, status) => ({
    execution: { id, status, startedAt: SAMPLE_START, duration: '5s' },
  }),
  route: '/workflows/v1/execution/{id}',
  credentials: { token: 'demo-serverless-token' },
  seed: () => [
    execution('dfq0a1b2c3d4e5f6g7h8', 'QUEUED', '2026-11-20T10:00:00Z', '0s', { orderId: 1 }),
    execution('dfq1b2c3d4e5f6g7h8i9', 'RUNNING', '2026-11-20T10:00:00.123456789Z', '12.5s', {
      orderId: 2,
    }),
    execution('dfq2c3d4e5f6g7h8i9j0', 'PAUSED', '2026-11-20T10:01:00.250Z', '3600s', {
      orderId: 3,
    }),
    execution('dfq3d4e5f6g7h8i9j0k1', 'STOPPED', '2026-11-20T10:02:00Z', '42.010s', {
      orderId: 4,
    }),
    execution(
      'dfq4e5f6g7h8i9j0k1l2',
      'FAILED',
      '2026-11-20T10:03:00.500Z',
      '0.350s',
      { orderId: 5 },
      {
        error: {
          message: 'Step "charge" failed: HTTP 502 from upstream',
          errorCode: 'STEP_FAILED',
        },
      },
    ),
    execution(
      'dfq5f6g7h8i9j0k1l2m3',
      'FINISHED',
      '2026-11-20T10:04:00Z',
      '95.125s',
      { orderId: 6 },
      { result: { resultJson: JSON.stringify({ shipped: true, trackingId: 'YC-7781' }) } },
    ),
    // Live: QUEUED, RUNNING, FINISHED on the simulator's clock.
    {
      ...execution('dfq9live0a1b2c3d4e5f', 'QUEUED', '2026-11-20T14:00:00Z', '0s', { orderId: 9 }),
      live: true,
    },
  ],
  errorBody: (error: ProviderError, requestId: string) => ({
    code: GRPC_CODES[error.status] ?? (error.status >= 500 ? 13 : 2),
    message: error.message,
    details: [
      { '@type': 'type.googleapis.com/google.rpc.RequestInfo', requestId, servingData: '' },
    ],
  }),
  attach: ({ credentials, records, later }) => {
    // `stop` lets the current step finish (STOPPED after a delay); `terminate` interrupts it.
    const stopRoute = (verb: 'stop' | 'terminate') => ({
      method: 'POST',
      path: `/workflows/v1/execution/{id}/${verb}`,
      acts: true,
      handle({ id }: { id: string }) {
        const { execution } = records.get(id) as { execution: ServerlessExecution };
        if (!['QUEUED', 'RUNNING', 'PAUSED'].includes(execution.status)) {
          return {
            status: 400,
            body: { code: 9, message: `Execution ${id} is ${execution.status}`, details: [] },
          };
        }
        const stop = () => {
          execution.status = 'STOPPED';
        };
        if (verb === 'terminate') stop();
        else later(stop);
        return { status: 200, body: { executionId: id } };
      },
    });
    return {
      authorize: bearer(credentials.token, {
        missing: 'The token is missing; send "Authorization: Bearer <IAM token>"',
        invalid: 'The token is invalid',
      }),
      routes: [stopRoute('stop'), stopRoute('terminate')],
    };
  },
};

/** Starts the Serverless Workflows simulator; credentials default to `serverlessSimulator.credentials`. */
export function startServerlessSimulator(
  options: StartOptions & { credentials?: Partial<ServerlessCredentials> } = {},
): Promise<Simulator> {
  return startSimulator(serverlessSimulator, options);
}
