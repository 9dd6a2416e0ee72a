import type { z } from 'zod';
import type { CallTrace } from '../telemetry/tracing-hooks.js';
import type { Abort } from '../upstream/abort.js';
import type { Upstream } from '../upstream/http.js';

/** What a datasource needs to know of the GraphQL request it serves. */
export interface RequestScope {
  /** An incoming request header by lower-case name. */
  header(name: string): string | undefined;
  /** Aborted when the request that wants the call goes away or, for a fetcher, at its deadline. */
  abort: Abort;
  /** The GraphQL request's id, for logs. */
  requestId: string;
  /** With tracing on, the trace its provider calls are made in; undefined when not traced. */
  trace?: CallTrace;
}

/** Fetches one execution by its provider-native id; rejects with an `ApiError`. */
export type Fetcher<Raw> = (nativeId: string, scope: RequestScope) => Promise<Raw>;

/** Asks the provider to stop one execution; resolves once it accepted; rejects with an `ApiError`. */
export type Stopper = (nativeId: string, force: boolean, scope: RequestScope) => Promise<void>;

/** A provider's stop call (docs/stopping.md). */
export interface StopCall<Raw> {
  /** Default true: whether an execution that has not finished offers a stop, e.g. a stop link. */
  offered?(raw: Raw): boolean;
  /**
   * Builds the stopper over the same pool and credentials as the fetcher. Its URL comes from a
   * fixed template and the percent-encoded native id, never from the provider's answer.
   */
  connect(upstream: Upstream, credentials: Readonly<Record<string, string>>): Stopper;
}

/**
 * One call of a provider's list of executions (docs/search.md): where to start, how many, and
 * the filters the provider may take. The search applies every filter itself too, so a list call
 * passes on only those its provider takes, and only as they are.
 */
export interface ListQuery {
  /** The stream to read (`ListCall.streams`); `''` for a provider with one list. */
  stream: string;
  /** Where to start: an item's `position` or a page's `next`; undefined for the newest. */
  position: string | undefined;
  /** How many items the search wants; the call may ask for fewer (the provider's maximum). */
  limit: number;
  /** Wanted statuses, lower-case as the state table keys them; undefined: any. */
  statuses?: readonly string[];
  /** RFC 3339: `createdAt >= createdAfter`. */
  createdAfter?: string;
  /** RFC 3339: `createdAt < createdBefore`. */
  createdBefore?: string;
  /** The provider's own workflow id. */
  workflowId?: string;
}

/** One execution of a list page, newest first within its page as the provider sent it. */
export interface ListedItem {
  nativeId: string;
  /**
   * The item's JSON: the whole execution (`whole`, the fetcher's shape) or the provider's shorter
   * list item, which holds what its `ExecutionType.listFields` answer.
   */
  raw: unknown;
  whole: boolean;
  /** Where a list call starting here reads this item again (with the ones before it, maybe). */
  position: string;
}

/** A page of a provider's list: its items in the provider's order, and where the next starts. */
export interface ListPage {
  items: ListedItem[];
  /** Undefined at the end of the list. */
  next: string | undefined;
}

/** Lists the executions of one stream; rejects with an `ApiError`. */
export type Lister = (query: ListQuery, scope: RequestScope) => Promise<ListPage>;

/**
 * Finds the streams a search reads when a provider lists per workflow (Yandex): the workflows
 * of a filter or of a configured folder, at most `max`. Rejects with an `ApiError`:
 * `FILTER_REQUIRED` when it has nothing to list by.
 */
export type StreamFinder = (
  workflowId: string | undefined,
  max: number,
  scope: RequestScope,
) => Promise<readonly string[]>;

/** A provider's list call (docs/search.md): it lists newest first by creation time. */
export interface ListCall {
  /** Builds the lister over the same pool and credentials as the fetcher. */
  connect(upstream: Upstream, credentials: Readonly<Record<string, string>>): Lister;
  /**
   * Default one stream, `''`: the provider lists all its executions in one list. Else the
   * streams of a search, each read on its own and merged.
   */
  streams?(upstream: Upstream, credentials: Readonly<Record<string, string>>): StreamFinder;
}

/**
 * Fetches the steps of one execution (docs/steps.md), each as the provider's JSON (`StepsCall.step`),
 * or null when the provider keeps none for it; rejects with an `ApiError`. `raw` may be the
 * execution's list item (a search's), so a fetcher reads only what the list item holds too. `load`
 * reads another execution of the same provider (the durable engine's root of a tree).
 */
export interface StepsFetcher<Raw> {
  // A method, not a function property: a provider's `Raw` stays assignable to `unknown`.
  steps(
    execution: { nativeId: string; raw: Raw },
    scope: RequestScope,
    load: (nativeId: string) => Promise<Raw>,
  ): Promise<readonly unknown[] | null>;
}

/** A provider's steps of an execution (docs/steps.md): held in its answer, or one call more. */
export interface StepsCall<Raw> {
  /** The zod shape of one step: checks what a shared cache hands back. */
  step: z.ZodType<unknown>;
  /** The steps an execution's own answer holds (Refold's `nodes`), with no call; null: none. */
  held?(raw: Raw): readonly unknown[] | null;
  /** The call that fetches them, over the same pool and credentials as the fetcher. */
  connect?(upstream: Upstream, credentials: Readonly<Record<string, string>>): StepsFetcher<Raw>;
}

/**
 * Starts an execution again from the original's input (docs/rerun.md) and resolves with the new
 * execution's native id; rejects with an `ApiError`. It is sent once: it may have acted.
 */
export interface Starter<Raw> {
  start(execution: { nativeId: string; raw: Raw }, scope: RequestScope): Promise<string>;
}

/** A provider's way to run a finished execution again (docs/rerun.md). */
export interface RerunCall<Raw> {
  /** Default true: whether `raw` holds what a start needs (its workflow, its input). */
  offered?(raw: Raw): boolean;
  connect(upstream: Upstream, credentials: Readonly<Record<string, string>>): Starter<Raw>;
}

/** What one webhook POST tells (docs/live-status.md). */
export type WebhookNotice =
  /** Not signed by the provider (401, nothing changes). */
  | { kind: 'refused'; reason: string }
  /** Signed, but of no execution this service reads (200, nothing changes). */
  | { kind: 'ignored'; reason: string }
  /** A change of execution `nativeId`, to fetch with the request headers `header` answers. */
  | { kind: 'execution'; nativeId: string; header: (name: string) => string | undefined };

/** A provider that pushes changes to a URL of this service (docs/live-status.md). */
export interface WebhookCall {
  /** The path its POSTs are accepted at (configured, e.g. `<P>_WEBHOOK_PATH`), else none. */
  path(credentials: Readonly<Record<string, string>>): string | undefined;
  /** Verifies and reads one POST's raw body and headers (names lower-case). */
  read(
    body: Buffer,
    header: (name: string) => string | undefined,
    credentials: Readonly<Record<string, string>>,
  ): WebhookNotice;
}

/** What one frame of a provider's event stream tells (docs/live-status.md). */
export type StreamNotice =
  /** Something changed in the tree: its watched executions are fetched; `position` resumes after it. */
  | { kind: 'change'; position: string }
  /** The stream is alive and nothing changed (a keepalive, or a frame of no meaning here). */
  | { kind: 'alive' }
  /** The provider says the stream fails (an error frame): it ends, and is opened again. */
  | { kind: 'failed'; reason: string };

/**
 * One open event stream: the notices of each chunk as it comes, together (a burst of frames in
 * one chunk makes one fetch); `close()` ends it (the batches then end).
 */
export interface EventStream {
  batches: AsyncIterable<readonly StreamNotice[]>;
  close(): void;
}

/** Opens the event stream of one tree of executions, after `position` when given. */
export interface EventStreamOpener<Raw> {
  open(
    tree: { root: string; raw: Raw },
    position: string | undefined,
    scope: RequestScope,
  ): Promise<EventStream>;
}

/**
 * A provider that streams the events of a tree of executions (a root and its children), one
 * stream for the whole tree (docs/live-status.md): a watched execution follows its tree's stream
 * and is fetched when it tells of a change.
 */
export interface EventsCall<Raw> {
  /** Default on: whether the configured credentials turn the stream on (e.g. `<P>_EVENTS`). */
  enabled?(credentials: Readonly<Record<string, string>>): boolean;
  /** The native id of the root of the tree whose stream tells of `raw`'s changes. */
  rootOf(nativeId: string, raw: Raw): string;
  /** The stream call, over the same origin and credentials as the fetcher. */
  connect(
    upstream: Upstream,
    credentials: Readonly<Record<string, string>>,
  ): EventStreamOpener<Raw>;
}

export interface CredentialSetting {
  /** Key in `credentials`, e.g. `token`. */
  name: string;
  /** Environment variable suffix after `<P>_`, e.g. `TOKEN` for `<P>_TOKEN`. */
  env: string;
  /** Default true: the value is redacted from logs and never echoed. */
  secret?: boolean;
}

/** The path and headers of the GET for one execution, as a plain HTTP client would send it. */
export interface ExecutionRequest {
  /** Below the base URL, built from a fixed template and the percent-encoded native id. */
  path: string;
  headers: Record<string, string>;
}

/**
 * One upstream provider's REST API: how to configure, authenticate and call it, and the shape of
 * what it answers. Nothing GraphQL: the provider's GraphQL type lives in its resolver file.
 */
export interface Datasource<Raw> {
  /** Global id prefix: `<key>:<native id>`. */
  key: string;
  /** The provider's name in errors, logs and metrics, and its `ExecutionProvider` value. */
  name: string;
  /** Environment variable prefix `<P>`, as in `<P>_URL`. */
  env: string;
  credentials: readonly CredentialSetting[];
  /** Default none: headers of the GraphQL request it reads, with what a caller sends in them. */
  requestHeaders?: Readonly<Record<string, string>>;
  /** The zod shape of one execution as the fetcher returns it: checks what a shared cache hands back. */
  shape: z.ZodType<Raw>;
  /**
   * Default none: the part of a request its answers depend on beyond the configured credentials
   * (e.g. the customer a request is for), so that cached answers are kept apart by it. Throws
   * when the request cannot be answered at all.
   */
  cacheScope?(header: (name: string) => string | undefined): string;
  /** A problem with the configured credentials, in one line, or undefined when usable. */
  checkCredentials(credentials: Readonly<Record<string, string>>): string | undefined;
  /**
   * The GET for one execution with a bearer-style credential already in hand (a token, an API
   * key) and the request's headers: the fetcher's own call, and the benchmark's plain client's.
   */
  executionRequest(
    nativeId: string,
    credentials: Readonly<Record<string, string>>,
    header: (name: string) => string | undefined,
  ): ExecutionRequest;
  /** Builds the fetcher over a ready upstream pool. */
  connect(upstream: Upstream, credentials: Readonly<Record<string, string>>): Fetcher<Raw>;
  /** Default none: the provider keeps no steps, and `steps` is null. */
  steps?: StepsCall<Raw>;
  /** Default none: the provider cannot start an execution again (`RERUN_NOT_SUPPORTED`). */
  rerun?: RerunCall<Raw>;
  /** Default none: the provider pushes nothing, and its executions are polled. */
  webhook?: WebhookCall;
  /** Default none: the provider streams no events, and its executions are polled. */
  events?: EventsCall<Raw>;
  /** Default none: the provider cannot list its executions, and search says `SEARCH_NOT_SUPPORTED`. */
  list?: ListCall;
  /** Default none: the provider has no stop call, and stopping is `STOP_NOT_SUPPORTED`. */
  stop?: StopCall<Raw>;
}

export function defineDatasource<Raw>(datasource: Datasource<Raw>): Datasource<Raw> {
  return datasource;
}

/** Checks that a provider has a single bearer-style credential. */
export function requireCredential(name: string, env: string) {
  return (credentials: Readonly<Record<string, string>>): string | undefined =>
    credentials[name] ? undefined : `${env} is not set`;
}
