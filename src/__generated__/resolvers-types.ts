import type { LoadedExecution, LoadedStep } from '../executions/model.js';
import type { ProviderReport, SearchEdge, SearchPage } from '../executions/search.js';
import type { CloudShellExecutionRaw } from '../datasources/cloudshell.js';
import type { LinkRaw } from '../datasources/cloudshell.js';
import type { DurableWorkflowExecutionRaw } from '../datasources/durable.js';
import type { PaymentWorkflowExecutionRaw } from '../datasources/payment.js';
import type { PaymentWorkflowEventRaw } from '../datasources/payment.js';
import type { RefoldExecutionRaw } from '../datasources/refold.js';
import type { RefoldApplicationRaw } from '../datasources/refold.js';
import type { RefoldWorkflowRaw } from '../datasources/refold.js';
import type { ServerlessWorkflowExecutionRaw } from '../datasources/serverless.js';
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Context } from '../graphql/context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A point in time as an RFC 3339 string in UTC with millisecond precision, e.g. `2023-10-31T14:19:34.788Z`. */
  DateTime: { input: string; output: Date | string; }
  /** Any JSON value: an object, array, string, number, boolean or null. Used for payloads, results and metadata whose shape the provider does not fix. */
  JSON: { input: unknown; output: unknown; }
  _FieldSet: { input: unknown; output: unknown; }
};

/**
 * A sandbox or component command execution in Quali CloudShell
 * (`GET /api/v2/executions/{execution_id}` of the CloudShell Sandbox API).
 */
export type CloudShellExecution = Execution & {
  __typename?: 'CloudShellExecution';
  /** False: CloudShell cannot start an execution again (that needs its sandbox and command). */
  canRerun: Scalars['Boolean']['output'];
  /** True while it is not finished and CloudShell offers `stopLink`. */
  canStop: Scalars['Boolean']['output'];
  /** CloudShell keeps no creation time: its start (`started`). */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** `endedAt - startedAt` in seconds; null until both are known. */
  durationSeconds?: Maybe<Scalars['Float']['output']>;
  /** CloudShell's `ended`; null when it is empty. */
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  /** CloudShell reports no structured error for an execution: always null. See `output`. */
  error?: Maybe<ExecutionError>;
  /** Global id, `cloudshell:<execution id>`. */
  id: Scalars['ID']['output'];
  /** True when `state` is SUCCEEDED, FAILED or CANCELLED. */
  isTerminal: Scalars['Boolean']['output'];
  /** CloudShell's execution id (`id`), a GUID. */
  nativeId: Scalars['String']['output'];
  /** The command's output message, or null when it returned none. */
  output?: Maybe<Scalars['String']['output']>;
  /** Always CLOUDSHELL. */
  provider: ExecutionProvider;
  /** CloudShell's `status` as sent, e.g. `Running`. */
  providerStatus?: Maybe<Scalars['String']['output']>;
  /** Link to read this execution again (`_links.self`). */
  selfLink: Link;
  /** CloudShell's `started`; null when it is empty. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Mapped from `status`: pending, running, stopping, canceled, completed, failed (any case). */
  state: ExecutionState;
  /** CloudShell keeps no steps an execution names: always null. */
  steps?: Maybe<Array<ExecutionStep>>;
  /**
   * Link to stop the execution (`_links.stop`, a DELETE); null when CloudShell offers none, i.e. the
   * execution cannot be cancelled or is no longer running.
   */
  stopLink?: Maybe<Link>;
  /** Whether the execution can be stopped before it completes (CloudShell's `supports_cancellation`). */
  supportsCancellation: Scalars['Boolean']['output'];
};

/**
 * An execution of a durable workflow / job-queue engine (`GET /api/v1/executions/{execution_id}`).
 * Child executions link to their parent and to the root of their tree.
 */
export type DurableWorkflowExecution = Execution & {
  __typename?: 'DurableWorkflowExecution';
  /** The worker it is assigned to (`assigned_to_worker`). */
  assignedToWorker?: Maybe<Scalars['String']['output']>;
  /** The batch this execution belongs to (`batch_id`). */
  batchId?: Maybe<Scalars['String']['output']>;
  /** True once it finished: the engine runs its workflow again with the same payload. */
  canRerun: Scalars['Boolean']['output'];
  /** True while it is not finished: the engine cancels it together with its parents and children. */
  canStop: Scalars['Boolean']['output'];
  /** When it was cancelled (`cancelled_at`). */
  cancelledAt?: Maybe<Scalars['DateTime']['output']>;
  /** Who cancelled it, a user or the system (`cancelled_by`). */
  cancelledBy?: Maybe<Scalars['String']['output']>;
  /** Concurrency key that limits parallel executions sharing it (`concurrency_key`). */
  concurrencyKey?: Maybe<Scalars['String']['output']>;
  /** When it was created (`created_at`). */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** The deployment that ran it (`deployment_id`). */
  deploymentId?: Maybe<Scalars['String']['output']>;
  /** `endedAt - startedAt` in seconds; null until both are known. */
  durationSeconds?: Maybe<Scalars['Float']['output']>;
  /** The engine's `completed_at`, or `cancelled_at` for a cancelled execution. */
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The engine's `error` message when the execution failed; it sends no error code. */
  error?: Maybe<ExecutionError>;
  /** Global id, `durable:<execution id>`. */
  id: Scalars['ID']['output'];
  /** True when `state` is SUCCEEDED, FAILED or CANCELLED. */
  isTerminal: Scalars['Boolean']['output'];
  /** The engine's execution id (`id`). */
  nativeId: Scalars['String']['output'];
  /** Name of the schema its output follows (`output_schema_name`). */
  outputSchemaName?: Maybe<Scalars['String']['output']>;
  /** The execution that started this one (`parent_execution_id`); null for a root execution. */
  parentExecution?: Maybe<DurableWorkflowExecution>;
  /** The input payload, any JSON (`payload`). */
  payload?: Maybe<Scalars['JSON']['output']>;
  /** Always DURABLE_WORKFLOW. */
  provider: ExecutionProvider;
  /** The engine's `status` as sent. */
  providerStatus?: Maybe<Scalars['String']['output']>;
  /** The queue the execution was enqueued on (`queue_name`). */
  queueName?: Maybe<Scalars['String']['output']>;
  /** The execution result, any JSON (`result`). */
  result?: Maybe<Scalars['JSON']['output']>;
  /** How many times it was retried (`retry_count`). */
  retryCount: Scalars['Int']['output'];
  /** The root of this execution's tree (`root_execution_id`); null when it is itself the root. */
  rootExecution?: Maybe<DurableWorkflowExecution>;
  /** Its run timeout in seconds (`run_timeout_seconds`). */
  runTimeoutSeconds?: Maybe<Scalars['Int']['output']>;
  /** The session it belongs to (`session_id`). */
  sessionId?: Maybe<Scalars['String']['output']>;
  /** The engine's `started_at`. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /**
   * Mapped from `status`: pending, queued and claimed are PENDING, running RUNNING, waiting WAITING,
   * pending_cancel STOPPING, completed SUCCEEDED, failed FAILED, cancelled CANCELLED.
   */
  state: ExecutionState;
  /** The step of the parent workflow this execution runs (`step_key`). */
  stepKey?: Maybe<Scalars['String']['output']>;
  /** The steps of the execution, from the events the engine publishes on its tree's topic (docs/steps.md). */
  steps?: Maybe<Array<ExecutionStep>>;
  /** The user it runs for (`user_id`). */
  userId?: Maybe<Scalars['String']['output']>;
  /** The workflow this is an execution of (`workflow_id`). */
  workflowId?: Maybe<Scalars['String']['output']>;
};

/**
 * One run of a job, command or workflow at one provider. Every provider's execution implements this
 * interface; ask for provider-specific fields with an inline fragment on its type, such as
 * `... on <type> { <field> }`.
 */
export type Execution = {
  /**
   * True when `rerunExecution` would start it again: it has finished, and its provider can start it
   * again from the same input. A Rerun button shows when this is true.
   */
  canRerun: Scalars['Boolean']['output'];
  /**
   * True when `stopExecution` would ask the provider to stop this execution: it has not finished,
   * its provider has a stop call, and the provider offers one for it now. A Stop button shows when
   * this is true.
   */
  canStop: Scalars['Boolean']['output'];
  /**
   * When the provider accepted the execution; its start (`startedAt`) where the provider keeps no
   * such time.
   */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /**
   * How long the execution ran, in seconds: the provider's own duration when it sends one, else
   * `endedAt - startedAt`; null when neither is known.
   */
  durationSeconds?: Maybe<Scalars['Float']['output']>;
  /** When the execution ended, or null while it is not finished or when the provider does not say. */
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Why the execution failed, when the provider reports an error; null otherwise. */
  error?: Maybe<ExecutionError>;
  /**
   * Global id, `<provider key>:<native id>`: each implementing type's `id` names its provider key.
   * The same id works in `execution`, `executions` and entity references.
   */
  id: Scalars['ID']['output'];
  /** True when `state` is SUCCEEDED, FAILED or CANCELLED: the execution will not change any more. */
  isTerminal: Scalars['Boolean']['output'];
  /** The provider's own id of this execution (the part of `id` after the first colon). */
  nativeId: Scalars['String']['output'];
  /** The provider this execution comes from. */
  provider: ExecutionProvider;
  /** The status exactly as the provider sent it, or null when it sent none. */
  providerStatus?: Maybe<Scalars['String']['output']>;
  /** When the execution started, or null when it has not started or the provider does not say. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Provider-independent lifecycle state, mapped from `providerStatus`. */
  state: ExecutionState;
  /**
   * The steps of the execution as its provider keeps them, in order; null when the provider keeps
   * none for it. Asked for, it costs one more call to the provider per execution (none where the
   * execution's own answer holds them). A failed call is an error at this field only.
   */
  steps?: Maybe<Array<ExecutionStep>>;
};

/** A page of `searchExecutions`. */
export type ExecutionConnection = {
  __typename?: 'ExecutionConnection';
  /** The page's executions with their cursors, newest first. */
  edges: Array<ExecutionEdge>;
  /** The page's executions, newest first: the edges' nodes. */
  nodes: Array<Execution>;
  /** Where this page stands, and the cursor of the next. */
  pageInfo: ExecutionPageInfo;
  /** One per provider the filter covers: whether it was searched for this page, and why not. */
  providers: Array<ExecutionSearchProvider>;
};

/** One execution of a page, with the cursor that continues after it. */
export type ExecutionEdge = {
  __typename?: 'ExecutionEdge';
  /**
   * Opaque: pass it as `after`, with the same filter, for the executions after this one. Sealed and
   * bound to the filter.
   */
  cursor: Scalars['String']['output'];
  node: Execution;
};

/** An error the provider reported for an execution (not an error of this API). */
export type ExecutionError = {
  __typename?: 'ExecutionError';
  /** The provider's error code, when it sends one. */
  code?: Maybe<Scalars['String']['output']>;
  /** The provider's error message. */
  message: Scalars['String']['output'];
};

/** What `searchExecutions` looks for. Every condition given must hold. */
export type ExecutionFilter = {
  /** Only executions created at or after this time (`createdAt >= createdAfter`). */
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only executions created before this time (`createdAt < createdBefore`). */
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only these providers. Default: all. */
  providers?: InputMaybe<Array<ExecutionProvider>>;
  /** Only executions in one of these states. */
  states?: InputMaybe<Array<ExecutionState>>;
  /**
   * Only executions of this workflow, by the provider's own workflow id (the durable engine's
   * `workflow_id`, Yandex's `workflowId`, Refold's workflow).
   */
  workflowId?: InputMaybe<Scalars['String']['input']>;
};

/** Where a page of `searchExecutions` stands. */
export type ExecutionPageInfo = {
  __typename?: 'ExecutionPageInfo';
  /** The cursor of the page's last execution (or of where it stopped); null only when nothing is left. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** True when there may be more matching executions: ask again with `after: endCursor`. */
  hasNextPage: Scalars['Boolean']['output'];
  /** True when this page was asked with `after`. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The cursor of the page's first execution, null when the page is empty. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/**
 * The provider an execution comes from. Each has its own implementing type of `Execution`, and its
 * schema file adds its value here.
 */
export type ExecutionProvider =
  /** Quali CloudShell Sandbox API command executions (`CloudShellExecution`). */
  | 'CLOUDSHELL'
  /** The durable workflow / job-queue engine (`DurableWorkflowExecution`). */
  | 'DURABLE_WORKFLOW'
  /** The payment-gated workflow platform (`PaymentWorkflowExecution`). */
  | 'PAYMENT_WORKFLOW'
  /** Refold (formerly Cobalt) integration platform (`RefoldExecution`). */
  | 'REFOLD'
  /** Yandex Cloud Serverless Workflows (`ServerlessWorkflowExecution`). */
  | 'SERVERLESS_WORKFLOW';

/** Whether one provider was searched for a page, and why not. */
export type ExecutionSearchProvider = {
  __typename?: 'ExecutionSearchProvider';
  /**
   * Why not: SEARCH_NOT_SUPPORTED (it has no list call), FILTER_REQUIRED (it lists only with a
   * filter this one lacks), PROVIDER_NOT_CONFIGURED, or the UPSTREAM_* code of its failed list call.
   * Null when searched.
   */
  code?: Maybe<Scalars['String']['output']>;
  /** What `code` means for this provider, in a sentence. Null when searched. */
  message?: Maybe<Scalars['String']['output']>;
  provider: ExecutionProvider;
  /** True when its executions were listed for this page. */
  searched: Scalars['Boolean']['output'];
};

/** Provider-independent lifecycle state. `providerStatus` keeps the provider's own word for it. */
export type ExecutionState =
  /** Stopped or cancelled before it finished. Terminal. */
  | 'CANCELLED'
  /** Finished with an error. Terminal. */
  | 'FAILED'
  /** Accepted or queued, not started yet. */
  | 'PENDING'
  /** Running now. */
  | 'RUNNING'
  /** A stop was requested and is in progress. */
  | 'STOPPING'
  /** Finished successfully. Terminal. */
  | 'SUCCEEDED'
  /** The provider sent a status this API does not know; see `providerStatus`. */
  | 'UNKNOWN'
  /** Paused or waiting on something outside the execution (a payment, an event, a person). */
  | 'WAITING';

/** One step of an execution, as its provider reports it. */
export type ExecutionStep = {
  __typename?: 'ExecutionStep';
  /** How many times the provider tried the step, when it says. */
  attempts?: Maybe<Scalars['Int']['output']>;
  /** How long the step ran, in seconds, when known. */
  durationSeconds?: Maybe<Scalars['Float']['output']>;
  /** When the step ended, when the provider says. */
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Why the step failed, when the provider reports it. */
  error?: Maybe<ExecutionError>;
  /** The step's name at its provider (a title, a node's name, a step key). */
  name: Scalars['String']['output'];
  /** The step's status as the provider sent it (or, where it sends none, as docs/steps.md derives it). */
  providerStatus?: Maybe<Scalars['String']['output']>;
  /** When the step started, when the provider says. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Provider-independent state, mapped from `providerStatus` by the provider's step table. */
  state: ExecutionState;
};

/** A hypermedia link the CloudShell API offers for an execution. */
export type Link = {
  __typename?: 'Link';
  /** The link target, relative to the CloudShell API's `/api/v2` base, e.g. `/executions/1DEB29BF-…`. */
  href: Scalars['String']['output'];
  /** The HTTP method to call it with, e.g. `GET` or `DELETE`. */
  method: Scalars['String']['output'];
};

/**
 * Acting on executions. Present only when mutations are on: with `ROUTER_SECRET` set, in the demo,
 * or with `MUTATIONS=true` (`MUTATIONS=false` always removes them). Mutations are refused over GET.
 */
export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Starts a finished execution again from the same input, and answers the NEW execution (a new
   * id), fetched from its provider: the durable engine runs its workflow again with the original's
   * payload, Yandex starts its workflow with the original's input, Refold reruns it from its
   * original trigger. One that has not finished, or whose `canRerun` is false, is null with a
   * `RERUN_NOT_SUPPORTED` error and no call. The start call is never sent twice for one mutation
   * (only after a 429 or 503, when the provider did not act): a start that times out is an error,
   * and the provider may have started it.
   */
  rerunExecution?: Maybe<Execution>;
  /**
   * Asks the execution's provider to stop it, and answers the execution as the provider reports it
   * right after: stopping is asynchronous at every provider, so the state is usually `STOPPING` (or
   * still `RUNNING` for a moment) and becomes `CANCELLED` later; query it again or watch it.
   * An execution that has already finished is answered as it is, with no call to the provider.
   * One whose `canStop` is false otherwise is null with a `STOP_NOT_SUPPORTED` error; a provider
   * that refuses is `STOP_REJECTED`. The durable workflow engine cancels the execution's whole tree:
   * its parents and children go to `STOPPING` and then `CANCELLED` as well.
   */
  stopExecution?: Maybe<Execution>;
  /**
   * `stopExecution` for several ids, in the same order as `ids`. Each distinct id is stopped once,
   * however often it is listed; distinct ids are stopped concurrently. An item that cannot be
   * stopped is null with its own error, and the other items are intact.
   */
  stopExecutions: Array<Maybe<Execution>>;
};


/**
 * Acting on executions. Present only when mutations are on: with `ROUTER_SECRET` set, in the demo,
 * or with `MUTATIONS=true` (`MUTATIONS=false` always removes them). Mutations are refused over GET.
 */
export type MutationRerunExecutionArgs = {
  id: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
};


/**
 * Acting on executions. Present only when mutations are on: with `ROUTER_SECRET` set, in the demo,
 * or with `MUTATIONS=true` (`MUTATIONS=false` always removes them). Mutations are refused over GET.
 */
export type MutationStopExecutionArgs = {
  force?: InputMaybe<Scalars['Boolean']['input']>;
  id: Scalars['ID']['input'];
};


/**
 * Acting on executions. Present only when mutations are on: with `ROUTER_SECRET` set, in the demo,
 * or with `MUTATIONS=true` (`MUTATIONS=false` always removes them). Mutations are refused over GET.
 */
export type MutationStopExecutionsArgs = {
  force?: InputMaybe<Scalars['Boolean']['input']>;
  ids: Array<Scalars['ID']['input']>;
};

/** Who started a payment workflow execution. */
export type PaymentInitiator = {
  __typename?: 'PaymentInitiator';
  /** Id of the initiator (`initiatedById`). */
  id?: Maybe<Scalars['String']['output']>;
  /** Kind of initiator, e.g. `user` or `api_key` (`initiatedByType`). */
  type?: Maybe<Scalars['String']['output']>;
};

/** The record in another system that a payment workflow execution is about. */
export type PaymentSource = {
  __typename?: 'PaymentSource';
  /** Id of the entity there (`sourceEntityId`). */
  entityId?: Maybe<Scalars['String']['output']>;
  /** Type of the entity there (`sourceEntityType`). */
  entityType?: Maybe<Scalars['String']['output']>;
  /** The other system (`sourceSystem`). */
  system?: Maybe<Scalars['String']['output']>;
};

/** One event in a payment workflow execution's log. */
export type PaymentWorkflowEvent = {
  __typename?: 'PaymentWorkflowEvent';
  /** When the event happened. */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** Event details, any JSON. */
  data?: Maybe<Scalars['JSON']['output']>;
  /** What happened, e.g. `payment.confirmed`. */
  eventType?: Maybe<Scalars['String']['output']>;
  /** Event id. */
  id: Scalars['String']['output'];
  /** Severity, e.g. `info` or `error`. */
  level?: Maybe<Scalars['String']['output']>;
  /** Human-readable message. */
  message?: Maybe<Scalars['String']['output']>;
  /** The workflow node that emitted it. */
  nodeId?: Maybe<Scalars['String']['output']>;
  /** The provider's id of the request that produced it. */
  requestId?: Maybe<Scalars['String']['output']>;
  /** The workflow run it belongs to. */
  runId?: Maybe<Scalars['String']['output']>;
  /** Short title. */
  title?: Maybe<Scalars['String']['output']>;
};

/**
 * An execution on the payment-gated workflow platform (`GET /v1/executions/{id}`): a workflow that
 * waits for a payment, then runs.
 */
export type PaymentWorkflowExecution = Execution & {
  __typename?: 'PaymentWorkflowExecution';
  /** False: the payment platform has no documented way to start one again. */
  canRerun: Scalars['Boolean']['output'];
  /** Always false: the payment platform has no stop call. */
  canStop: Scalars['Boolean']['output'];
  /** The checkout session (`checkoutSessionId`). */
  checkoutSessionId?: Maybe<Scalars['String']['output']>;
  /** Metadata safe to show to end users, any JSON (`clientSafeMetadata`). */
  clientSafeMetadata?: Maybe<Scalars['JSON']['output']>;
  /** When it was created (`createdAt`). */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** `endedAt - startedAt` in seconds; null until both are known. */
  durationSeconds?: Maybe<Scalars['Float']['output']>;
  /** The platform's `finishedAt`. */
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  /** For a failed execution, its `statusReason`; null otherwise. */
  error?: Maybe<ExecutionError>;
  /** The execution's event log, oldest first as the platform sends it. */
  events: Array<PaymentWorkflowEvent>;
  /** The caller's own reference (`externalRef`). */
  externalRef?: Maybe<Scalars['String']['output']>;
  /** Global id, `payment:<execution id>`. */
  id: Scalars['ID']['output'];
  /** The idempotency key it was created with (`idempotencyKey`). */
  idempotencyKey?: Maybe<Scalars['String']['output']>;
  /** Who started it (`initiatedById`, `initiatedByType`). */
  initiatedBy: PaymentInitiator;
  /** True when `state` is SUCCEEDED, FAILED or CANCELLED. */
  isTerminal: Scalars['Boolean']['output'];
  /** The platform's execution id (`id`). */
  nativeId: Scalars['String']['output'];
  /** The order being paid (`orderId`). */
  orderId?: Maybe<Scalars['String']['output']>;
  /** The owning organization (`organizationId`). */
  organizationId?: Maybe<Scalars['String']['output']>;
  /** The payment's own status (`paymentStatus`). */
  paymentStatus?: Maybe<Scalars['String']['output']>;
  /** Always PAYMENT_WORKFLOW. */
  provider: ExecutionProvider;
  /** The platform's `status` as sent, e.g. `awaiting_payment`. */
  providerStatus?: Maybe<Scalars['String']['output']>;
  /** The request payload, any JSON (`requestPayload`). */
  requestPayload?: Maybe<Scalars['JSON']['output']>;
  /** The response payload, any JSON (`responsePayload`). */
  responsePayload?: Maybe<Scalars['JSON']['output']>;
  /** The workflow run (`runId`). */
  runId?: Maybe<Scalars['String']['output']>;
  /** What it is about (`sourceSystem`, `sourceEntityId`, `sourceEntityType`). */
  source: PaymentSource;
  /** The platform's `startedAt`. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /**
   * Mapped from `status`: awaiting_payment and workflow_waiting are WAITING, payment_confirmed and
   * workflow_queued PENDING, workflow_running RUNNING, then SUCCEEDED, FAILED, CANCELLED.
   */
  state: ExecutionState;
  /** Why the execution is in its status (`statusReason`). */
  statusReason?: Maybe<Scalars['String']['output']>;
  /** Null: the payment platform's steps are its `events`. */
  steps?: Maybe<Array<ExecutionStep>>;
  /** When it last changed (`updatedAt`). */
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The workflow (`workflowId`). */
  workflowId?: Maybe<Scalars['String']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /**
   * One execution by its global id (`<provider key>:<native id>`). Null, with an error whose
   * `extensions.code` says why, when it cannot be fetched: NOT_FOUND, BAD_USER_INPUT (malformed id or
   * unknown provider key), PROVIDER_NOT_CONFIGURED, or an UPSTREAM_* code.
   */
  execution?: Maybe<Execution>;
  /**
   * Several executions by global id, in the same order as `ids`. A duplicate id is fetched once; an
   * item that cannot be fetched is null with its own error, and the other items are intact.
   */
  executions: Array<Maybe<Execution>>;
  /**
   * The executions matching `filter`, newest first by `createdAt` (ties by `id`), across the
   * providers that can list theirs, `first` at a time; `after` is the `endCursor` of the page before.
   * Paging through to the end yields every matching execution once, in that order; executions
   * created after the first page was asked for are not in its later pages. A page makes at most
   * `SEARCH_MAX_CALLS` list calls per provider, so it may hold fewer than `first` executions while
   * `hasNextPage` is true. `providers` says, per provider, whether it was searched and why not.
   * A provider that fails leaves the others' executions on the page, with one error of its
   * `UPSTREAM_*` code, and is asked again from where it stood on the next page.
   */
  searchExecutions: ExecutionConnection;
};


export type QueryExecutionArgs = {
  id: Scalars['ID']['input'];
};


export type QueryExecutionsArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type QuerySearchExecutionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ExecutionFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** The application (integration) a Refold execution belongs to. */
export type RefoldApplication = {
  __typename?: 'RefoldApplication';
  /** URL of the application's icon; null when empty. */
  icon?: Maybe<Scalars['String']['output']>;
  /** Application id (`_id`, or `_id_` as Refold's field table spells it). */
  id?: Maybe<Scalars['ID']['output']>;
  /** Application name, e.g. `Slack`. */
  name?: Maybe<Scalars['String']['output']>;
};

/** Which Refold environment an execution ran in. */
export type RefoldEnvironment =
  /** Refold's `production` environment. */
  | 'PRODUCTION'
  /** Refold's `test` environment. */
  | 'TEST';

/**
 * A workflow execution on the Refold (formerly Cobalt) integration platform
 * (`GET /api/v2/public/execution/{execution_id}`). Refold scopes executions to a customer: requests
 * must carry the `x-refold-linked-account-id` header (a router sets it from the authenticated user).
 */
export type RefoldExecution = Execution & {
  __typename?: 'RefoldExecution';
  /** The application it belongs to (`associated_application`). */
  application?: Maybe<RefoldApplication>;
  /** The event that triggered it (`associated_event_id`). */
  associatedEventId?: Maybe<Scalars['String']['output']>;
  /** True once it finished: Refold reruns it from its original trigger. */
  canRerun: Scalars['Boolean']['output'];
  /** True while it is not finished. */
  canStop: Scalars['Boolean']['output'];
  /** The configuration used (`config_id`). */
  configId?: Maybe<Scalars['String']['output']>;
  /** When it was created (`createdAt`). */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** Refold does not report a duration: always null. */
  durationSeconds?: Maybe<Scalars['Float']['output']>;
  /** Refold does not report an end time: always null. */
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The environment it ran in (`environment`); null when Refold sends another value. */
  environment?: Maybe<RefoldEnvironment>;
  /** Refold reports no error details for an execution: always null. See `state`. */
  error?: Maybe<ExecutionError>;
  /** Global id, `refold:<execution id>`. */
  id: Scalars['ID']['output'];
  /** True when `state` is SUCCEEDED, FAILED or CANCELLED. */
  isTerminal: Scalars['Boolean']['output'];
  /** The Refold customer (linked account) it was fetched for: the `x-refold-linked-account-id` header. */
  linkedAccountId: Scalars['String']['output'];
  /** The execution's name (`name`). */
  name?: Maybe<Scalars['String']['output']>;
  /** Refold's execution id (`_id`). */
  nativeId: Scalars['String']['output'];
  /** Always REFOLD. */
  provider: ExecutionProvider;
  /** Refold's `status` as sent, e.g. `ERRORED`. */
  providerStatus?: Maybe<Scalars['String']['output']>;
  /** Refold reports only a creation time (`createdAt`); it stands for the start. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /**
   * Mapped from `status`: QUEUED and PENDING are PENDING, RUNNING and IN_PROGRESS RUNNING, STOPPING
   * STOPPING, COMPLETED and SUCCESS SUCCEEDED, ERRORED, FAILED and TIMED_OUT FAILED, STOPPED and
   * CANCELLED CANCELLED.
   */
  state: ExecutionState;
  /** The nodes of the execution (`nodes`), when Refold's answer holds them; null when it holds none. */
  steps?: Maybe<Array<ExecutionStep>>;
  /** The workflow it ran (`associated_workflow`). */
  workflow?: Maybe<RefoldWorkflow>;
};

/** The Refold workflow an execution ran. */
export type RefoldWorkflow = {
  __typename?: 'RefoldWorkflow';
  /** URL of the workflow's icon; null when empty. */
  icon?: Maybe<Scalars['String']['output']>;
  /** Workflow id (`_id`, or `_id_` as Refold's field table spells it). */
  id?: Maybe<Scalars['ID']['output']>;
  /** Workflow name. */
  name?: Maybe<Scalars['String']['output']>;
};

/** A Yandex Cloud Serverless Workflows execution (`GET /workflows/v1/execution/{executionId}`). */
export type ServerlessWorkflowExecution = Execution & {
  __typename?: 'ServerlessWorkflowExecution';
  /** True once it finished: Yandex starts its workflow again with the same input. */
  canRerun: Scalars['Boolean']['output'];
  /** True while it is not finished. */
  canStop: Scalars['Boolean']['output'];
  /** Yandex keeps no creation time: its start (`startedAt`). */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** Yandex's `duration` (a protobuf Duration such as `12.5s`) in seconds. */
  durationSeconds?: Maybe<Scalars['Float']['output']>;
  /** `startedAt + duration` once the execution is terminal; null before. */
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Yandex's `error` (`message`, `errorCode`) when the execution failed. */
  error?: Maybe<ExecutionError>;
  /** Global id, `serverless:<execution id>`. */
  id: Scalars['ID']['output'];
  /** The input, parsed from `input.inputJson`. */
  input?: Maybe<Scalars['JSON']['output']>;
  /** True when `state` is SUCCEEDED, FAILED or CANCELLED. */
  isTerminal: Scalars['Boolean']['output'];
  /** Yandex's execution id (`id`). */
  nativeId: Scalars['String']['output'];
  /** Always SERVERLESS_WORKFLOW. */
  provider: ExecutionProvider;
  /** Yandex's `status` as sent. */
  providerStatus?: Maybe<Scalars['String']['output']>;
  /** The result, parsed from `result.resultJson`. */
  result?: Maybe<Scalars['JSON']['output']>;
  /** Yandex's `startedAt`. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /**
   * Mapped from `status`: QUEUED is PENDING, RUNNING RUNNING, PAUSED WAITING, STOPPED CANCELLED,
   * FAILED FAILED, FINISHED SUCCEEDED, STATUS_UNSPECIFIED UNKNOWN.
   */
  state: ExecutionState;
  /** The execution's history entries (`GET .../history`). */
  steps?: Maybe<Array<ExecutionStep>>;
  /** The workflow (`workflowId`). */
  workflowId?: Maybe<Scalars['String']['output']>;
};

/**
 * Live status. Each subscription answers the execution at once, then again each time the provider's
 * answer changes, and completes after the execution reaches a terminal state. The service looks
 * every `WATCH_INTERVAL_MS` (2 s by default), less often while nothing changes (up to
 * `WATCH_MAX_INTERVAL_MS`, 30 s), and once for all subscribers of one execution. Over WebSocket
 * (`graphql-transport-ws`) on `/graphql`.
 */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * One execution: now, then on each change; completes once it is terminal. An execution that
   * cannot be watched (NOT_FOUND, UPSTREAM_UNAUTHORIZED, a bad id) ends the subscription with that
   * error; a provider that fails for a while (timeouts, 5xx, 429, an open circuit) only slows the
   * watch down.
   */
  executionUpdated: Execution;
  /**
   * Several executions: each one now, then each change of any of them; completes once all are
   * terminal. An execution that cannot be watched sends its error and the others go on.
   */
  executionsUpdated: Execution;
};


/**
 * Live status. Each subscription answers the execution at once, then again each time the provider's
 * answer changes, and completes after the execution reaches a terminal state. The service looks
 * every `WATCH_INTERVAL_MS` (2 s by default), less often while nothing changes (up to
 * `WATCH_MAX_INTERVAL_MS`, 30 s), and once for all subscribers of one execution. Over WebSocket
 * (`graphql-transport-ws`) on `/graphql`.
 */
export type SubscriptionExecutionUpdatedArgs = {
  id: Scalars['ID']['input'];
};


/**
 * Live status. Each subscription answers the execution at once, then again each time the provider's
 * answer changes, and completes after the execution reaches a terminal state. The service looks
 * every `WATCH_INTERVAL_MS` (2 s by default), less often while nothing changes (up to
 * `WATCH_MAX_INTERVAL_MS`, 30 s), and once for all subscribers of one execution. Over WebSocket
 * (`graphql-transport-ws`) on `/graphql`.
 */
export type SubscriptionExecutionsUpdatedArgs = {
  ids: Array<Scalars['ID']['input']>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  CloudShellExecution: CloudShellExecution;
  DurableWorkflowExecution: DurableWorkflowExecution;
  Execution: Execution;
  PaymentWorkflowExecution: PaymentWorkflowExecution;
  RefoldExecution: RefoldExecution;
  ServerlessWorkflowExecution: ServerlessWorkflowExecution;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  CloudShellExecution:
    ( { __typename: 'CloudShellExecution' }
    & GraphQLRecursivePick<FederationTypes['CloudShellExecution'], {"id":true}> );
  DurableWorkflowExecution:
    ( { __typename: 'DurableWorkflowExecution' }
    & GraphQLRecursivePick<FederationTypes['DurableWorkflowExecution'], {"id":true}> );
  Execution:
    ( { __typename: 'Execution' }
    & GraphQLRecursivePick<FederationTypes['Execution'], {"id":true}> );
  PaymentWorkflowExecution:
    ( { __typename: 'PaymentWorkflowExecution' }
    & GraphQLRecursivePick<FederationTypes['PaymentWorkflowExecution'], {"id":true}> );
  RefoldExecution:
    ( { __typename: 'RefoldExecution' }
    & GraphQLRecursivePick<FederationTypes['RefoldExecution'], {"id":true}> );
  ServerlessWorkflowExecution:
    ( { __typename: 'ServerlessWorkflowExecution' }
    & GraphQLRecursivePick<FederationTypes['ServerlessWorkflowExecution'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  CloudShellExecution: ResolverTypeWrapper<LoadedExecution<CloudShellExecutionRaw>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  DurableWorkflowExecution: ResolverTypeWrapper<LoadedExecution<DurableWorkflowExecutionRaw>>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Execution: ResolverTypeWrapper<LoadedExecution>;
  ExecutionConnection: ResolverTypeWrapper<SearchPage>;
  ExecutionEdge: ResolverTypeWrapper<SearchEdge>;
  ExecutionError: ResolverTypeWrapper<ExecutionError>;
  ExecutionFilter: ExecutionFilter;
  ExecutionPageInfo: ResolverTypeWrapper<SearchPage>;
  ExecutionProvider: ExecutionProvider;
  ExecutionSearchProvider: ResolverTypeWrapper<ProviderReport>;
  ExecutionState: ExecutionState;
  ExecutionStep: ResolverTypeWrapper<LoadedStep>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Link: ResolverTypeWrapper<LinkRaw>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  PaymentInitiator: ResolverTypeWrapper<PaymentInitiator>;
  PaymentSource: ResolverTypeWrapper<PaymentSource>;
  PaymentWorkflowEvent: ResolverTypeWrapper<PaymentWorkflowEventRaw>;
  PaymentWorkflowExecution: ResolverTypeWrapper<LoadedExecution<PaymentWorkflowExecutionRaw>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RefoldApplication: ResolverTypeWrapper<RefoldApplicationRaw>;
  RefoldEnvironment: RefoldEnvironment;
  RefoldExecution: ResolverTypeWrapper<LoadedExecution<RefoldExecutionRaw>>;
  RefoldWorkflow: ResolverTypeWrapper<RefoldWorkflowRaw>;
  ServerlessWorkflowExecution: ResolverTypeWrapper<LoadedExecution<ServerlessWorkflowExecutionRaw>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  CloudShellExecution: LoadedExecution<CloudShellExecutionRaw>;
  Boolean: Scalars['Boolean']['output'];
  Float: Scalars['Float']['output'];
  ID: Scalars['ID']['output'];
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  DurableWorkflowExecution: LoadedExecution<DurableWorkflowExecutionRaw>;
  Int: Scalars['Int']['output'];
  Execution: LoadedExecution;
  ExecutionConnection: SearchPage;
  ExecutionEdge: SearchEdge;
  ExecutionError: ExecutionError;
  ExecutionFilter: ExecutionFilter;
  ExecutionPageInfo: SearchPage;
  ExecutionSearchProvider: ProviderReport;
  ExecutionStep: LoadedStep;
  JSON: Scalars['JSON']['output'];
  Link: LinkRaw;
  Mutation: Record<PropertyKey, never>;
  PaymentInitiator: PaymentInitiator;
  PaymentSource: PaymentSource;
  PaymentWorkflowEvent: PaymentWorkflowEventRaw;
  PaymentWorkflowExecution: LoadedExecution<PaymentWorkflowExecutionRaw>;
  Query: Record<PropertyKey, never>;
  RefoldApplication: RefoldApplicationRaw;
  RefoldExecution: LoadedExecution<RefoldExecutionRaw>;
  RefoldWorkflow: RefoldWorkflowRaw;
  ServerlessWorkflowExecution: LoadedExecution<ServerlessWorkflowExecutionRaw>;
  Subscription: Record<PropertyKey, never>;
};

export type CloudShellExecutionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CloudShellExecution'] = ResolversParentTypes['CloudShellExecution'], FederationReferenceType extends FederationReferenceTypes['CloudShellExecution'] = FederationReferenceTypes['CloudShellExecution']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['CloudShellExecution']> | FederationReferenceType, FederationReferenceType, ContextType>;
  canRerun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  canStop?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  durationSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  endedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['ExecutionError']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isTerminal?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nativeId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  output?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['ExecutionProvider'], ParentType, ContextType>;
  providerStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  selfLink?: Resolver<ResolversTypes['Link'], ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['ExecutionState'], ParentType, ContextType>;
  steps?: Resolver<Maybe<Array<ResolversTypes['ExecutionStep']>>, ParentType, ContextType>;
  stopLink?: Resolver<Maybe<ResolversTypes['Link']>, ParentType, ContextType>;
  supportsCancellation?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DurableWorkflowExecutionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['DurableWorkflowExecution'] = ResolversParentTypes['DurableWorkflowExecution'], FederationReferenceType extends FederationReferenceTypes['DurableWorkflowExecution'] = FederationReferenceTypes['DurableWorkflowExecution']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['DurableWorkflowExecution']> | FederationReferenceType, FederationReferenceType, ContextType>;
  assignedToWorker?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  batchId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  canRerun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  canStop?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  cancelledAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  cancelledBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  concurrencyKey?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  deploymentId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  durationSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  endedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['ExecutionError']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isTerminal?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nativeId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  outputSchemaName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  parentExecution?: Resolver<Maybe<ResolversTypes['DurableWorkflowExecution']>, ParentType, ContextType>;
  payload?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['ExecutionProvider'], ParentType, ContextType>;
  providerStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  queueName?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  result?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  retryCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  rootExecution?: Resolver<Maybe<ResolversTypes['DurableWorkflowExecution']>, ParentType, ContextType>;
  runTimeoutSeconds?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  sessionId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['ExecutionState'], ParentType, ContextType>;
  stepKey?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  steps?: Resolver<Maybe<Array<ResolversTypes['ExecutionStep']>>, ParentType, ContextType>;
  userId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type ExecutionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Execution'] = ResolversParentTypes['Execution'], FederationReferenceType extends FederationReferenceTypes['Execution'] = FederationReferenceTypes['Execution']> = {
  __resolveType: TypeResolveFn<'CloudShellExecution' | 'DurableWorkflowExecution' | 'PaymentWorkflowExecution' | 'RefoldExecution' | 'ServerlessWorkflowExecution', ParentType, ContextType>;
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Execution']> | FederationReferenceType, FederationReferenceType, ContextType>;
  canRerun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  canStop?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  durationSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  endedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['ExecutionError']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isTerminal?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nativeId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['ExecutionProvider'], ParentType, ContextType>;
  providerStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['ExecutionState'], ParentType, ContextType>;
  steps?: Resolver<Maybe<Array<ResolversTypes['ExecutionStep']>>, ParentType, ContextType>;
};

export type ExecutionConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ExecutionConnection'] = ResolversParentTypes['ExecutionConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ExecutionEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Execution']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['ExecutionPageInfo'], ParentType, ContextType>;
  providers?: Resolver<Array<ResolversTypes['ExecutionSearchProvider']>, ParentType, ContextType>;
};

export type ExecutionEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ExecutionEdge'] = ResolversParentTypes['ExecutionEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Execution'], ParentType, ContextType>;
};

export type ExecutionErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ExecutionError'] = ResolversParentTypes['ExecutionError']> = {
  code?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ExecutionPageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ExecutionPageInfo'] = ResolversParentTypes['ExecutionPageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ExecutionSearchProviderResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ExecutionSearchProvider'] = ResolversParentTypes['ExecutionSearchProvider']> = {
  code?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['ExecutionProvider'], ParentType, ContextType>;
  searched?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type ExecutionStepResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ExecutionStep'] = ResolversParentTypes['ExecutionStep']> = {
  attempts?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  durationSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  endedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['ExecutionError']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  providerStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['ExecutionState'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type LinkResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Link'] = ResolversParentTypes['Link']> = {
  href?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  method?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  rerunExecution?: Resolver<Maybe<ResolversTypes['Execution']>, ParentType, ContextType, RequireFields<MutationRerunExecutionArgs, 'id'>>;
  stopExecution?: Resolver<Maybe<ResolversTypes['Execution']>, ParentType, ContextType, RequireFields<MutationStopExecutionArgs, 'force' | 'id'>>;
  stopExecutions?: Resolver<Array<Maybe<ResolversTypes['Execution']>>, ParentType, ContextType, RequireFields<MutationStopExecutionsArgs, 'force' | 'ids'>>;
};

export type PaymentInitiatorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PaymentInitiator'] = ResolversParentTypes['PaymentInitiator']> = {
  id?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  type?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type PaymentSourceResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PaymentSource'] = ResolversParentTypes['PaymentSource']> = {
  entityId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  entityType?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  system?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type PaymentWorkflowEventResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PaymentWorkflowEvent'] = ResolversParentTypes['PaymentWorkflowEvent']> = {
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  data?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  eventType?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  level?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  message?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  nodeId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  requestId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  runId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  title?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type PaymentWorkflowExecutionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PaymentWorkflowExecution'] = ResolversParentTypes['PaymentWorkflowExecution'], FederationReferenceType extends FederationReferenceTypes['PaymentWorkflowExecution'] = FederationReferenceTypes['PaymentWorkflowExecution']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['PaymentWorkflowExecution']> | FederationReferenceType, FederationReferenceType, ContextType>;
  canRerun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  canStop?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  checkoutSessionId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  clientSafeMetadata?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  durationSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  endedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['ExecutionError']>, ParentType, ContextType>;
  events?: Resolver<Array<ResolversTypes['PaymentWorkflowEvent']>, ParentType, ContextType>;
  externalRef?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  idempotencyKey?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  initiatedBy?: Resolver<ResolversTypes['PaymentInitiator'], ParentType, ContextType>;
  isTerminal?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nativeId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orderId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  organizationId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  paymentStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['ExecutionProvider'], ParentType, ContextType>;
  providerStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  requestPayload?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  responsePayload?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  runId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['PaymentSource'], ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['ExecutionState'], ParentType, ContextType>;
  statusReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  steps?: Resolver<Maybe<Array<ResolversTypes['ExecutionStep']>>, ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  execution?: Resolver<Maybe<ResolversTypes['Execution']>, ParentType, ContextType, RequireFields<QueryExecutionArgs, 'id'>>;
  executions?: Resolver<Array<Maybe<ResolversTypes['Execution']>>, ParentType, ContextType, RequireFields<QueryExecutionsArgs, 'ids'>>;
  searchExecutions?: Resolver<ResolversTypes['ExecutionConnection'], ParentType, ContextType, RequireFields<QuerySearchExecutionsArgs, 'first'>>;
};

export type RefoldApplicationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RefoldApplication'] = ResolversParentTypes['RefoldApplication']> = {
  icon?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type RefoldExecutionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RefoldExecution'] = ResolversParentTypes['RefoldExecution'], FederationReferenceType extends FederationReferenceTypes['RefoldExecution'] = FederationReferenceTypes['RefoldExecution']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['RefoldExecution']> | FederationReferenceType, FederationReferenceType, ContextType>;
  application?: Resolver<Maybe<ResolversTypes['RefoldApplication']>, ParentType, ContextType>;
  associatedEventId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  canRerun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  canStop?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  configId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  durationSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  endedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  environment?: Resolver<Maybe<ResolversTypes['RefoldEnvironment']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['ExecutionError']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isTerminal?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  linkedAccountId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  nativeId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['ExecutionProvider'], ParentType, ContextType>;
  providerStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['ExecutionState'], ParentType, ContextType>;
  steps?: Resolver<Maybe<Array<ResolversTypes['ExecutionStep']>>, ParentType, ContextType>;
  workflow?: Resolver<Maybe<ResolversTypes['RefoldWorkflow']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type RefoldWorkflowResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RefoldWorkflow'] = ResolversParentTypes['RefoldWorkflow']> = {
  icon?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ServerlessWorkflowExecutionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ServerlessWorkflowExecution'] = ResolversParentTypes['ServerlessWorkflowExecution'], FederationReferenceType extends FederationReferenceTypes['ServerlessWorkflowExecution'] = FederationReferenceTypes['ServerlessWorkflowExecution']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['ServerlessWorkflowExecution']> | FederationReferenceType, FederationReferenceType, ContextType>;
  canRerun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  canStop?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  durationSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  endedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['ExecutionError']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  input?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  isTerminal?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  nativeId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  provider?: Resolver<ResolversTypes['ExecutionProvider'], ParentType, ContextType>;
  providerStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  result?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  state?: Resolver<ResolversTypes['ExecutionState'], ParentType, ContextType>;
  steps?: Resolver<Maybe<Array<ResolversTypes['ExecutionStep']>>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  executionUpdated?: SubscriptionResolver<ResolversTypes['Execution'], "executionUpdated", ParentType, ContextType, RequireFields<SubscriptionExecutionUpdatedArgs, 'id'>>;
  executionsUpdated?: SubscriptionResolver<ResolversTypes['Execution'], "executionsUpdated", ParentType, ContextType, RequireFields<SubscriptionExecutionsUpdatedArgs, 'ids'>>;
};

export type Resolvers<ContextType = Context> = {
  CloudShellExecution?: CloudShellExecutionResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  DurableWorkflowExecution?: DurableWorkflowExecutionResolvers<ContextType>;
  Execution?: ExecutionResolvers<ContextType>;
  ExecutionConnection?: ExecutionConnectionResolvers<ContextType>;
  ExecutionEdge?: ExecutionEdgeResolvers<ContextType>;
  ExecutionError?: ExecutionErrorResolvers<ContextType>;
  ExecutionPageInfo?: ExecutionPageInfoResolvers<ContextType>;
  ExecutionSearchProvider?: ExecutionSearchProviderResolvers<ContextType>;
  ExecutionStep?: ExecutionStepResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Link?: LinkResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PaymentInitiator?: PaymentInitiatorResolvers<ContextType>;
  PaymentSource?: PaymentSourceResolvers<ContextType>;
  PaymentWorkflowEvent?: PaymentWorkflowEventResolvers<ContextType>;
  PaymentWorkflowExecution?: PaymentWorkflowExecutionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RefoldApplication?: RefoldApplicationResolvers<ContextType>;
  RefoldExecution?: RefoldExecutionResolvers<ContextType>;
  RefoldWorkflow?: RefoldWorkflowResolvers<ContextType>;
  ServerlessWorkflowExecution?: ServerlessWorkflowExecutionResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
};

