import { LINKED_ACCOUNT_HEADER } from '../datasources/refold.js';
import { header, reason, startSimulator } from './server.js';
import { SAMPLE_START } from './records.js';
import type {
  ProviderError,
  SeedRecord,
  Simulator,
  SimulatorDefinition,
  StartOptions,
} from './server.js';

/** The linked account (customer) that owns every seeded Refold execution. */
export const REFOLD_DEMO_LINKED_ACCOUNT = 'demo-customer';

export interface RefoldCredentials {
  apiKey: string;
}

export interface RefoldExtension {
  /**
   * Execution id -> owning `linked_account_id`. Ids absent from this map belong to
   * `REFOLD_DEMO_LINKED_ACCOUNT`; set an entry to make a record another customer's.
   */
  readonly owners: Map<string, string>;
  /** Execution ids every linked account may read, whatever `owners` says. */
  readonly shared: Set<string>;
}

export type RefoldSimulator = Simulator & RefoldExtension;

interface RefoldRef {
  icon: string;
  name: string;
  _id?: string;
  _id_?: string;
}

const ERROR_CODES: Record<number, string> = {
  400: 'INVALID_REQUEST',
  // The reference page's 401 example says SERVER_ERROR; kept as published.
  401: 'SERVER_ERROR',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  429: 'RATE_LIMITED',
};

const LOGOS = 'https://cobalt-app-logos.s3.ap-south-1.amazonaws.com';
const APPS: Record<string, RefoldRef> = {
  slack: { icon: `${LOGOS}/slack/logo.png`, name: 'Slack', _id: '64f6d9f33234d3d6419cfdbc' },
  hubspot: { icon: `${LOGOS}/hubspot/logo.png`, name: 'HubSpot', _id: '64f6d9f33234d3d6419cfdc1' },
  salesforce: {
    icon: `${LOGOS}/salesforce/logo.png`,
    name: 'Salesforce',
    _id: '64f6d9f33234d3d6419cfdc7',
  },
};

function execution(
  id: string,
  status: string,
  app: keyof typeof APPS,
  workflow: string,
  minute: number,
  environment: 'test' | 'production',
  legacyIdKey = false,
): SeedRecord {
  const application = APPS[app]!;
  const workflowRef: RefoldRef = {
    _id: `64f7258e35b72267edc025${minute.toString(16).padStart(2, '0')}`,
    name: workflow,
    icon: '',
  };
  // The field table spells the nested id `_id_` while the example says `_id`; one record uses it.
  const rename = (ref: RefoldRef): RefoldRef => {
    const { _id, ...rest } = ref;
    return legacyIdKey ? { ...rest, _id_: _id! } : { ...ref };
  };
  const record = {
    _id: id,
    createdAt: `2026-11-20T09:${String(minute).padStart(2, '0')}:34.788Z`,
    name: `${workflow} for ${application.name}`,
    associated_application: rename(application),
    status,
    associated_workflow: rename(workflowRef),
    environment,
    config_id: `cfg-${1000 + minute}`,
    associated_event_id: `6523dfdeffed0fb7e2c3b9${minute.toString(16).padStart(2, '0')}`,
  };
  return { id, status, record };
}

/**
 * Refold (Cobalt): `GET /api/v2/public/execution/{id}` with `x-api-key` and `linked_account_id`.
 * A record owned by another linked account answers 404, like an unknown id.
 */
export const refoldSimulator: SimulatorDefinition<RefoldExtension> = {
  provider: 'refold',
  lifecycle: ['QUEUED', 'RUNNING', 'COMPLETED'],
  requestHeaders: { [LINKED_ACCOUNT_HEADER]: REFOLD_DEMO_LINKED_ACCOUNT },
  record: (id, status) => ({ _id: id, status, createdAt: SAMPLE_START, name: 'sample' }),
  route: '/api/v2/public/execution/{id}',
  credentials: { apiKey: 'demo-refold-key' },
  seed: () => [
    execution(
      '674d2a10c1f3b2a9e0a10001',
      'QUEUED',
      'slack',
      'Post message to a channel',
      1,
      'test',
    ),
    execution('674d2a10c1f3b2a9e0a10002', 'PENDING', 'hubspot', 'Sync contacts', 2, 'production'),
    execution('674d2a10c1f3b2a9e0a10003', 'RUNNING', 'salesforce', 'Create lead', 3, 'production'),
    execution('674d2a10c1f3b2a9e0a10004', 'IN_PROGRESS', 'slack', 'Daily digest', 4, 'test'),
    execution('674d2a10c1f3b2a9e0a10005', 'COMPLETED', 'hubspot', 'Sync deals', 5, 'production'),
    execution('674d2a10c1f3b2a9e0a10006', 'SUCCESS', 'salesforce', 'Update account', 6, 'test'),
    execution(
      '65410cf6cdf931a12d7ab009',
      'ERRORED',
      'slack',
      'Post message to a channel',
      7,
      'test',
    ),
    execution('674d2a10c1f3b2a9e0a10008', 'FAILED', 'hubspot', 'Import companies', 8, 'production'),
    execution('674d2a10c1f3b2a9e0a10009', 'STOPPED', 'salesforce', 'Close case', 9, 'test', true),
    execution(
      '674d2a10c1f3b2a9e0a1000a',
      'CANCELLED',
      'slack',
      'Archive channel',
      10,
      'production',
    ),
    // Live: QUEUED, RUNNING, COMPLETED on the simulator's clock.
    {
      ...execution('674d2a10c1f3b2a9e0a1000b', 'QUEUED', 'slack', 'Live sync', 11, 'test'),
      live: true,
    },
  ],
  errorBody: (error: ProviderError, requestId: string) => ({
    status_code: error.status,
    http_error_type: reason(error.status).toUpperCase().replaceAll(' ', '_'),
    error_code: ERROR_CODES[error.status] ?? 'SERVER_ERROR',
    message: error.message,
    request_id: requestId,
  }),
  attach({ credentials, records, later }) {
    const owners = new Map<string, string>();
    const shared = new Set<string>();
    return {
      authorize(headers) {
        const key = header(headers, 'x-api-key');
        if (key === undefined) return { status: 401, message: 'Missing x-api-key header' };
        if (key !== credentials.apiKey) return { status: 401, message: 'Invalid Credentials' };
        if (header(headers, 'linked_account_id') === undefined) {
          return { status: 400, message: 'linked_account_id header is required' };
        }
        return null;
      },
      restrict(id, headers) {
        if (shared.has(id)) return null;
        const owner = owners.get(id) ?? REFOLD_DEMO_LINKED_ACCOUNT;
        return owner === header(headers, 'linked_account_id')
          ? null
          : { status: 404, message: `Execution '${id}' was not found` };
      },
      routes: [
        {
          // "The stop is enqueued and acknowledged synchronously": STOPPING, later STOPPED.
          method: 'POST',
          path: '/api/v2/public/execution/{id}/stop',
          acts: true,
          handle({ id }) {
            const record = records.get(id) as { status: string };
            // Asked again while it stops: the same acknowledgement.
            if (record.status === 'STOPPING')
              return { status: 200, body: { message: 'Stopping instance' } };
            if (!RUNNING.has(record.status.toUpperCase())) {
              return {
                status: 400,
                body: {
                  status_code: 400,
                  http_error_type: 'BAD_REQUEST',
                  error_code: 'INVALID_REQUEST',
                  message: `Execution '${id}' is not running`,
                },
              };
            }
            record.status = 'STOPPING';
            later(() => {
              record.status = 'STOPPED';
            });
            return { status: 200, body: { message: 'Stopping instance' } };
          },
        },
      ],
      extension: { owners, shared },
      reset: () => {
        owners.clear();
        shared.clear();
      },
    };
  },
};

/** The statuses of an execution that has not finished, and so can be stopped. */
const RUNNING: ReadonlySet<string> = new Set(['QUEUED', 'PENDING', 'RUNNING', 'IN_PROGRESS']);

/** Starts the Refold simulator; credentials default to `refoldSimulator.credentials`. */
export function startRefoldSimulator(
  options: StartOptions & { credentials?: Partial<RefoldCredentials> } = {},
): Promise<RefoldSimulator> {
  return startSimulator(refoldSimulator, options);
}
