import { z } from 'zod';
import { ApiError } from '../errors.js';
import {
  defineDatasource,
  requireCredential,
  type ExecutionRequest,
  type ListCall,
  type ListQuery,
  type RerunCall,
  type StepsCall,
} from './datasource.js';
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
  credentials: Readonly<Record<string, string>>,
): ExecutionRequest {
  return {
    path: `/workflows/v1/execution/${encodeURIComponent(nativeId)}`,
    headers: headersOf(credentials),
  };
}

/** The auth headers of every call. */
function headersOf({ token }: Readonly<Record<string, string>>): Record<string, string> {
  return { authorization: `Bearer ${token}`, accept: 'application/json' };
}

/** An `ExecutionPreview` of the list: `id, workflowId, status, startedAt, duration` only. */
const preview = z
  .object({
    id: z.string().min(1),
    workflowId: optionalText,
    status: z.string(),
    startedAt: timestamp.nullish(),
    duration: duration.nullish(),
  })
  .loose();

const previews = z
  .object({ executions: z.array(preview).nullish(), nextPageToken: optionalText })
  .loose();

const workflows = z
  .object({
    workflows: z.array(z.object({ id: z.string().min(1) }).loose()).nullish(),
    nextPageToken: optionalText,
  })
  .loose();

/** Yandex's most items per page. */
const MAX_PAGE_SIZE = 1000;

/** What the filter expression compares times with: RFC 3339 in UTC, milliseconds. */
function filterTime(iso: string, shiftMs = 0): string {
  return new Date(Date.parse(iso) + shiftMs).toISOString();
}

/**
 * The list's `filter` expression for what Yandex takes of `query`: one status, and the start
 * (Yandex keeps no creation time: `createdAt` is `startedAt`). It compares with `<`, `=`, `>`
 * only, so `createdAt >= t` is asked as `started_at > t - 1 ms`.
 */
function filterOf(query: ListQuery): string | undefined {
  const terms: string[] = [];
  const [status, ...more] = query.statuses ?? [];
  if (status !== undefined && more.length === 0 && /^[a-z_]+$/.test(status)) {
    if (status !== 'status_unspecified') terms.push(`status="${status.toUpperCase()}"`);
  }
  if (query.createdAfter !== undefined) {
    terms.push(`started_at>"${filterTime(query.createdAfter, -1)}"`);
  }
  if (query.createdBefore !== undefined) {
    terms.push(`started_at<"${filterTime(query.createdBefore)}"`);
  }
  return terms.length > 0 ? terms.join(' AND ') : undefined;
}

/**
 * `GET /workflows/v1/execution?workflowId&pageSize&pageToken&filter`: one workflow at a time
 * (`workflowId` is required), page tokens, previews only. Yandex does not document the order:
 * it answers newest first by `startedAt`, and the search relies on that (docs/search.md). A
 * position is the token of an item's page, `''` for the first.
 */
const list: ListCall = {
  connect: (upstream, credentials) => async (query, scope) => {
    const token = query.position ?? '';
    const params = new URLSearchParams({
      workflowId: query.stream,
      pageSize: String(Math.min(Math.max(query.limit, 1), MAX_PAGE_SIZE)),
    });
    if (token) params.set('pageToken', token);
    const filter = filterOf(query);
    if (filter !== undefined) params.set('filter', filter);
    const answer = await upstream.get(
      {
        path: `/workflows/v1/execution?${params}`,
        headers: headersOf(credentials),
        what: 'list of executions of this workflow',
        abort: scope.abort,
      },
      previews,
    );
    const items = answer.executions ?? [];
    return {
      items: items.map((item) => ({ nativeId: item.id, raw: item, whole: false, position: token })),
      next: answer.nextPageToken && items.length > 0 ? answer.nextPageToken : undefined,
    };
  },
  // The filter's workflow, else the workflows of SERVERLESS_WORKFLOW_FOLDER_ID.
  streams: (upstream, credentials) => async (workflowId, max, scope) => {
    if (workflowId !== undefined) return [workflowId];
    const { folderId } = credentials;
    if (!folderId) {
      throw new ApiError(
        'Yandex lists executions one workflow at a time: give filter.workflowId, or set SERVERLESS_WORKFLOW_FOLDER_ID to search the workflows of a folder.',
        { code: 'FILTER_REQUIRED', provider: 'SERVERLESS_WORKFLOW' },
      );
    }
    const found: string[] = [];
    let token = '';
    // One more than `max` tells whether the folder has more workflows than are searched.
    do {
      const params = new URLSearchParams({
        folderId,
        pageSize: String(Math.min(max + 1 - found.length, MAX_PAGE_SIZE)),
      });
      if (token) params.set('pageToken', token);
      const answer = await upstream.get(
        {
          path: `/workflows/v1/workflow?${params}`,
          headers: headersOf(credentials),
          what: 'list of workflows of this folder',
          abort: scope.abort,
        },
        workflows,
      );
      const page = answer.workflows ?? [];
      found.push(...page.map(({ id }) => id));
      token = page.length > 0 ? (answer.nextPageToken ?? '') : '';
    } while (token && found.length <= max);
    return found;
  },
};

/** An entry of `GET /workflows/v1/execution/{id}/history`: one step. */
const entry = z
  .object({
    id: z.string().nullish(),
    title: z.string().nullish(),
    description: optionalText,
    startedAt: timestamp.nullish(),
    duration: duration.nullish(),
    error: z.object({ message: optionalText, errorCode: optionalText }).loose().nullish(),
    status: z.string().nullish(),
    type: optionalText,
  })
  .loose();

export type ServerlessWorkflowStep = z.infer<typeof entry>;

const history = z.object({ entries: z.array(entry).nullish() }).loose();

/** The execution's history: its entries, in order, not paged. */
const steps: StepsCall<ServerlessWorkflowExecutionRaw> = {
  step: entry,
  connect: (upstream, credentials) => ({
    async steps({ nativeId }, scope) {
      const get = executionRequest(nativeId, credentials);
      const answer = await upstream.get(
        {
          path: `${get.path}/history`,
          headers: get.headers,
          what: 'such execution',
          abort: scope.abort,
        },
        history,
      );
      return answer.entries ?? [];
    },
  }),
};

/** `POST /workflows/v1/execution/start` answers the new execution's id. */
const started = z.object({ executionId: z.string().min(1) }).loose();

/** Starts the execution's workflow again with its input. */
const rerun: RerunCall<ServerlessWorkflowExecutionRaw> = {
  offered: (raw) => Boolean(raw.workflowId),
  connect: (upstream, credentials) => ({
    async start({ raw }, scope) {
      const answer = await upstream.start(
        {
          method: 'POST',
          path: '/workflows/v1/execution/start',
          headers: { ...headersOf(credentials), 'content-type': 'application/json' },
          body: JSON.stringify({
            workflowId: raw.workflowId,
            input: { inputJson: raw.input?.inputJson ?? '' },
          }),
          what: 'such workflow',
          abort: scope.abort,
        },
        started,
      );
      return answer.executionId;
    },
  }),
};

/** Yandex Cloud Serverless Workflows, `Authorization: Bearer <IAM token>`. */
export const serverlessWorkflow = defineDatasource<ServerlessWorkflowExecutionRaw>({
  key: 'serverless',
  name: 'SERVERLESS_WORKFLOW',
  env: 'SERVERLESS_WORKFLOW',
  credentials: [
    { name: 'token', env: 'TOKEN' },
    // The folder whose workflows a search lists when its filter names no workflow.
    { name: 'folderId', env: 'FOLDER_ID', secret: false },
  ],
  checkCredentials: requireCredential('token', 'SERVERLESS_WORKFLOW_TOKEN'),
  shape: execution,
  executionRequest,
  list,
  steps,
  rerun,
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
