import { randomBytes } from 'node:crypto';
import { bearer, startSimulator } from './server.js';
import { SAMPLE_START } from './records.js';
import {
  badRequest,
  durationOf,
  integer,
  newestFirst,
  pageTokens,
  rfc3339,
  rfc3339Of,
  single,
  sortKey,
  type SortKey,
} from './listing.js';
import type {
  ProviderError,
  RouteRefusal,
  RouteReply,
  SeedRecord,
  Simulator,
  SimulatorDefinition,
  StartOptions,
} from './server.js';

export interface ServerlessCredentials {
  /** The IAM token sent as `Authorization: Bearer <token>`. */
  token: string;
}

/** The folder whose three workflows run the seeded executions and most of the history. */
export const SERVERLESS_FOLDER_ID = 'b1g4c2a3workflows001';
/** Another folder, with one workflow and four executions of its own. */
export const SERVERLESS_OTHER_FOLDER_ID = 'b1g9other0folder0002';

/** A workflow as `GET /workflows/v1/workflow?folderId` lists it. */
export interface ServerlessWorkflow {
  id: string;
  folderId: string;
  createdAt: string;
  name: string;
  description: string;
  labels: Record<string, string>;
  status: 'STATUS_UNSPECIFIED' | 'CREATING' | 'ACTIVE' | 'UPDATING' | 'ERROR' | 'DELETING';
  serviceAccountId: string;
}

export interface ServerlessExtension {
  /** Execution list calls (`GET /workflows/v1/execution`) since start or the last `reset()`. */
  readonly listCalls: number;
  /** Workflow list calls (`GET /workflows/v1/workflow`) since start or the last `reset()`. */
  readonly workflowListCalls: number;
  /**
   * Calls of `GET /workflows/v1/execution/{id}/history` received since start or the last
   * `reset()`, refused and faulted ones included.
   */
  readonly stepsCalls: number;
  /**
   * Calls of `POST /workflows/v1/execution/start` received since start or the last `reset()`,
   * refused and faulted ones included.
   */
  readonly startCalls: number;
  /**
   * Default empty. Execution id -> the entries its history answers instead of those its status
   * implies (`historyEntries`); tests may set and delete entries. `reset()` empties it.
   */
  readonly histories: Map<string, ServerlessHistoryEntry[]>;
  /** `SERVERLESS_FOLDER_ID`. */
  readonly folderId: string;
  /**
   * Workflow id -> workflow, listed by folder in insertion order; tests may set and delete
   * entries. `reset()` restores the four of the seeds (three in `folderId`, one elsewhere).
   */
  readonly workflows: Map<string, ServerlessWorkflow>;
  /**
   * Default `executionsEach` 0. Adds `count` workflows to `folderId` (after the others), each with
   * `executionsEach` FINISHED executions in `records`; returns their ids. `reset()` removes them.
   */
  addWorkflows(count: number, executionsEach?: number): string[];
}

export type ServerlessSimulator = Simulator & ServerlessExtension;

/** An entry of `GET /workflows/v1/execution/{id}/history`: one run of a workflow step. */
export interface ServerlessHistoryEntry {
  /** The step's id in the workflow's specification. */
  id: string;
  title: string;
  description: string;
  startedAt: string;
  /** A protobuf JSON Duration, e.g. `'0.150s'`. */
  duration: string;
  input?: { inputJson: string };
  /** Only on a COMPLETED entry (protobuf JSON leaves an absent message out). */
  output?: { outputJson: string };
  /** Only on a FAILED entry. */
  error?: { message: string; errorCode: string };
  status: 'SCHEDULED' | 'STARTED' | 'COMPLETED' | 'FAILED' | 'CANCEL_REQUESTED' | 'CANCELLED';
  /** The kind of step, e.g. `FunctionCall` or `HttpCall`. */
  type: string;
  /** A protobuf int64, so a string: runs including retries (`'1'`: no retry). */
  attempts: string;
}

type ServerlessStatus = 'QUEUED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'FINISHED';

/** An execution as its GET answers it inside `{execution}`. */
export interface ServerlessExecution {
  id: string;
  workflowId: string;
  input?: { inputJson: string };
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
/** The history's workflows: three in `SERVERLESS_FOLDER_ID`, the last in the other folder. */
const HISTORY_WORKFLOWS = [WORKFLOW_ID, 'dfqw2invoice0sync000', 'dfqw3nightly0report0'];
const OTHER_WORKFLOW = 'dfqw9sandbox0echo000';

function workflow(
  id: string,
  name: string,
  folderId: string,
  createdAt: string,
): ServerlessWorkflow {
  return {
    id,
    folderId,
    createdAt,
    name,
    description: `${name} (simulated)`,
    labels: { team: 'demo' },
    status: 'ACTIVE',
    serviceAccountId: 'ajeworkflows0runner1',
  };
}

/** The workflows every simulator starts with, in their list order. */
function defaultWorkflows(): Map<string, ServerlessWorkflow> {
  return new Map(
    [
      workflow(WORKFLOW_ID, 'order-processing', SERVERLESS_FOLDER_ID, '2026-10-01T08:00:00Z'),
      workflow(HISTORY_WORKFLOWS[1]!, 'invoice-sync', SERVERLESS_FOLDER_ID, '2026-10-02T08:00:00Z'),
      workflow(
        HISTORY_WORKFLOWS[2]!,
        'nightly-report',
        SERVERLESS_FOLDER_ID,
        '2026-10-03T08:00:00Z',
      ),
      workflow(OTHER_WORKFLOW, 'sandbox-echo', SERVERLESS_OTHER_FOLDER_ID, '2026-10-04T08:00:00Z'),
    ].map((each) => [each.id, each]),
  );
}

function execution(
  id: string,
  status: ServerlessStatus,
  startedAt: string,
  duration: string,
  input: unknown,
  outcome: Pick<ServerlessExecution, 'result' | 'error'> = {},
  workflowId = WORKFLOW_ID,
): SeedRecord {
  const record: { execution: ServerlessExecution } = {
    execution: {
      id,
      workflowId,
      input: { inputJson: JSON.stringify(input) },
      ...outcome,
      status,
      startedAt,
      duration,
    },
  };
  return { id, status, record };
}

const HISTORY_STATUSES: readonly ServerlessStatus[] = [
  'FINISHED',
  'FAILED',
  'RUNNING',
  'FINISHED',
  'STOPPED',
  'QUEUED',
  'FINISHED',
  'PAUSED',
  'FAILED',
  'FINISHED',
];
/** The first history execution's start; each next one 433 minutes later (66: to 2026-11-20). */
const HISTORY_START = Date.parse('2026-11-01T00:00:00.000Z');
const HISTORY_STEP_MS = 433 * 60_000;

/**
 * Where history execution `i` takes its start from: every fifth shares the start of the one before
 * it, and so do 5, 20, 35, ... (three at once), written alike.
 */
function historyBase(i: number): number {
  return i > 0 && (i % 5 === 4 || i % 15 === 5) ? historyBase(i - 1) : i;
}

/** An RFC 3339 start, whole seconds for even bases and milliseconds for odd ones. */
function historyStart(i: number): string {
  const base = historyBase(i);
  const iso = new Date(HISTORY_START + base * HISTORY_STEP_MS + (base % 2) * 250).toISOString();
  return base % 2 === 0 ? iso.replace('.000Z', 'Z') : iso;
}

function historyExecution(id: string, i: number, workflowId: string): SeedRecord {
  const status = HISTORY_STATUSES[i % HISTORY_STATUSES.length]!;
  const outcome: Pick<ServerlessExecution, 'result' | 'error'> =
    status === 'FAILED'
      ? {
          error: {
            // A step of its workflow (see `historyEntries`).
            message: `Step "${workflowId === WORKFLOW_ID ? 'charge' : 'load'}" failed: timeout (run ${i})`,
            errorCode: 'STEP_FAILED',
          },
        }
      : status === 'FINISHED'
        ? { result: { resultJson: JSON.stringify({ processed: i * 10 }) } }
        : {};
  const duration = status === 'QUEUED' ? '0s' : `${30 + i}.${String((i * 37) % 1000)}s`;
  return execution(id, status, historyStart(i), duration, { run: i }, outcome, workflowId);
}

/**
 * The older executions the list call pages through: 66 over the folder's three workflows (ids
 * `dfqh…`; executions that start together run the same workflow), then 4 of the other folder's
 * workflow (ids `dfqo…`); ids not in start order.
 */
function serverlessHistory(): SeedRecord[] {
  const id = (prefix: string, i: number) =>
    `${prefix}0000000000000${String((i * 37) % 101).padStart(3, '0')}`;
  return [
    ...Array.from({ length: 66 }, (_, i) =>
      historyExecution(
        id('dfqh', i),
        i,
        HISTORY_WORKFLOWS[historyBase(i) % HISTORY_WORKFLOWS.length]!,
      ),
    ),
    ...Array.from({ length: 4 }, (_, i) =>
      historyExecution(id('dfqo', i), i * 7 + 1, OTHER_WORKFLOW),
    ),
  ];
}

/** A step of a workflow, as its history entries name it, and how long it takes. */
interface WorkflowStep {
  id: string;
  title: string;
  description: string;
  type: string;
  ms: number;
  output: unknown;
}

const step = (
  id: string,
  title: string,
  type: string,
  ms: number,
  output: unknown,
): WorkflowStep => ({ id, title, description: `${title} (simulated)`, type, ms, output });

/** The steps of `WORKFLOW_ID` (order-processing), the seeded executions' workflow. */
const ORDER_STEPS: readonly WorkflowStep[] = [
  step('validate', 'Validate order', 'FunctionCall', 100, { valid: true }),
  step('reserve', 'Reserve stock', 'HttpCall', 150, { reserved: true, warehouse: 'MSK-1' }),
  step('charge', 'Charge card', 'HttpCall', 20_000, { charged: true }),
  step('ship', 'Ship order', 'FunctionCall', 60_000, { shipped: true }),
];

/** The steps of every other workflow. */
const OTHER_STEPS: readonly WorkflowStep[] = [
  step('prepare', 'Prepare', 'FunctionCall', 1_000, { prepared: true }),
  step('load', 'Load', 'HttpCall', 10_000, { loaded: 100 }),
  step('save', 'Save', 'FunctionCall', 5_000, { saved: true }),
];

const stepsOf = (workflowId: unknown) => (workflowId === WORKFLOW_ID ? ORDER_STEPS : OTHER_STEPS);

/**
 * The history entries an execution's status implies, one per step run so far, in order:
 * - QUEUED: the first step SCHEDULED;
 * - RUNNING: the steps done within its `duration` COMPLETED, then the next STARTED;
 * - PAUSED: the steps done within its `duration` COMPLETED (paused between two steps);
 * - STOPPED: the steps done within its `duration` COMPLETED, then the next CANCELLED;
 * - FAILED: COMPLETED up to the step its error names (`Step "charge" failed: <message>`, else
 *   the one running at its end), that one FAILED with `<message>` and the execution's errorCode;
 * - FINISHED: every step COMPLETED, the last one's output its `result`, their times scaled down
 *   to fit a `duration` shorter than the steps take;
 * - anything else, or a record without `startedAt`: none.
 * Each step starts when the one before ends, the first at the execution's start; one still
 * running (STARTED, FAILED, CANCELLED) lasts to the end of the execution's `duration`. A step's
 * input is the execution's `inputJson` for the first, the output of the one before for the others.
 */
export function historyEntries(execution: Partial<ServerlessExecution>): ServerlessHistoryEntry[] {
  const start = typeof execution.startedAt === 'string' ? rfc3339(execution.startedAt) : null;
  if (start === null) return [];
  const steps = stepsOf(execution.workflowId);
  const took = durationNs(execution.duration) ?? 0n;
  const total = BigInt(steps.reduce((sum, each) => sum + each.ms, 0)) * 1_000_000n;
  // Scaled to whole milliseconds.
  const scale = (ns: bigint) =>
    execution.status === 'FINISHED' && took < total
      ? ((ns * took) / total / 1_000_000n) * 1_000_000n
      : ns;
  const ends: bigint[] = [];
  for (const each of steps) ends.push((ends.at(-1) ?? 0n) + BigInt(each.ms) * 1_000_000n);
  const within = Math.min(ends.filter((end) => end <= took).length, steps.length - 1);
  const named = /^Step "([^"]+)" failed: (.*)$/s.exec(execution.error?.message ?? '');
  const namedAt = steps.findIndex((each) => each.id === named?.[1]);
  let done: number;
  let last: ServerlessHistoryEntry['status'] | null;
  switch (execution.status) {
    case 'QUEUED':
      [done, last] = [0, 'SCHEDULED'];
      break;
    case 'RUNNING':
      [done, last] = [within, 'STARTED'];
      break;
    case 'PAUSED':
      [done, last] = [within, null];
      break;
    case 'STOPPED':
      [done, last] = [within, 'CANCELLED'];
      break;
    case 'FAILED':
      [done, last] = [namedAt >= 0 ? namedAt : within, 'FAILED'];
      break;
    case 'FINISHED':
      [done, last] = [steps.length, null];
      break;
    default:
      return [];
  }
  const outputOf = (i: number) =>
    i === steps.length - 1 && execution.result?.resultJson !== undefined
      ? execution.result.resultJson
      : JSON.stringify(steps[i]!.output);
  const entry = (
    i: number,
    status: ServerlessHistoryEntry['status'],
    from: bigint,
    to: bigint,
  ): ServerlessHistoryEntry => {
    const { id, title, description, type } = steps[i]!;
    return {
      id,
      title,
      description,
      startedAt: rfc3339Of(start + from),
      duration: durationOf(to - from),
      input: { inputJson: i === 0 ? (execution.input?.inputJson ?? '{}') : outputOf(i - 1) },
      ...(status === 'COMPLETED' ? { output: { outputJson: outputOf(i) } } : {}),
      ...(status === 'FAILED'
        ? {
            error: {
              message: named?.[2] ?? execution.error?.message ?? 'Step failed',
              errorCode: execution.error?.errorCode ?? 'STEP_FAILED',
            },
          }
        : {}),
      status,
      type,
      attempts: '1',
    };
  };
  const entries = Array.from({ length: done }, (_, i) =>
    entry(i, 'COMPLETED', scale(i === 0 ? 0n : ends[i - 1]!), scale(ends[i]!)),
  );
  if (last !== null && done < steps.length) {
    const from = done === 0 ? 0n : ends[done - 1]!;
    entries.push(entry(done, last, from, last === 'SCHEDULED' ? from : took));
  }
  return entries;
}

/** The statuses a filter may compare with (`status="FAILED"`). */
const STATUSES: ReadonlySet<string> = new Set([
  'STATUS_UNSPECIFIED',
  'QUEUED',
  'RUNNING',
  'PAUSED',
  'STOPPED',
  'FAILED',
  'FINISHED',
]);

/** A filter's term: a status, or a time compared with `=`, `<` or `>`. */
type Term =
  | { field: 'status'; value: string }
  | { field: 'started_at' | 'finished_at'; op: '=' | '<' | '>'; at: bigint };

const FILTER_SYNTAX =
  'terms like status="FAILED" or started_at>"2026-11-20T00:00:00Z" (fields status, started_at, ' +
  'finished_at; operators =, < and >; the value in double quotes) joined by " AND "';

/** The terms of a `filter`, or the error to answer. */
function parseFilter(text: string): Term[] | RouteRefusal {
  const terms: Term[] = [];
  for (const part of text.split(' AND ')) {
    const match = /^(status|started_at|finished_at)([=<>])"([^"]*)"$/.exec(part);
    if (!match) return badRequest(`Invalid filter term '${part}': expected ${FILTER_SYNTAX}.`);
    const [, field, op, value] = match as unknown as [
      string,
      Term['field'],
      '=' | '<' | '>',
      string,
    ];
    if (field === 'status') {
      if (op !== '=' || !STATUSES.has(value)) {
        return badRequest(
          `Invalid filter term '${part}': status compares with = to one of ${[...STATUSES].join(', ')}.`,
        );
      }
      terms.push({ field, value });
      continue;
    }
    const at = rfc3339(value);
    if (at === null) {
      return badRequest(
        `Invalid filter term '${part}': ${field} takes an RFC 3339 time such as 2026-11-20T00:00:00Z.`,
      );
    }
    terms.push({ field, op, at });
  }
  return terms;
}

/** Nanoseconds of a duration such as `12.5s`, else null. */
function durationNs(text: unknown): bigint | null {
  const match = typeof text === 'string' ? /^(\d+)(?:\.(\d{1,9}))?s$/.exec(text) : null;
  return match
    ? BigInt(match[1]!) * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0'))
    : null;
}

const ENDED: ReadonlySet<string> = new Set(['STOPPED', 'FAILED', 'FINISHED']);

function matches(execution: Partial<ServerlessExecution>, terms: Term[]): boolean {
  return terms.every((term) => {
    if (term.field === 'status') return execution.status === term.value;
    const started = typeof execution.startedAt === 'string' ? rfc3339(execution.startedAt) : null;
    const took = durationNs(execution.duration);
    const at =
      term.field === 'started_at'
        ? started
        : started !== null && took !== null && ENDED.has(String(execution.status))
          ? started + took
          : null;
    if (at === null) return false;
    return term.op === '=' ? at === term.at : term.op === '<' ? at < term.at : at > term.at;
  });
}

type Tokens = ReturnType<typeof pageTokens>;

/**
 * `GET /workflows/v1/execution?workflowId&pageSize&pageToken&filter`: the executions of
 * `workflowId` (required), newest first by `startedAt`, equal starts by id descending, as previews
 * (`id, workflowId, status, startedAt, duration`); `pageSize` 0 to 1000 (0 or absent: 100); an
 * opaque `nextPageToken` (the last item's place, signed with the workflow and filter), `''` at
 * the end; `filter` as `FILTER_SYNTAX` says, `finished_at` being `startedAt + duration` of an
 * ended execution.
 */
function listExecutions(
  records: Map<string, unknown>,
  tokens: Tokens,
  query: URLSearchParams,
): RouteReply | RouteRefusal {
  const workflowId = single(query, 'workflowId');
  if (typeof workflowId === 'object') return workflowId;
  if (workflowId === undefined) return badRequest('workflowId is required: name one workflow.');
  const pageSize = integer(query, 'pageSize', { fallback: 0, min: 0, max: 1000 });
  if (typeof pageSize !== 'number') return pageSize;
  const filter = single(query, 'filter');
  if (typeof filter === 'object') return filter;
  const terms = filter === undefined ? [] : parseFilter(filter);
  if (!Array.isArray(terms)) return terms;
  const token = single(query, 'pageToken');
  if (typeof token === 'object') return token;
  const scope = `executions\n${workflowId}\n${filter ?? ''}`;
  let after: SortKey | undefined;
  if (token !== undefined) {
    const payload = tokens.verify(scope, token);
    const match = payload === null ? null : /^(-?\d+) (.*)$/s.exec(payload);
    if (!match) {
      return badRequest(
        `Invalid pageToken '${token}': pass the nextPageToken of the same listing (workflowId and filter).`,
      );
    }
    after = { at: BigInt(match[1]!), id: match[2]! };
  }
  const size = pageSize === 0 ? 100 : pageSize;
  const listed = [...records.values()]
    .map((record) => (record as { execution?: Partial<ServerlessExecution> } | null)?.execution)
    .filter(
      (execution): execution is Partial<ServerlessExecution> & { id: string } =>
        typeof execution === 'object' &&
        execution !== null &&
        typeof execution.id === 'string' &&
        execution.workflowId === workflowId &&
        matches(execution, terms),
    )
    .map((execution) => ({ execution, key: sortKey(execution.startedAt, execution.id) }))
    .sort((a, b) => newestFirst(a.key, b.key))
    .filter(({ key }) => after === undefined || newestFirst(after, key) < 0);
  const page = listed.slice(0, size);
  const last = page.at(-1);
  const previews = page.map(({ execution }) =>
    Object.fromEntries(
      (['id', 'workflowId', 'status', 'startedAt', 'duration'] as const)
        .filter((field) => execution[field] !== undefined)
        .map((field) => [field, execution[field]]),
    ),
  );
  return {
    status: 200,
    body: {
      executions: previews,
      nextPageToken:
        listed.length > size && last ? tokens.sign(scope, `${last.key.at} ${last.key.id}`) : '',
    },
  };
}

/**
 * `GET /workflows/v1/workflow?folderId&pageSize&pageToken`: the workflows of `folderId`
 * (required) in their stored order; `pageSize` 0 to 1000 (0 or absent: 100); an opaque
 * `nextPageToken` (an offset signed with the folder), `''` at the end.
 */
function listWorkflows(
  workflows: Map<string, ServerlessWorkflow>,
  tokens: Tokens,
  query: URLSearchParams,
): RouteReply | RouteRefusal {
  const folderId = single(query, 'folderId');
  if (typeof folderId === 'object') return folderId;
  if (folderId === undefined) return badRequest('folderId is required: name one folder.');
  const pageSize = integer(query, 'pageSize', { fallback: 0, min: 0, max: 1000 });
  if (typeof pageSize !== 'number') return pageSize;
  const token = single(query, 'pageToken');
  if (typeof token === 'object') return token;
  const scope = `workflows\n${folderId}`;
  let offset = 0;
  if (token !== undefined) {
    const payload = tokens.verify(scope, token);
    if (payload === null || !/^\d{1,15}$/.test(payload)) {
      return badRequest(
        `Invalid pageToken '${token}': pass the nextPageToken of the same listing (folderId).`,
      );
    }
    offset = Number(payload);
  }
  const size = pageSize === 0 ? 100 : pageSize;
  const inFolder = [...workflows.values()].filter((each) => each.folderId === folderId);
  const end = offset + size;
  return {
    status: 200,
    body: {
      workflows: inFolder.slice(offset, end),
      nextPageToken: inFolder.length > end ? tokens.sign(scope, String(end)) : '',
    },
  };
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new execution id: `dfq` and 17 random lowercase letters and digits, like the seeded ones. */
function newExecutionId(): string {
  return `dfq${[...randomBytes(17)].map((byte) => ID_ALPHABET[byte % ID_ALPHABET.length]).join('')}`;
}

const START_SHAPE = '{"workflowId": "...", "input": {"inputJson": "..."}}';

/**
 * The QUEUED execution `POST /workflows/v1/execution/start` creates from `body`
 * (`START_SHAPE`, `input` optional; `inputJson`, when given, JSON text), starting now; or the
 * error to answer: 400 for a body not of that shape or naming no workflow, 404 for a workflow
 * not in `workflows`.
 */
function startedExecution(
  body: string,
  workflows: Map<string, ServerlessWorkflow>,
): { execution: ServerlessExecution } | RouteRefusal {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return badRequest(`The body is not JSON: send ${START_SHAPE}.`);
  }
  const request = typeof parsed === 'object' && parsed !== null ? parsed : {};
  const { workflowId, input } = request as { workflowId?: unknown; input?: unknown };
  if (typeof workflowId !== 'string' || workflowId === '') {
    return badRequest(`workflowId is required: send ${START_SHAPE}.`);
  }
  const inputJson =
    input === undefined || input === null
      ? undefined
      : (input as { inputJson?: unknown }).inputJson;
  if (
    (input !== undefined && input !== null && typeof input !== 'object') ||
    (inputJson !== undefined && typeof inputJson !== 'string')
  ) {
    return badRequest(`input must be {"inputJson": "<JSON text>"}, got ${JSON.stringify(input)}.`);
  }
  if (typeof inputJson === 'string' && inputJson !== '') {
    try {
      JSON.parse(inputJson);
    } catch {
      return badRequest(`input.inputJson is not JSON text: ${JSON.stringify(inputJson)}.`);
    }
  }
  if (!workflows.has(workflowId)) {
    return { error: { status: 404, message: `Workflow '${workflowId}' was not found` } };
  }
  const execution: ServerlessExecution = {
    id: newExecutionId(),
    workflowId,
    ...(inputJson === undefined ? {} : { input: { inputJson } }),
    status: 'QUEUED',
    startedAt: new Date().toISOString(),
    duration: '0s',
  };
  return { execution };
}

/**
 * Yandex Cloud Serverless Workflows: `GET /workflows/v1/execution/{id}` with
 * `Authorization: Bearer <IAM token>`. Errors follow the gRPC gateway:
 * `{ code, message, details: [{ '@type': '...RequestInfo', requestId }] }`. Its list calls:
 * `GET /workflows/v1/execution` (see `listExecutions`) and `GET /workflows/v1/workflow` (see
 * `listWorkflows`), over the seeded executions and 70 older ones (`history`).
 *
 * Steps: `GET /workflows/v1/execution/{id}/history` answers `{execution, entries}` (the GET's
 * execution, unwrapped; `historyEntries` says which entries a status implies), not paged, 404
 * for an unknown id. Starting: `POST /workflows/v1/execution/start` with `START_SHAPE` answers
 * `{executionId}` and stores a QUEUED execution of that workflow and input, started now, that
 * goes on to RUNNING and FINISHED on the simulator's clock (`progress`), its `duration` the time
 * since its start at each step and its `result` the last step's output once FINISHED.
 */
export const serverlessSimulator: SimulatorDefinition<ServerlessExtension> = {
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
  // The folder a client searches (SERVERLESS_WORKFLOW_FOLDER_ID): the demo's search lists its workflows.
  credentials: { token: 'demo-serverless-token', folderId: SERVERLESS_FOLDER_ID },
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
  history: serverlessHistory,
  errorBody: (error: ProviderError, requestId: string) => ({
    code: GRPC_CODES[error.status] ?? (error.status >= 500 ? 13 : 2),
    message: error.message,
    details: [
      { '@type': 'type.googleapis.com/google.rpc.RequestInfo', requestId, servingData: '' },
    ],
  }),
  attach: ({ credentials, records, later, progress }) => {
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
    const tokens = pageTokens();
    const workflows = defaultWorkflows();
    let added = 0;
    let listCalls = 0;
    let workflowListCalls = 0;
    let stepsCalls = 0;
    let startCalls = 0;
    const histories = new Map<string, ServerlessHistoryEntry[]>();
    /** The executions a start created. */
    const started = new Set<string>();
    const extension: ServerlessExtension = {
      get listCalls() {
        return listCalls;
      },
      get stepsCalls() {
        return stepsCalls;
      },
      get startCalls() {
        return startCalls;
      },
      histories,
      get workflowListCalls() {
        return workflowListCalls;
      },
      folderId: SERVERLESS_FOLDER_ID,
      workflows,
      addWorkflows(count, executionsEach = 0) {
        const ids: string[] = [];
        for (let n = 0; n < count; n++) {
          added += 1;
          const id = `dfqwadd${String(added).padStart(13, '0')}`;
          const created = new Date(Date.UTC(2026, 10, 1) + added * 60_000).toISOString();
          workflows.set(id, workflow(id, `extra-${added}`, SERVERLESS_FOLDER_ID, created));
          for (let e = 0; e < executionsEach; e++) {
            const executionId = `dfqa${String(added).padStart(8, '0')}${String(e).padStart(8, '0')}`;
            const startedAt = new Date(Date.UTC(2026, 10, 19) + added * 60_000 + e * 1_000);
            const { record } = execution(
              executionId,
              'FINISHED',
              startedAt.toISOString(),
              '1.5s',
              { workflow: id, n: e },
              { result: { resultJson: '{}' } },
              id,
            );
            records.set(executionId, record);
          }
          ids.push(id);
        }
        return ids;
      },
    };
    return {
      authorize: bearer(credentials.token, {
        missing: 'The token is missing; send "Authorization: Bearer <IAM token>"',
        invalid: 'The token is invalid',
      }),
      routes: [
        {
          method: 'GET',
          path: '/workflows/v1/execution',
          lists: true,
          received: () => void (listCalls += 1),
          handle: ({ query }) => listExecutions(records, tokens, query),
        },
        {
          method: 'GET',
          path: '/workflows/v1/workflow',
          lists: true,
          received: () => void (workflowListCalls += 1),
          handle: ({ query }) => listWorkflows(workflows, tokens, query),
        },
        stopRoute('stop'),
        stopRoute('terminate'),
        {
          method: 'GET',
          path: '/workflows/v1/execution/{id}/history',
          acts: true,
          on: 'steps' as const,
          received: () => void (stepsCalls += 1),
          handle({ id }) {
            const execution =
              (records.get(id) as { execution?: Partial<ServerlessExecution> } | null)?.execution ??
              {};
            const entries = histories.get(id) ?? historyEntries(execution);
            return { status: 200, body: { execution, entries } };
          },
        },
        {
          method: 'POST',
          path: '/workflows/v1/execution/start',
          on: 'start' as const,
          received: () => void (startCalls += 1),
          handle({ body }) {
            const created = startedExecution(body, workflows);
            if (!('execution' in created)) return created;
            const { id } = created.execution;
            records.set(id, created);
            started.add(id);
            progress(id);
            return { status: 200, body: { executionId: id } };
          },
        },
      ],
      extension,
      advanced(id, status) {
        const execution = (records.get(id) as { execution: ServerlessExecution }).execution;
        if (!started.has(id)) return;
        const since = rfc3339(execution.startedAt);
        if (since !== null)
          execution.duration = durationOf(BigInt(Date.now()) * 1_000_000n - since);
        if (status === 'FINISHED') {
          const steps = stepsOf(execution.workflowId);
          execution.result = { resultJson: JSON.stringify(steps.at(-1)!.output) };
        }
      },
      reset() {
        workflows.clear();
        for (const [id, each] of defaultWorkflows()) workflows.set(id, each);
        added = 0;
        listCalls = 0;
        workflowListCalls = 0;
        stepsCalls = 0;
        startCalls = 0;
        histories.clear();
        started.clear();
      },
    };
  },
};

/** Starts the Serverless Workflows simulator; credentials default to `serverlessSimulator.credentials`. */
export function startServerlessSimulator(
  options: StartOptions & { credentials?: Partial<ServerlessCredentials> } = {},
): Promise<ServerlessSimulator> {
  return startSimulator(serverlessSimulator, options);
}
