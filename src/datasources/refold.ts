import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { badUserInput } from '../errors.js';
import {
  defineDatasource,
  type ExecutionRequest,
  type ListCall,
  type RerunCall,
  type StepsCall,
  type WebhookCall,
} from './datasource.js';
import { timestamp } from '../time.js';

const optionalText = z.string().nullish();

/** Refold's field table spells the nested id `_id_`, its example `_id`: either is accepted. */
const associated = z
  .object({ _id: optionalText, _id_: optionalText, name: optionalText, icon: optionalText })
  .loose();

/** `GET /api/v2/public/execution/{execution_id}`, as Refold's reference page shows it. */
const execution = z
  .object({
    _id: optionalText,
    _id_: optionalText,
    createdAt: timestamp.nullish(),
    name: optionalText,
    associated_application: associated.nullish(),
    status: z.string(),
    associated_workflow: associated.nullish(),
    environment: optionalText,
    config_id: optionalText,
    associated_event_id: optionalText,
    // Pre-release pages: the workflow's nodes, when the answer holds them.
    nodes: z.array(z.unknown()).nullish(),
  })
  .loose()
  .refine((body) => Boolean(body._id || body._id_), { message: 'no _id', path: ['_id'] });

export type RefoldExecutionRaw = z.infer<typeof execution>;
/** The application or workflow an execution belongs to. */
export type RefoldApplicationRaw = z.infer<typeof associated>;
export type RefoldWorkflowRaw = z.infer<typeof associated>;

/** The request header that names the Refold customer; a router sets it from the signed-in user. */
export const LINKED_ACCOUNT_HEADER = 'x-refold-linked-account-id';

/** Refold's customer ids are emails or opaque ids: printable, without separators that could split headers. */
const LINKED_ACCOUNT = /^[\x21-\x7e]{1,256}$/;

/** The Refold customer a request is for, or a `BAD_USER_INPUT` naming the header. */
export function linkedAccountOf(header: string | undefined): string {
  if (header === undefined || header.trim() === '') {
    throw badUserInput(
      `Refold executions belong to a customer: send the ${LINKED_ACCOUNT_HEADER} header with the Refold linked account id.`,
    );
  }
  if (!LINKED_ACCOUNT.test(header.trim())) {
    throw badUserInput(
      `The ${LINKED_ACCOUNT_HEADER} header must be 1 to 256 printable characters without spaces.`,
    );
  }
  return header.trim();
}

/** The GET for one execution: a fixed path template and the provider's auth headers. */
function executionRequest(
  nativeId: string,
  { apiKey }: Readonly<Record<string, string>>,
  header: (name: string) => string | undefined,
): ExecutionRequest {
  return {
    path: `/api/v2/public/execution/${encodeURIComponent(nativeId)}`,
    headers: headersOf(apiKey, header),
  };
}

/** The API key and the customer's `linked_account_id`; throws without a usable customer header. */
function headersOf(
  apiKey: string | undefined,
  header: (name: string) => string | undefined,
): Record<string, string> {
  return {
    'x-api-key': apiKey ?? '',
    linked_account_id: linkedAccountOf(header(LINKED_ACCOUNT_HEADER)),
    accept: 'application/json',
  };
}

/** `GET /api/v2/public/execution` answers a page envelope (mongoose-paginate's). */
const executionPage = z
  .object({
    docs: z.array(execution),
    hasNextPage: z.boolean().nullish(),
    nextPage: z.number().int().positive().nullish(),
  })
  .loose();

/** The statuses Refold's list call filters by (else `All`). */
const LIST_STATUSES: ReadonlySet<string> = new Set([
  'completed',
  'errored',
  'running',
  'stopped',
  'stopping',
  'timed_out',
]);

/** Refold's most executions per page. */
const MAX_LIMIT = 100;

/**
 * `GET /api/v2/public/execution?page&limit&status`, per linked account like the GET: page
 * numbers from 1, newest first by `createdAt`, one status at a time. Each doc is the whole
 * execution. A position is `<page>/<limit>`: a page number means something only with the limit it
 * was asked with, so a stream keeps the limit it started with.
 */
const list: ListCall = {
  connect: (upstream, credentials) => async (query, scope) => {
    const { page, limit } = pageOf(query.position, query.limit);
    const params = new URLSearchParams({ page: String(page), limit: String(limit) });
    const [status, ...more] = query.statuses ?? [];
    if (status !== undefined && more.length === 0 && LIST_STATUSES.has(status)) {
      params.set('status', status.toUpperCase());
    }
    const answer = await upstream.get(
      {
        path: `/api/v2/public/execution?${params}`,
        headers: headersOf(credentials.apiKey, scope.header),
        what: 'list of executions for this linked account',
        abort: scope.abort,
      },
      executionPage,
    );
    return {
      items: answer.docs.map((doc) => ({
        nativeId: (doc._id || doc._id_)!,
        raw: doc,
        whole: true,
        position: `${page}/${limit}`,
      })),
      next:
        answer.hasNextPage && answer.docs.length > 0
          ? `${answer.nextPage ?? page + 1}/${limit}`
          : undefined,
    };
  },
};

/** A position this lister made, or the first page at `limit` (at most Refold's maximum). */
function pageOf(position: string | undefined, limit: number): { page: number; limit: number } {
  if (position === undefined) return { page: 1, limit: Math.min(Math.max(limit, 1), MAX_LIMIT) };
  const match = /^([1-9]\d{0,8})\/([1-9]\d{0,2})$/.exec(position);
  if (!match) throw new TypeError(`Not a page: ${position}`);
  return { page: Number(match[1]), limit: Number(match[2]) };
}

/** A node of an execution's `nodes` (pre-release pages): one step. */
const node = z
  .object({
    node_id: optionalText,
    node_name: optionalText,
    node_type: optionalText,
    node_status: optionalText,
    attempts_made: z.number().int().nonnegative().nullish(),
    /** Milliseconds. */
    execution_time: z.number().nonnegative().nullish(),
    latest_output: z.unknown().optional(),
  })
  .loose();

export type RefoldStep = z.infer<typeof node>;

/** The nodes an execution's answer holds, checked one by one; null when it holds none. */
const steps: StepsCall<RefoldExecutionRaw> = {
  step: node,
  held: (raw) => {
    if (!Array.isArray(raw.nodes)) return null;
    return raw.nodes.flatMap((item) => {
      const parsed = node.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    });
  },
};

/** `POST .../rerun` answers `{"status": "success", "id": "<new execution id>"}`. */
const rerunning = z.object({ id: z.string().min(1) }).loose();

/** Reruns the execution from its original trigger, for the same linked account. */
const rerun: RerunCall<RefoldExecutionRaw> = {
  connect: (upstream, credentials) => ({
    async start({ nativeId }, scope) {
      const get = executionRequest(nativeId, credentials, scope.header);
      const answer = await upstream.start(
        {
          method: 'POST',
          path: `${get.path}/rerun`,
          headers: get.headers,
          what: 'such execution for this linked account',
          abort: scope.abort,
        },
        rerunning,
      );
      return answer.id;
    },
  }),
};

/** A webhook's body: "Workflow Completed" and "Workflow Errored" name the execution and account. */
const notice = z
  .object({
    linked_account_id: z.string().min(1),
    instance_id: z.string().min(1),
    event: z.string().nullish(),
    status: z.string().nullish(),
  })
  .loose();

/** What `REFOLD_WEBHOOK_PATH` may be: a path of its own, away from the API's. */
const WEBHOOK_PATH = /^\/[A-Za-z0-9._~/-]{1,200}$/;
const RESERVED = /^\/(graphql|graphiql|healthz|readyz|metrics|favicon\.ico)(\/|$)/;

/**
 * Refold's webhooks (`REFOLD_WEBHOOK_PATH`): `x-cobalt-signature` is the HMAC-SHA256 of the raw
 * body keyed with the API key, lowercase hex, compared in constant time; the body names the
 * execution (`instance_id`) and the customer (`linked_account_id`) to fetch it for.
 */
const webhook: WebhookCall = {
  path: ({ webhookPath }) => webhookPath || undefined,
  read(body, header, { apiKey }) {
    const given = header('x-cobalt-signature')?.trim().toLowerCase() ?? '';
    const expected = createHmac('sha256', apiKey ?? '')
      .update(body)
      .digest('hex');
    if (
      !/^[0-9a-f]{64}$/.test(given) ||
      !timingSafeEqual(Buffer.from(given), Buffer.from(expected))
    ) {
      return { kind: 'refused', reason: given ? 'signature' : 'no signature' };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return { kind: 'ignored', reason: 'not JSON' };
    }
    const read = notice.safeParse(parsed);
    if (!read.success) return { kind: 'ignored', reason: 'not an execution event' };
    const { linked_account_id: account, instance_id: nativeId } = read.data;
    let customer: string;
    try {
      customer = linkedAccountOf(account);
    } catch {
      return { kind: 'ignored', reason: 'not a linked account id' };
    }
    return {
      kind: 'execution',
      nativeId,
      header: (name) => (name === LINKED_ACCOUNT_HEADER ? customer : undefined),
    };
  },
};

/** Refold (formerly Cobalt): `x-api-key` plus the customer's `linked_account_id` header. */
export const refold = defineDatasource<RefoldExecutionRaw>({
  key: 'refold',
  name: 'REFOLD',
  env: 'REFOLD',
  credentials: [
    { name: 'apiKey', env: 'API_KEY' },
    // Where Refold's webhooks are accepted, e.g. /webhooks/refold (docs/live-status.md).
    { name: 'webhookPath', env: 'WEBHOOK_PATH', secret: false },
  ],
  requestHeaders: { [LINKED_ACCOUNT_HEADER]: 'your-refold-customer-id' },
  checkCredentials: ({ apiKey, webhookPath }) => {
    if (!apiKey) return 'REFOLD_API_KEY is not set';
    if (webhookPath && (!WEBHOOK_PATH.test(webhookPath) || RESERVED.test(webhookPath))) {
      return "REFOLD_WEBHOOK_PATH must be a path of its own such as /webhooks/refold (letters, digits, . _ ~ - /), not /graphql or another of the service's paths";
    }
    return undefined;
  },
  shape: execution,
  cacheScope: (header) => linkedAccountOf(header(LINKED_ACCOUNT_HEADER)),
  executionRequest,
  list,
  steps,
  rerun,
  webhook,
  connect(upstream, credentials) {
    // Async, so that a missing or bad linked-account header rejects rather than throws.
    return async (nativeId, scope) =>
      upstream.get(
        {
          ...executionRequest(nativeId, credentials, scope.header),
          what: 'such execution for this linked account',
          abort: scope.abort,
        },
        execution,
      );
  },
  stop: {
    // "The stop is enqueued and acknowledged synchronously": the execution reports STOPPING.
    connect: (upstream, credentials) => async (nativeId, _force, scope) => {
      const get = executionRequest(nativeId, credentials, scope.header);
      await upstream.act(
        {
          method: 'POST',
          path: `${get.path}/stop`,
          headers: get.headers,
          what: 'such execution for this linked account',
          abort: scope.abort,
        },
        stopping,
      );
    },
  },
});

/** `POST .../stop` answers `{"message": "Stopping instance"}`. */
const stopping = z.object({ message: z.string() }).loose();
