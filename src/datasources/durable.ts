import { createParser } from 'eventsource-parser';
import { z } from 'zod';
import {
  defineDatasource,
  requireCredential,
  type EventsCall,
  type ExecutionRequest,
  type ListCall,
  type RerunCall,
  type StepsCall,
  type StreamNotice,
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

/** An event of `GET /api/v1/events`: a step's start or finish among others. */
const event = z
  .object({
    sequence_id: z.number().int(),
    event_type: z.string(),
    created_at: timestamp.nullish(),
    data: z
      .object({
        step_key: z.string().nullish(),
        step_type: z.string().nullish(),
        _metadata: z.object({ execution_id: z.string().nullish() }).loose().nullish(),
      })
      .loose()
      .nullish(),
  })
  .loose();

const events = z
  .object({
    events: z.array(event),
    next_sequence_id: z.number().int().nullish(),
    has_more: z.boolean().nullish(),
  })
  .loose();

/**
 * One step of an execution, from its events: a step's start and, when it succeeded, its finish.
 * The engine publishes no event when a step fails, so a step started and never finished takes
 * its status from the execution: `failed` when it failed, `cancelled` when it was cancelled,
 * else `running` (docs/steps.md).
 */
const step = z.object({
  step_key: z.string(),
  step_type: z.string().nullable(),
  status: z.enum(['finished', 'running', 'failed', 'cancelled']),
  started_at: timestamp.nullable(),
  finished_at: timestamp.nullable(),
  /** How often the step started. */
  attempts: int32,
  /** The execution's error, on the step that failed. */
  error: z.string().nullable(),
});

export type DurableWorkflowStep = z.infer<typeof step>;

/** Events per call: the engine's most. */
const EVENTS_PER_CALL = 1000;
/** More calls than this for one tree's events is not a tree anyone reads step by step. */
const MAX_EVENT_CALLS = 10;

/**
 * The steps of an execution: the events of its tree, on the root's topic
 * (`workflow/<root workflow_id>/<root execution id>`), that name it in `_metadata`.
 */
const steps: StepsCall<DurableWorkflowExecutionRaw> = {
  step,
  connect: (upstream, credentials) => ({
    async steps({ nativeId, raw }, scope, load) {
      const rootId = raw.root_execution_id || nativeId;
      const root = rootId === nativeId ? raw : await load(rootId);
      const topic = `workflow/${root.workflow_id}/${rootId}`;
      const found: Array<z.infer<typeof event>> = [];
      let after: number | undefined;
      for (let calls = 0; calls < MAX_EVENT_CALLS; calls += 1) {
        const params = new URLSearchParams({ topic, limit: String(EVENTS_PER_CALL) });
        if (after !== undefined) params.set('last_sequence_id', String(after));
        const page = await upstream.get(
          {
            path: `/api/v1/events?${params}`,
            headers: headersOf(credentials),
            what: 'events of this execution',
            abort: scope.abort,
          },
          events,
        );
        found.push(...page.events);
        const next = page.next_sequence_id ?? page.events.at(-1)?.sequence_id;
        if (!page.has_more || next === undefined || next === after) break;
        after = next;
      }
      return stepsOf(nativeId, raw, found);
    },
  }),
};

/** The steps `events` tell of execution `nativeId`, in the order they started. */
function stepsOf(
  nativeId: string,
  raw: DurableWorkflowExecutionRaw,
  events: ReadonlyArray<z.infer<typeof event>>,
): DurableWorkflowStep[] {
  const byKey = new Map<string, DurableWorkflowStep>();
  const status = raw.status.trim().toLowerCase();
  const unfinished =
    status === 'failed' ? 'failed' : status === 'cancelled' ? 'cancelled' : 'running';
  for (const { event_type, data, created_at } of [...events].sort(
    (a, b) => a.sequence_id - b.sequence_id,
  )) {
    const key = data?.step_key;
    if (!key || data?._metadata?.execution_id !== nativeId) continue;
    let known = byKey.get(key);
    if (event_type === 'step_start') {
      if (!known) {
        known = {
          step_key: key,
          step_type: data.step_type ?? null,
          status: unfinished,
          started_at: created_at ?? null,
          finished_at: null,
          attempts: 0,
          error: null,
        };
        byKey.set(key, known);
      }
      known.attempts += 1;
      known.status = unfinished;
      known.finished_at = null;
    } else if (event_type === 'step_finish' && known) {
      known.status = 'finished';
      known.finished_at = created_at ?? null;
    }
  }
  const list = [...byKey.values()];
  // A step that failed or was cancelled ended with its execution.
  const ended = raw.completed_at || raw.cancelled_at || null;
  for (const step of list) {
    if (step.status === 'failed') step.error = raw.error ?? null;
    if (step.status === 'failed' || step.status === 'cancelled') step.finished_at = ended;
  }
  return list;
}

/** `POST /api/v1/workflows/{workflow_id}/run` answers the new execution's id. */
const started = z.object({ execution_id: z.string().min(1) }).loose();

/** Runs the execution's workflow again with its payload. */
const rerun: RerunCall<DurableWorkflowExecutionRaw> = {
  offered: (raw) => Boolean(raw.workflow_id),
  connect: (upstream, credentials) => ({
    async start({ raw }, scope) {
      const answer = await upstream.start(
        {
          method: 'POST',
          path: `/api/v1/workflows/${encodeURIComponent(raw.workflow_id)}/run`,
          headers: { ...headersOf(credentials), 'content-type': 'application/json' },
          body: JSON.stringify({ payload: raw.payload ?? null }),
          what: 'such workflow',
          abort: scope.abort,
        },
        started,
      );
      return answer.execution_id;
    },
  }),
};

/** A frame of the event stream that is an event: its `sequence_id` is where a stream resumes. */
const streamed = z.object({ sequence_id: z.number().int().nonnegative() }).loose();
/** The frame a failed root sends before the stream ends. */
const streamError = z.object({ type: z.literal('error'), message: z.string().nullish() }).loose();

/** What one `data:` frame of the stream tells. */
function noticeOf(data: string): StreamNotice {
  if (data === 'keepalive') return { kind: 'alive' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return { kind: 'alive' };
  }
  const event = streamed.safeParse(parsed);
  if (event.success) return { kind: 'change', position: String(event.data.sequence_id) };
  // The engine's own message is not passed on: it may hold anything the workflow raised.
  if (streamError.safeParse(parsed).success) {
    return { kind: 'failed', reason: 'the engine sent an error frame' };
  }
  return { kind: 'alive' };
}

/**
 * `GET /api/v1/events/stream?workflow_id&workflow_run_id[&last_sequence_id]`: the events of a
 * tree, on its root's topic, as server-sent `data:` frames (parsed by eventsource-parser): an
 * event (a step's or a status change's) is a change; `keepalive` and anything unreadable only
 * say the stream is alive; `{"type":"error"}` says it fails, and the engine ends it.
 */
const eventStream: EventsCall<DurableWorkflowExecutionRaw> = {
  enabled: ({ events }) => events !== 'false',
  rootOf: (nativeId, raw) => raw.root_execution_id || nativeId,
  connect: (upstream, credentials) => ({
    async open({ root, raw }, position, scope) {
      const params = new URLSearchParams({ workflow_id: raw.workflow_id, workflow_run_id: root });
      if (position !== undefined) params.set('last_sequence_id', position);
      const stream = await upstream.openStream({
        path: `/api/v1/events/stream?${params}`,
        headers: { ...headersOf(credentials), accept: 'text/event-stream' },
        what: 'event stream of this execution',
        abort: scope.abort,
      });
      return {
        close: stream.close,
        batches: (async function* () {
          let found: StreamNotice[] = [];
          const parser = createParser({
            onEvent: ({ data }) => void found.push(noticeOf(data)),
            // A frame too long or malformed: the stream is still alive.
            onError: () => void found.push({ kind: 'alive' }),
          });
          for await (const chunk of stream.chunks) {
            parser.feed(chunk);
            // A chunk that holds no whole frame yet still shows the stream is alive.
            const batch = found.length > 0 ? found : [{ kind: 'alive' } as const];
            found = [];
            yield batch;
          }
        })(),
      };
    },
  }),
};

/** What `DURABLE_WORKFLOW_EVENTS` may be. */
const EVENTS_SETTING = /^(true|false)$/;

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
    { name: 'events', env: 'EVENTS', secret: false },
  ],
  checkCredentials: (credentials) =>
    requireCredential('token', 'DURABLE_WORKFLOW_TOKEN')(credentials) ??
    (credentials.events && !EVENTS_SETTING.test(credentials.events)
      ? 'DURABLE_WORKFLOW_EVENTS must be true or false'
      : undefined),
  shape: execution,
  executionRequest,
  list,
  steps,
  rerun,
  events: eventStream,
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
