import { randomUUID } from 'node:crypto';
import { authorization, reason, startSimulator } from './server.js';
import { SAMPLE_END, SAMPLE_START } from './records.js';
import type {
  ProviderError,
  SeedRecord,
  Simulator,
  SimulatorDefinition,
  StartOptions,
} from './server.js';

export interface CloudShellCredentials {
  /** A static token accepted besides the ones issued by `PUT /api/login`. */
  token: string;
  username: string;
  password: string;
  domain: string;
}

export interface CloudShellExtension {
  /** Invalidates every token issued by `PUT /api/login` (the static token stays valid). */
  expireTokens(): void;
  /** Successful logins since start or the last `reset()`. */
  readonly logins: number;
}

export type CloudShellSimulator = Simulator & CloudShellExtension;

interface CloudShellExecution {
  id: string;
  supports_cancellation: 'true' | 'false';
  started: string;
  ended: string;
  status: string;
  output: string;
  _links: Record<string, { href: string; method: string }>;
}

// CloudShell does not document its error body; this is the shape its gateway answers with:
// { "errorCategory": "<category>", "message": "<text>" }, without a request id.
const CATEGORIES: Record<number, string> = {
  400: 'ValidationError',
  401: 'AuthenticationError',
  403: 'AuthorizationError',
  404: 'NotFound',
  429: 'Throttling',
};

function execution(
  id: string,
  status: string,
  cancellable: boolean,
  started: string,
  ended: string,
  output: string,
): SeedRecord {
  const _links: CloudShellExecution['_links'] = {
    self: { href: `/executions/${id}`, method: 'GET' },
  };
  if (cancellable && /^(pending|running)$/i.test(status)) {
    _links.stop = { href: `/executions/${id}`, method: 'DELETE' };
  }
  const record: CloudShellExecution = {
    id,
    supports_cancellation: cancellable ? 'true' : 'false',
    started,
    ended,
    status,
    output,
    _links,
  };
  return { id, status, record };
}

/** Quali CloudShell Sandbox API: `GET /api/v2/executions/{id}` with `Authorization: Basic <token>`. */
export const cloudShellSimulator: SimulatorDefinition<CloudShellExtension> = {
  provider: 'cloudshell',
  lifecycle: ['Pending', 'Running', 'Completed'],
  setStatus(record, status) {
    const execution = record as CloudShellExecution;
    execution.status = status;
    if (status === 'Running') execution.started = new Date().toISOString();
    if (status === 'Completed') {
      execution.ended = new Date().toISOString();
      execution.output = 'Done';
      delete execution._links.stop;
    }
  },
  // CloudShell logs in with username, password and domain, as most sites do.
  clientCredentials: ['username', 'password', 'domain'],
  record: (id, status) => ({
    id,
    supports_cancellation: 'false',
    started: SAMPLE_START,
    ended: SAMPLE_END,
    status,
    output: '',
    _links: { self: { href: `/executions/${id}`, method: 'GET' } },
  }),
  route: '/api/v2/executions/{id}',
  credentials: {
    token: 'demo-cloudshell-token',
    username: 'admin',
    password: 'admin-password',
    domain: 'Global',
  },
  seed: () => [
    execution('1DEB29BF-22B0-4CF6-B7BE-02173520EB81', 'Pending', true, '', '', ''),
    execution(
      '7A3C1E52-9F4B-4D8E-A1C6-3B5E2F7D9A04',
      'Running',
      true,
      '2026-11-20T10:00:00.000Z',
      '',
      '',
    ),
    execution(
      '3E7A9C1B-5D2F-4C8A-B9E6-1F4D7A3C5E82',
      'Running',
      false,
      '2026-11-20T10:01:00.000Z',
      '',
      '',
    ),
    execution(
      'C4E8F2A1-6B3D-4F7A-9E5C-8D1B2A3F4E67',
      'Stopping',
      true,
      '2026-11-20T10:02:00.000Z',
      '',
      '',
    ),
    execution(
      '5F9B3D7E-2A8C-4E1F-B6D4-9C7A5E3B1F28',
      'Canceled',
      true,
      '2026-11-20T10:03:00.000Z',
      '2026-11-20T10:04:10.000Z',
      'Execution was canceled by admin',
    ),
    execution(
      'E2A6C8F4-1B5D-4A9E-8C3F-7D6B4A2E9C15',
      'Completed',
      false,
      '2026-11-20 10:05:30',
      '2026-11-20 10:07:12',
      'Setup completed successfully\nAll 3 resources are online',
    ),
    execution(
      '9B4D6F8A-3C7E-4B2D-A5F1-6E8C4A2D7B39',
      'Failed',
      false,
      '2026-11-20T10:08:00.000Z',
      '2026-11-20T10:08:45.000Z',
      'Error: connection to 10.0.0.5:22 timed out',
    ),
    // Live: Pending, Running, Completed on the simulator's clock.
    {
      ...execution('A1B2C3D4-5E6F-4A7B-8C9D-0E1F2A3B4C5D', 'Pending', true, '', '', ''),
      live: true,
    },
  ],
  errorBody: (error: ProviderError) => ({
    errorCategory: CATEGORIES[error.status] ?? (error.status >= 500 ? 'ServerError' : 'Error'),
    message: error.message,
  }),
  attach({ credentials, records, later }) {
    const issued = new Set<string>();
    let logins = 0;
    return {
      authorize(headers) {
        const token = authorization(headers, 'Basic');
        if (token === undefined) {
          return {
            status: 401,
            message: 'Missing "Authorization: Basic <token>" header; log in with PUT /api/login',
          };
        }
        if (token !== credentials.token && !issued.has(token)) {
          return { status: 401, message: 'Invalid or expired token; log in again' };
        }
        return null;
      },
      routes: [
        {
          // Cancels a running execution: Stopping now, Canceled once the command has stopped.
          method: 'DELETE',
          path: '/api/v2/executions/{id}',
          acts: true,
          handle({ id }) {
            const record = records.get(id) as CloudShellExecution;
            if (!record._links.stop) {
              return {
                status: 400,
                body: { errorCategory: 'ValidationError', message: 'Execution cannot be canceled' },
              };
            }
            record.status = 'Stopping';
            delete record._links.stop;
            later(() => {
              record.status = 'Canceled';
              record.ended = new Date().toISOString();
            });
            return { status: 200, body: { result: 'success' } };
          },
        },
        {
          method: 'PUT',
          path: '/api/login',
          handle({ body }) {
            let login: unknown;
            try {
              login = JSON.parse(body);
            } catch {
              return {
                status: 400,
                body: { errorCategory: 'ValidationError', message: reason(400) },
              };
            }
            const { username, password, domain } = (login ?? {}) as Record<string, unknown>;
            if (
              username !== credentials.username ||
              password !== credentials.password ||
              domain !== credentials.domain
            ) {
              return {
                status: 401,
                body: { errorCategory: 'AuthenticationError', message: 'Login failed' },
              };
            }
            const token = `cs-token-${randomUUID().replaceAll('-', '')}`;
            issued.add(token);
            logins += 1;
            return { status: 200, body: token };
          },
        },
      ],
      extension: {
        expireTokens: () => issued.clear(),
        get logins() {
          return logins;
        },
      },
      reset() {
        logins = 0;
      },
    };
  },
};

/** Starts the CloudShell simulator; credentials default to `cloudShellSimulator.credentials`. */
export function startCloudShellSimulator(
  options: StartOptions & { credentials?: Partial<CloudShellCredentials> } = {},
): Promise<CloudShellSimulator> {
  return startSimulator(cloudShellSimulator, options);
}
