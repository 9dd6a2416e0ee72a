import { createHmac, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { LINKED_ACCOUNT_HEADER } from '../datasources/refold.js';
import { header, reason, startSimulator } from './server.js';
import { SAMPLE_START } from './records.js';
import { badRequest, integer, newestFirst, single, sortKey } from './listing.js';
import type {
  ProviderError,
  RouteRefusal,
  RouteReply,
  SeedRecord,
  Simulator,
  SimulatorDefinition,
  StartOptions,
} from './server.js';

/** The linked account (customer) that owns every seeded Refold execution. */
export const REFOLD_DEMO_LINKED_ACCOUNT = 'demo-customer';

/** A second linked account, with executions of its own (12 in the history) and none of the demo's. */
export const REFOLD_SECOND_LINKED_ACCOUNT = 'second-customer';

export interface RefoldCredentials {
  apiKey: string;
}

export interface RefoldExtension {
  /**
   * Execution id -> owning `linked_account_id`. Ids absent from this map belong to
   * `REFOLD_DEMO_LINKED_ACCOUNT`; set an entry to make a record another customer's. At start and
   * after `reset()` it holds the second account's history (`REFOLD_SECOND_LINKED_ACCOUNT`).
   */
  readonly owners: Map<string, string>;
  /** Execution ids every linked account may read, whatever `owners` says (not listed by others). */
  readonly shared: Set<string>;
  /** List calls (`GET /api/v2/public/execution`) received since start or the last `reset()`. */
  readonly listCalls: number;
  /** `REFOLD_SECOND_LINKED_ACCOUNT`: the linked account that owns the second history. */
  readonly secondLinkedAccount: string;
  /** Always 0: Refold has no steps call (the steps are the GET's `nodes`). */
  readonly stepsCalls: number;
  /**
   * Rerun calls (`POST /api/v2/public/execution/{id}/rerun`) received since start or the last
   * `reset()`, refused and faulted ones included.
   */
  readonly startCalls: number;
  /**
   * Default undefined: no webhooks. The URL Refold POSTs its webhooks to: once set, an execution
   * that reaches COMPLETED or ERRORED on the simulator's clock (its lifecycle steps, `advance`, a
   * rerun completing) is sent one as it gets there; a stopped or timed-out one none. `reset()`
   * sets it back to undefined.
   */
  webhookUrl: string | undefined;
  /**
   * Sends the webhook of execution `id` to `webhookUrl` now, whatever its status ("Workflow
   * Errored" for ERRORED or FAILED, else "Workflow Completed"), with up to 3 retries while the
   * receiver does not answer 2xx; resolves with its final HTTP status, 0 when it never answered.
   * Rejects only when `webhookUrl` is unset or the id unknown.
   */
  sendWebhook(id: string): Promise<number>;
  /** The webhook deliveries finished since start or the last `reset()`, in the order they ended. */
  readonly webhooks: RefoldWebhookDelivery[];
}

/** One webhook delivery of the Refold simulator, retries included. */
export interface RefoldWebhookDelivery {
  /** The execution's id (the body's `instance_id`). */
  id: string;
  /** "Workflow Completed" or "Workflow Errored". */
  event: string;
  /** The receiver's final HTTP status; 0 when it never answered (network error or timeout). */
  status: number;
  /** POSTs made: 1, plus one per retry. */
  attempts: number;
  /** `performance.now()` when the first attempt was sent. */
  sentAt: number;
}

/**
 * The body of a Refold webhook, in the documented order. Ids and names the record lacks (a
 * `record()` sample has no workflow) are null.
 */
export interface RefoldWebhookBody {
  linked_account_id: string;
  instance_id: string;
  workflow_id: string | null;
  config_id: string | null;
  event: string;
  workflow_name: string | null;
  status: string;
}

/** The header that carries a webhook's signature: HMAC-SHA256 of the raw body, the API key, hex. */
const REFOLD_SIGNATURE_HEADER = 'x-cobalt-signature';

/** Retries after a first delivery the receiver did not answer 2xx, as Refold documents. */
const WEBHOOK_RETRIES = 3;
/** Milliseconds before each retry. */
const WEBHOOK_BACKOFF_MS = [50, 100, 200];
/** Milliseconds each attempt may take before it counts as unanswered. */
const WEBHOOK_TIMEOUT_MS = 2_000;

/**
 * The webhook event for an execution with `status`: "Workflow Errored" for ERRORED (and FAILED),
 * else "Workflow Completed".
 */
function webhookEvent(status: string): string {
  const upper = status.toUpperCase();
  return upper === 'ERRORED' || upper === 'FAILED' ? 'Workflow Errored' : 'Workflow Completed';
}

/** The statuses whose arrival on the simulator's clock sends a webhook (aliases included). */
const WEBHOOK_STATUSES: ReadonlySet<string> = new Set([
  'COMPLETED',
  'SUCCESS',
  'ERRORED',
  'FAILED',
]);

/**
 * A node of a workflow run, as Refold's pre-release pages show it in an execution's optional
 * `nodes`. `node_status` is one of `NODE_STATUSES`.
 */
export interface RefoldNode {
  node_id: string;
  node_name: string;
  /** `trigger`, `action` or `custom_code`. */
  node_type: string;
  node_status: string;
  /** 0 until the node runs; 3 for one that errored (two retries). */
  attempts_made: number;
  /** Milliseconds the node ran; 0 until it finishes. */
  execution_time: number;
  /** The node's output once COMPLETED, `{error: <message>}` once ERRORED, else null. */
  latest_output: unknown;
}

/**
 * The node statuses the simulator sends (the pre-release pages name no list; these are
 * plausible): QUEUED (not run yet), RUNNING, COMPLETED, ERRORED (failed after its retries),
 * SKIPPED (not run because one before it errored or the execution stopped), STOPPED (running
 * when the execution was stopped).
 */
export const NODE_STATUSES = [
  'QUEUED',
  'RUNNING',
  'COMPLETED',
  'ERRORED',
  'SKIPPED',
  'STOPPED',
] as const;

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
  createdAt = `2026-11-20T09:${String(minute).padStart(2, '0')}:34.788Z`,
): SeedRecord {
  const application = APPS[app]!;
  const workflowRef: RefoldRef = {
    _id: `64f7258e35b72267edc025${(minute % 256).toString(16).padStart(2, '0')}`,
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
    createdAt,
    name: `${workflow} for ${application.name}`,
    associated_application: rename(application),
    status,
    associated_workflow: rename(workflowRef),
    environment,
    config_id: `cfg-${1000 + minute}`,
    associated_event_id: `6523dfdeffed0fb7e2c3b9${(minute % 256).toString(16).padStart(2, '0')}`,
  };
  return { id, status, record };
}

/** A node of a workflow: what it is, how long it runs, what it outputs or the error it meets. */
interface NodePlan {
  name: string;
  type: 'trigger' | 'action' | 'custom_code';
  ms: number;
  output: unknown;
  error: string;
}

const node = (
  name: string,
  type: NodePlan['type'],
  ms: number,
  output: unknown,
  error = `${name} failed: upstream answered 500`,
): NodePlan => ({ name, type, ms, output, error });

/** The nodes of the workflows whose executions hold `nodes`, by workflow name. */
const NODE_PLANS: Readonly<Record<string, readonly NodePlan[]>> = {
  'Create lead': [
    node('Event trigger', 'trigger', 12, { event: 'Lead Created' }),
    node('Find existing lead', 'action', 840, { found: false }),
    node('Create lead', 'action', 1_310, { leadId: '00Q5g00000AbCdE' }),
    node('Notify owner', 'action', 420, { notified: true }),
  ],
  'Sync deals': [
    node('Event trigger', 'trigger', 9, { event: 'Deal Updated' }),
    node('Fetch deals', 'action', 2_150, { deals: 18 }),
    node('Map fields', 'custom_code', 35, { mapped: 18 }),
    node('Upsert deals', 'action', 3_400, { upserted: 18 }),
  ],
  'Post message to a channel': [
    node('Event trigger', 'trigger', 11, { event: 'Deal Won' }),
    node('Format message', 'custom_code', 28, { text: 'Deal won: ACME, 12,000 EUR' }),
    node(
      'Post message',
      'action',
      1_905,
      { ok: true, ts: '1732096054.000200' },
      'channel_not_found: #deals-won does not exist or the app is not in it',
    ),
    node('Log result', 'action', 150, { logged: true }),
  ],
  'Live sync': [
    node('Event trigger', 'trigger', 10, { event: 'Record Changed' }),
    node('Read changes', 'action', 600, { changes: 4 }),
    node('Write changes', 'action', 900, { written: 4 }),
  ],
};

/**
 * The nodes of an execution of `plan` with `status`, and its completion percentage (nodes
 * COMPLETED of all, rounded): every node QUEUED before it runs (QUEUED, PENDING); the first half
 * COMPLETED and the next RUNNING while it runs (RUNNING, IN_PROGRESS, STOPPING); every node
 * COMPLETED once it succeeded (COMPLETED, SUCCESS); the first half COMPLETED, the next ERRORED
 * and the rest SKIPPED once it failed (ERRORED, FAILED, TIMED_OUT); the next STOPPED instead
 * once it stopped (STOPPED, CANCELLED).
 */
function nodesFor(
  workflowId: string,
  plan: readonly NodePlan[],
  status: string,
): { nodes: RefoldNode[]; completion_percentage: number } {
  const half = Math.floor(plan.length / 2);
  const [done, current, rest] = ((): [number, string | null, string] => {
    switch (status.toUpperCase()) {
      case 'COMPLETED':
      case 'SUCCESS':
        return [plan.length, null, 'QUEUED'];
      case 'RUNNING':
      case 'IN_PROGRESS':
      case 'STOPPING':
        return [half, 'RUNNING', 'QUEUED'];
      case 'ERRORED':
      case 'FAILED':
      case 'TIMED_OUT':
        return [half, 'ERRORED', 'SKIPPED'];
      case 'STOPPED':
      case 'CANCELLED':
        return [half, 'STOPPED', 'SKIPPED'];
      default:
        return [0, null, 'QUEUED'];
    }
  })();
  const nodes = plan.map((each, i): RefoldNode => {
    const nodeStatus = i < done ? 'COMPLETED' : i === done && current ? current : rest;
    const ran = nodeStatus === 'COMPLETED' || nodeStatus === 'ERRORED';
    return {
      node_id: `${workflowId.slice(-20)}${(i + 1).toString(16).padStart(4, '0')}`,
      node_name: each.name,
      node_type: each.type,
      node_status: nodeStatus,
      attempts_made:
        nodeStatus === 'ERRORED' ? 3 : nodeStatus === 'QUEUED' || nodeStatus === 'SKIPPED' ? 0 : 1,
      execution_time: ran ? each.ms : 0,
      latest_output:
        nodeStatus === 'COMPLETED'
          ? each.output
          : nodeStatus === 'ERRORED'
            ? { error: each.error }
            : null,
    };
  });
  return {
    nodes,
    completion_percentage: Math.round((100 * Math.min(done, plan.length)) / plan.length),
  };
}

interface RefoldRecord {
  _id: string;
  status: string;
  createdAt: string;
  config_id?: string;
  associated_workflow?: RefoldRef;
  nodes?: RefoldNode[];
  completion_percentage?: number;
}

/** Sets a record's status, and its `nodes` (when it holds some of a known workflow) to match. */
function setRefoldStatus(record: RefoldRecord, status: string): void {
  record.status = status;
  const workflow = record.associated_workflow;
  const plan = workflow ? NODE_PLANS[workflow.name] : undefined;
  if (!Array.isArray(record.nodes) || !plan || !workflow) return;
  Object.assign(record, nodesFor(workflow._id ?? workflow._id_ ?? '', plan, status));
}

/** `seed` with `nodes` and `completion_percentage` for its status, after its other fields. */
function withNodes(seed: SeedRecord): SeedRecord {
  const record = seed.record as RefoldRecord;
  record.nodes = [];
  setRefoldStatus(record, seed.status);
  return seed;
}

const HISTORY_WORKFLOWS: ReadonlyArray<[keyof typeof APPS, string]> = [
  ['hubspot', 'Sync contacts'],
  ['slack', 'Post message to a channel'],
  ['salesforce', 'Create lead'],
  ['hubspot', 'Sync deals'],
  ['slack', 'Daily digest'],
];
const HISTORY_STATUSES = [
  'COMPLETED',
  'ERRORED',
  'COMPLETED',
  'RUNNING',
  'TIMED_OUT',
  'COMPLETED',
  'STOPPED',
  'QUEUED',
  'STOPPING',
  'ERRORED',
];
/** The first history execution's creation; each next one 433 minutes later (64: to 2026-11-20). */
const HISTORY_START = Date.parse('2026-11-01T00:00:00.000Z');
const HISTORY_STEP_MS = 433 * 60_000;

/** Every fifth shares the time of the one before, and so do 5, 20, 35, ... (three at once). */
function historyCreated(i: number): number {
  if (i > 0 && (i % 5 === 4 || i % 15 === 5)) return historyCreated(i - 1);
  return HISTORY_START + i * HISTORY_STEP_MS + 788;
}

/**
 * The older executions the list call pages through: 64 of the demo account (ids `674c1d00…`),
 * then 12 of `REFOLD_SECOND_LINKED_ACCOUNT` (ids `674c2e00…`), ids not in creation order.
 */
function refoldHistory(): SeedRecord[] {
  /** Execution `i` of an account, created at `created`, its workflow and status shifted by `shift`. */
  const one = (prefix: string, i: number, created: number, shift: number) => {
    const [app, workflow] = HISTORY_WORKFLOWS[(i + shift) % HISTORY_WORKFLOWS.length]!;
    return execution(
      `${prefix}${((i * 37) % 101).toString(16).padStart(4, '0')}`,
      HISTORY_STATUSES[(i + shift) % HISTORY_STATUSES.length]!,
      app,
      workflow,
      100 + i + shift,
      i % 3 === 0 ? 'test' : 'production',
      false,
      new Date(created).toISOString(),
    );
  };
  return [
    ...Array.from({ length: 64 }, (_, i) => one(DEMO_HISTORY, i, historyCreated(i), 0)),
    // Every fourth shares the time of the one before.
    ...Array.from({ length: 12 }, (_, i) =>
      one(SECOND_HISTORY, i, historyCreated((i % 4 === 3 ? i - 1 : i) * 5) + 180_000, 3),
    ),
  ];
}

/** Id prefixes (20 hex digits) of the two accounts' history executions. */
const DEMO_HISTORY = '674c1d00a1b2c3d4e5f6';
const SECOND_HISTORY = '674c2e00a1b2c3d4e5f6';

/** The statuses the list call filters by; `All` (or no `status`) lists every one. */
const LIST_STATUSES: ReadonlySet<string> = new Set([
  'COMPLETED',
  'ERRORED',
  'RUNNING',
  'STOPPED',
  'STOPPING',
  'TIMED_OUT',
]);

/**
 * `GET /api/v2/public/execution?page&limit&status`: the requesting linked account's executions
 * only, newest first by `createdAt` (equal times by id descending), each the whole record as its
 * GET answers it, in mongoose-paginate's envelope; `page` from 1 (default 1), `limit` 1 to 100
 * (default 10); `status` one of `LIST_STATUSES` or `All`. A page past the end has no docs.
 */
function listExecutions(
  records: Map<string, unknown>,
  ownerOf: (id: string) => string,
  account: string,
  query: URLSearchParams,
): RouteReply | RouteRefusal {
  const page = integer(query, 'page', { fallback: 1, min: 1, max: Number.MAX_SAFE_INTEGER });
  if (typeof page !== 'number') return page;
  const limit = integer(query, 'limit', { fallback: 10, min: 1, max: 100 });
  if (typeof limit !== 'number') return limit;
  const status = single(query, 'status');
  if (typeof status === 'object') return status;
  if (status !== undefined && status !== 'All' && !LIST_STATUSES.has(status)) {
    return badRequest(
      `status must be one of ${[...LIST_STATUSES].join(', ')} or All, got '${status}'.`,
    );
  }
  const mine = [...records]
    .filter(([id, record]) => ownerOf(id) === account && typeof record === 'object' && record)
    .map(([id, record]) => ({ record: record as { status?: unknown; createdAt?: unknown }, id }))
    .filter(({ record }) => status === undefined || status === 'All' || record.status === status)
    .map(({ record, id }) => ({ record, key: sortKey(record.createdAt, id) }))
    .sort((a, b) => newestFirst(a.key, b.key))
    .map(({ record }) => record);
  const totalPages = Math.ceil(mine.length / limit) || 1;
  const hasPrevPage = page > 1;
  const hasNextPage = page < totalPages;
  return {
    status: 200,
    body: {
      docs: mine.slice((page - 1) * limit, page * limit),
      totalDocs: mine.length,
      limit,
      totalPages,
      page,
      pagingCounter: (page - 1) * limit + 1,
      hasPrevPage,
      hasNextPage,
      prevPage: hasPrevPage ? page - 1 : null,
      nextPage: hasNextPage ? page + 1 : null,
    },
  };
}

/**
 * Refold (Cobalt): `GET /api/v2/public/execution/{id}` with `x-api-key` and `linked_account_id`.
 * A record owned by another linked account answers 404, like an unknown id. Its list call,
 * `GET /api/v2/public/execution` (see `listExecutions`), takes the same headers.
 *
 * Steps: some executions hold `nodes` and `completion_percentage` (`nodesFor`; the seeded RUNNING
 * 674d…0003, COMPLETED 674d…0005, ERRORED 65410cf6…b009 and the live 674d…000b), the others
 * none. Running again: `POST /api/v2/public/execution/{id}/rerun` (same headers; 404 for an
 * unknown id or another account's) answers `{"status": "success", "id": <new id>}` and stores a
 * RUNNING execution of the same workflow and application for the requesting linked account,
 * created now, with nodes when the original has some, COMPLETED on the simulator's clock.
 *
 * Webhooks (`webhookUrl`, `sendWebhook`): a POST of `RefoldWebhookBody` as JSON, signed with
 * `x-cobalt-signature`, the lowercase hex HMAC-SHA256 of the raw body keyed with `apiKey`.
 */
export const refoldSimulator: SimulatorDefinition<RefoldExtension> = {
  provider: 'refold',
  lifecycle: ['QUEUED', 'RUNNING', 'COMPLETED'],
  setStatus: (record, status) => setRefoldStatus(record as RefoldRecord, status),
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
    withNodes(
      execution(
        '674d2a10c1f3b2a9e0a10003',
        'RUNNING',
        'salesforce',
        'Create lead',
        3,
        'production',
      ),
    ),
    execution('674d2a10c1f3b2a9e0a10004', 'IN_PROGRESS', 'slack', 'Daily digest', 4, 'test'),
    withNodes(
      execution('674d2a10c1f3b2a9e0a10005', 'COMPLETED', 'hubspot', 'Sync deals', 5, 'production'),
    ),
    execution('674d2a10c1f3b2a9e0a10006', 'SUCCESS', 'salesforce', 'Update account', 6, 'test'),
    withNodes(
      execution(
        '65410cf6cdf931a12d7ab009',
        'ERRORED',
        'slack',
        'Post message to a channel',
        7,
        'test',
      ),
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
      ...withNodes(
        execution('674d2a10c1f3b2a9e0a1000b', 'QUEUED', 'slack', 'Live sync', 11, 'test'),
      ),
      live: true,
    },
  ],
  history: refoldHistory,
  errorBody: (error: ProviderError, requestId: string) => ({
    status_code: error.status,
    http_error_type: reason(error.status).toUpperCase().replaceAll(' ', '_'),
    error_code: ERROR_CODES[error.status] ?? 'SERVER_ERROR',
    message: error.message,
    request_id: requestId,
  }),
  attach({ credentials, records, later, progress }) {
    const owners = new Map<string, string>();
    const shared = new Set<string>();
    const ownSecondHistory = () => {
      for (const id of records.keys()) {
        if (id.startsWith(SECOND_HISTORY)) owners.set(id, REFOLD_SECOND_LINKED_ACCOUNT);
      }
    };
    ownSecondHistory();
    const ownerOf = (id: string) => owners.get(id) ?? REFOLD_DEMO_LINKED_ACCOUNT;
    let listCalls = 0;
    let startCalls = 0;
    let webhookUrl: string | undefined;
    const webhooks: RefoldWebhookDelivery[] = [];
    // Aborted by `reset()`: deliveries under way stop retrying and are not logged.
    let webhookScope = new AbortController();
    const sendWebhook = async (id: string): Promise<number> => {
      const url = webhookUrl;
      if (url === undefined) {
        throw new Error(
          `sendWebhook('${id}'): webhookUrl is not set; set it to the receiver's URL.`,
        );
      }
      const record = records.get(id) as RefoldRecord | undefined;
      if (record === undefined) {
        throw new Error(`sendWebhook('${id}'): no execution with that id; use an id in records.`);
      }
      const body = webhookBody(id, record, ownerOf(id));
      const raw = new TextEncoder().encode(JSON.stringify(body));
      const signature = createHmac('sha256', credentials.apiKey).update(raw).digest('hex');
      const { signal } = webhookScope;
      const sentAt = performance.now();
      const { status, attempts } = await deliver(url, raw, signature, signal);
      if (!signal.aborted) webhooks.push({ id, event: body.event, status, attempts, sentAt });
      return status;
    };
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
        return ownerOf(id) === header(headers, 'linked_account_id')
          ? null
          : { status: 404, message: `Execution '${id}' was not found` };
      },
      routes: [
        {
          method: 'GET',
          path: '/api/v2/public/execution',
          lists: true,
          received: () => void (listCalls += 1),
          handle: ({ headers, query }) =>
            listExecutions(records, ownerOf, header(headers, 'linked_account_id')!, query),
        },
        {
          // "The stop is enqueued and acknowledged synchronously": STOPPING, later STOPPED.
          method: 'POST',
          path: '/api/v2/public/execution/{id}/stop',
          acts: true,
          handle({ id }) {
            const record = records.get(id) as RefoldRecord;
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
            setRefoldStatus(record, 'STOPPING');
            later(() => setRefoldStatus(record, 'STOPPED'));
            return { status: 200, body: { message: 'Stopping instance' } };
          },
        },
        {
          // "Starts a new execution from the original trigger".
          method: 'POST',
          path: '/api/v2/public/execution/{id}/rerun',
          acts: true,
          on: 'start' as const,
          received: () => void (startCalls += 1),
          handle({ id, headers }) {
            const original = records.get(id) as RefoldRecord;
            const rerun: RefoldRecord = {
              ...structuredClone(original),
              _id: newObjectId(),
              createdAt: new Date().toISOString(),
            };
            // Nodes of a workflow without a plan here would keep the original's statuses.
            const plan = NODE_PLANS[original.associated_workflow?.name ?? ''];
            if (!plan) {
              delete rerun.nodes;
              delete rerun.completion_percentage;
            }
            setRefoldStatus(rerun, 'RUNNING');
            records.set(rerun._id, rerun);
            owners.set(rerun._id, header(headers, 'linked_account_id')!);
            progress(rerun._id);
            return { status: 200, body: { status: 'success', id: rerun._id } };
          },
        },
      ],
      advanced(id, status) {
        if (webhookUrl !== undefined && WEBHOOK_STATUSES.has(status.toUpperCase())) {
          sendWebhook(id).catch(() => undefined);
        }
      },
      extension: {
        owners,
        shared,
        get listCalls() {
          return listCalls;
        },
        secondLinkedAccount: REFOLD_SECOND_LINKED_ACCOUNT,
        stepsCalls: 0,
        get startCalls() {
          return startCalls;
        },
        get webhookUrl() {
          return webhookUrl;
        },
        set webhookUrl(url: string | undefined) {
          webhookUrl = url;
        },
        sendWebhook,
        webhooks,
      },
      reset: () => {
        owners.clear();
        shared.clear();
        ownSecondHistory();
        listCalls = 0;
        startCalls = 0;
        webhookUrl = undefined;
        webhooks.length = 0;
        webhookScope.abort();
        webhookScope = new AbortController();
      },
    };
  },
};

/** The webhook body of execution `id`, owned by `account`, for its current status. */
function webhookBody(id: string, record: RefoldRecord, account: string): RefoldWebhookBody {
  const workflow = record.associated_workflow;
  return {
    linked_account_id: account,
    instance_id: id,
    workflow_id: workflow?._id ?? workflow?._id_ ?? null,
    config_id: record.config_id ?? null,
    event: webhookEvent(record.status),
    workflow_name: workflow?.name ?? null,
    status: record.status,
  };
}

/**
 * POSTs `raw` (the exact bytes signed) to `url` until the receiver answers 2xx, at most
 * `WEBHOOK_RETRIES` retries after the first attempt, each within `WEBHOOK_TIMEOUT_MS`; never
 * rejects. The final status is 0 when the last attempt got no answer.
 */
async function deliver(
  url: string,
  raw: Uint8Array<ArrayBuffer>,
  signature: string,
  scope: AbortSignal,
): Promise<{ status: number; attempts: number }> {
  let attempts = 0;
  for (;;) {
    attempts += 1;
    let status = 0;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [REFOLD_SIGNATURE_HEADER]: signature },
        body: raw,
        signal: AbortSignal.any([scope, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]),
      });
      status = res.status;
      // Read to the end so the connection can be reused; the receiver's body means nothing.
      await res.arrayBuffer().catch(() => undefined);
    } catch {
      // A network error or timeout: no answer, which a retry may still get.
    }
    const ok = status >= 200 && status < 300;
    if (ok || attempts > WEBHOOK_RETRIES || scope.aborted) return { status, attempts };
    await wait(WEBHOOK_BACKOFF_MS[attempts - 1] ?? 200, scope);
  }
}

/** Resolves after `ms`, or as soon as `scope` aborts; the timer does not hold the process open. */
function wait(ms: number, scope: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (scope.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      scope.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    timer.unref();
    scope.addEventListener('abort', done, { once: true });
  });
}

/** A new execution id: a MongoDB ObjectId's 24 hex digits (seconds, then random). */
function newObjectId(): string {
  const seconds = Math.floor(Date.now() / 1000)
    .toString(16)
    .padStart(8, '0');
  return `${seconds}${randomBytes(8).toString('hex')}`;
}

/** The statuses of an execution that has not finished, and so can be stopped. */
const RUNNING: ReadonlySet<string> = new Set(['QUEUED', 'PENDING', 'RUNNING', 'IN_PROGRESS']);

/** Starts the Refold simulator; credentials default to `refoldSimulator.credentials`. */
export function startRefoldSimulator(
  options: StartOptions & { credentials?: Partial<RefoldCredentials> } = {},
): Promise<RefoldSimulator> {
  return startSimulator(refoldSimulator, options);
}
