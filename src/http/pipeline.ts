import type { IncomingHttpHeaders } from 'node:http';
import {
  ApolloServer,
  HeaderMap,
  type ApolloServerPlugin,
  type HTTPGraphQLResponse,
} from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLError, GraphQLFormattedError, GraphQLSchema, ValidationRule } from 'graphql';
import { randomUUID } from 'node:crypto';
import type { Config } from '../config.js';
import type { Context } from '../graphql/context.js';
import { errorFormatter, type FormatError } from '../graphql/format-errors.js';
import {
  fragmentsOf,
  idLimitError,
  queryShapeLimits,
  type IdLimitInput,
} from '../graphql/limits.js';
import { ExecutionLoaders } from '../graphql/loaders.js';
import { KnownOperationTypes } from '../graphql/rules.js';
import { buildSchema } from '../graphql/schema.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { recordRequest, type RequestRecord } from '../telemetry/request-record.js';
import type { Abort } from '../upstream/abort.js';
import type { ConnectedProviders } from '../upstream/connect.js';
import type { ExecutionCache } from '../cache/execution-cache.js';
import type { Watcher } from '../watch/watcher.js';
import { callbackSubscriptions, isCallbackRequest } from './callback.js';
import { PreparedDocuments } from './documents.js';
import { FastRoute } from './fast-route.js';

/** A GraphQL request over HTTP, read and authorized (the pipeline's first two steps). */
export interface GraphQLHttpRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** The URL's query string, `?…` or empty. */
  search: string;
  /** The parsed JSON body of a POST, else undefined. */
  body: unknown;
  requestId: string;
  /** Aborted when the client goes away. */
  abort: Abort;
}

/** What the pipeline answers: a complete JSON text, or Apollo's chunks (incremental delivery). */
export interface GraphQLHttpResponse {
  status: number;
  headers: ReadonlyMap<string, string>;
  body: string | AsyncIterable<string>;
}

/** Which route answered: `fast` skips Apollo Server's per-request machinery, never a step. */
export type Route = 'fast' | 'apollo' | 'websocket' | 'callback';

export interface PipelineOptions {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  providers: ConnectedProviders;
  /** Default none: the cache of finished executions; absent when `CACHE_TTL_SECONDS=0`. */
  cache?: ExecutionCache;
  /** The process's live-status pollers. */
  watcher: Watcher;
  /** Default true: common requests take the fast route; false sends all through Apollo Server. */
  fastRoute?: boolean;
}

/**
 * The steps of every GraphQL request, in order: read → authorize (both in `server.ts`) →
 * prepare (parse with the token limit, validate with the shape limits; by query text) → limits
 * (the id count, once variables are known) → execute → format errors → response headers →
 * record (log line and metrics). Two routes run them: Apollo Server's, through the plugins and
 * options this class gives it, and the fast route (`FastRoute`), which calls the same methods and
 * skips only Apollo's per-request machinery. Apollo gets no plugin that is not one of these
 * steps: `start` refuses one, so a step cannot exist on one route alone. Subscriptions over
 * Apollo's HTTP callback protocol (`callback.ts`) are a step of Apollo's route only because
 * the fast route answers queries alone: it leaves every subscription and every request with
 * `extensions.subscription` to Apollo.
 */
export class RequestPipeline {
  /** Validation rules beyond graphql-js's own: the query shape limits, known root types (prepare). */
  readonly validationRules: readonly ValidationRule[];
  /** graphql-js's parser refuses a document over `MAX_TOKENS` (prepare). */
  readonly parseOptions: { maxTokens: number };
  /** How errors reach clients (format). */
  readonly formatError: FormatError;
  /** The executable schema outside Apollo Server: the fast route's and the WebSocket's. */
  readonly schema: GraphQLSchema;
  private readonly apollo: ApolloServer<Context>;
  private readonly fastRoute: FastRoute | undefined;
  private readonly fastRequests;
  /** The plugins this pipeline gives Apollo Server: its steps and the switched-off extras. */
  private readonly steps: ReadonlySet<unknown>;

  private constructor(private readonly options: PipelineOptions) {
    const { config, logger, metrics } = options;
    const shapeLimits = queryShapeLimits(config.queryLimits);
    this.validationRules = [...shapeLimits.validationRules, KnownOperationTypes];
    this.parseOptions = { maxTokens: config.queryLimits.tokens };
    this.formatError = errorFormatter(logger);
    this.fastRequests = metrics.fastPathRequests.series({});
    if (shapeLimits.plugins && shapeLimits.plugins.length > 0) {
      throw new Error(
        'graphql-armor returned Apollo plugins: a protection that is not a validation rule is on, and the fast route would not run it. Turn it off in src/graphql/limits.ts or make it a pipeline step.',
      );
    }
    const plugins = apolloSteps(this, logger);
    this.steps = new Set(plugins);
    this.apollo = new ApolloServer<Context>({
      schema: buildSchema(config.registry, config.mutations.enabled),
      introspection: config.introspection,
      includeStacktraceInErrorResponses: false,
      allowBatchedHttpRequests: false,
      // main.ts owns SIGTERM/SIGINT: Apollo's own handlers (on unless NODE_ENV=test) would stop
      // it a second time and re-raise the signal, and shutdown then never finished.
      stopOnTerminationSignals: false,
      validationRules: [...this.validationRules],
      parseOptions: this.parseOptions,
      plugins,
      logger,
      formatError: this.formatError,
    });
    // A schema of its own for the fast route and WebSockets: Apollo Server wraps every resolver
    // of the schema it is given.
    const schema = buildSchema(config.registry, config.mutations.enabled);
    this.schema = schema;
    if (options.fastRoute === false) return;
    this.fastRoute = new FastRoute(
      this,
      schema,
      new PreparedDocuments(schema, {
        validationRules: this.validationRules,
        introspection: config.introspection,
        parseOptions: this.parseOptions,
      }),
    );
  }

  /** Builds both routes and starts Apollo Server; refuses a plugin the fast route would not honour. */
  static async start(options: PipelineOptions): Promise<RequestPipeline> {
    const pipeline = new RequestPipeline(options);
    await pipeline.apollo.start();
    try {
      assertOnlySteps(pipeline.apollo, pipeline.steps);
    } catch (error) {
      await pipeline.apollo.stop();
      throw error;
    }
    return pipeline;
  }

  /** Answers a read and authorized GraphQL request: the fast route when it can, else Apollo's. */
  async respond(request: GraphQLHttpRequest): Promise<GraphQLHttpResponse> {
    const fast = await this.fastRoute?.respond(request);
    if (fast) return fast;
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      const joined = headerValue(value);
      if (joined !== undefined) headers.set(name, joined);
    }
    const response = await this.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: request.method,
        headers,
        search: request.search,
        body: request.body,
      },
      context: async () => this.context(request),
    });
    return apolloResponse(response);
  }

  /**
   * The request's context: its id, its headers and a fresh set of loaders (execute). `header`
   * defaults to the request's own headers (a WebSocket reads `connection_init` first).
   */
  context(
    request: GraphQLHttpRequest,
    header = (name: string) => headerValue(request.headers[name.toLowerCase()]),
  ): Context {
    const { metrics, providers } = this.options;
    return {
      requestId: request.requestId,
      header,
      watcher: this.options.watcher,
      executions: new ExecutionLoaders(
        providers,
        { header, requestId: request.requestId, abort: request.abort },
        {
          batch: (provider, size) => metrics.batch(provider, size),
          stop: (provider, outcome) => metrics.executionStops.inc({ provider, outcome }),
        },
        this.options.cache,
      ),
    };
  }

  /** `BAD_USER_INPUT` when an operation asks for more ids than allowed, else undefined (limits). */
  idLimit(input: IdLimitInput): GraphQLError | undefined {
    return idLimitError(input, this.options.config.maxIdsPerRequest);
  }

  /**
   * Headers the answer carries beyond its content type (headers): `cache-control` as Apollo's
   * cache-control semantics compute it (SPEC section 7). `max-age` is the least over the
   * executions the request loaded (finished: the cache TTL; anything else: 0), `private` when
   * one depends on who asks; `no-store` for a max-age of 0, an answer with errors, an answer that
   * loaded no execution, and anything but a query.
   */
  responseHeaders(
    context: Context,
    errors: readonly GraphQLFormattedError[],
    operation: string | undefined,
  ): Array<[string, string]> {
    // Apollo may answer a request it refused before its context was complete.
    const policy = context.executions?.cachePolicy;
    if (errors.length > 0 || operation !== 'query' || !policy?.loaded || policy.maxAge <= 0) {
      return [['cache-control', 'no-store']];
    }
    const scope = policy.private ? 'private' : 'public';
    return [['cache-control', `max-age=${policy.maxAge}, ${scope}`]];
  }

  /** The request's log line and metrics (record). */
  record(record: RequestRecord, route: Route): void {
    if (route === 'fast') this.fastRequests.inc();
    recordRequest(this.options.metrics, this.options.logger, record);
  }

  async stop(): Promise<void> {
    await this.apollo.stop();
  }
}

/**
 * The pipeline's steps as Apollo Server plugins, and the plugins that switch Apollo's own extras
 * off (the fast route has neither a landing page nor cache-control hints to honour).
 */
function apolloSteps(pipeline: RequestPipeline, logger: Logger): ApolloServerPlugin<Context>[] {
  const limits: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (!operation) return;
          const error = pipeline.idLimit({
            schema,
            operation,
            fragments: fragmentsOf(document),
            variables: request.variables ?? {},
          });
          if (error) throw error;
        },
      };
    },
  };
  const headersAndRecord: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse(requestContext) {
          const { contextValue, operationName, response, errors } = requestContext;
          const body = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const formatted = body?.errors ?? errors ?? [];
          const headers = pipeline.responseHeaders(
            contextValue,
            formatted,
            requestContext.operation?.operation,
          );
          for (const [name, value] of headers) {
            response.http.headers.set(name, value);
          }
          // A callback subscription is recorded when it ends (the callback step).
          if (isCallbackRequest(requestContext.request)) return;
          pipeline.record(
            {
              requestId: contextValue.requestId,
              operationName,
              seconds: (performance.now() - started) / 1000,
              upstreamCalls: contextValue.executions?.fetches ?? 0,
              cachedExecutions: contextValue.executions?.cached ?? 0,
              errors: formatted,
            },
            'apollo',
          );
        },
      };
    },
  };
  return [
    limits,
    // Subscriptions over Apollo's HTTP callback protocol; never the fast route's (no query).
    callbackSubscriptions(pipeline, logger),
    headersAndRecord,
    ApolloServerPluginLandingPageDisabled(),
    // No @cacheControl here; its per-field hook would wrap every resolver for nothing.
    ApolloServerPluginCacheControlDisabled(),
  ];
}

/** Plugins Apollo Server adds itself that the fast route honours: it leaves ftv1 requests to Apollo. */
const HONOURED_INTERNAL_PLUGINS: ReadonlySet<string> = new Set(['InlineTrace']);

/**
 * The allow-list, read from the plugins Apollo Server really runs once started (whatever added
 * them: the constructor, `addPlugin`, or Apollo itself, e.g. usage reporting with `APOLLO_KEY`):
 * the pipeline's own plugins and the internal ones the fast route honours. Anything else would
 * act on Apollo's route alone.
 */
function assertOnlySteps(apollo: ApolloServer<Context>, steps: ReadonlySet<unknown>): void {
  // Apollo Server keeps them in a private field; no public API lists them.
  const running = (apollo as unknown as { internals: { plugins: unknown[] } }).internals.plugins;
  const foreign = running.filter((plugin) => !steps.has(plugin) && !honouredInternal(plugin));
  if (foreign.length === 0) return;
  const names = foreign.map((plugin) => internalId(plugin) ?? 'a plugin').join(', ');
  throw new Error(
    `Apollo Server runs ${names} that the fast route does not honour: make it a step of the request pipeline (src/http/pipeline.ts) that both routes call, or leave it off.`,
  );
}

function internalId(plugin: unknown): string | undefined {
  return typeof plugin === 'object' && plugin !== null && '__internal_plugin_id__' in plugin
    ? String(plugin.__internal_plugin_id__)
    : undefined;
}

function honouredInternal(plugin: unknown): boolean {
  const id = internalId(plugin);
  return id !== undefined && HONOURED_INTERNAL_PLUGINS.has(id);
}

function apolloResponse(response: HTTPGraphQLResponse): GraphQLHttpResponse {
  const body = response.body;
  return {
    status: response.status ?? 200,
    headers: response.headers,
    body: body.kind === 'complete' ? body.string : body.asyncIterator,
  };
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The caller's `x-request-id` when it is well formed, else a new UUID. */
export function requestIdOf(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/** A header as one string, several values joined as Apollo Server's `HeaderMap` joins them. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
