import {
  execute,
  getVariableValues,
  GraphQLError,
  Kind,
  subscribe,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import type { Config } from '../config.js';
import type { RequestScope } from '../datasources/datasource.js';
import type { Executions } from '../executions/executions.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { recordRequest } from '../telemetry/request-record.js';
import {
  tracing,
  type GraphQLStep,
  type RequestTrace,
  type StepSpan,
} from '../telemetry/tracing-hooks.js';
import type { GraphQLProvider } from '../resolvers/execution-type.js';
import type { Context } from './context.js';
import {
  DocumentCache,
  maskedSource,
  type DocumentStore,
  type PreparedDocument,
  type PreparedOperation,
} from './documents.js';
import { errorFormatter, formatErrors, type FormatError } from './format-errors.js';
import { idLimitError, queryShapeLimits, type IdLimitInput } from './limits.js';
import { KnownOperationTypes, NoIntrospection } from './rules.js';
import { buildSchema } from './schema.js';

/** Which way in a request came: each adapts its messages to the runner's steps. */
export type Route = 'fast' | 'apollo' | 'websocket' | 'callback';

export interface RunnerOptions {
  registry: readonly GraphQLProvider[];
  config: Config;
  logger: Logger;
  metrics: Metrics;
  executions: Executions;
}

/** How one operation ended, for its record. */
export interface Outcome {
  operationName: string | null | undefined;
  /** When it began, by `performance.now()`. */
  started: number;
  errors: readonly GraphQLFormattedError[];
}

/**
 * The steps of every GraphQL operation, whichever way it came in: prepare (parse with the token
 * limit, validate with one rule list, through one document cache) → limits (the id count, once
 * variables are known) → execute or subscribe → format errors → record (log line, metrics,
 * trace). The HTTP routes, the WebSocket and Apollo's callback protocol only translate their
 * messages to these steps (`src/http/`), so a rule added here holds on every one of them.
 */
export class OperationRunner {
  /** The executable schema of the fast route and the WebSocket (Apollo Server gets its own). */
  readonly schema: GraphQLSchema;
  /** Validation rules beyond graphql-js's own: shape limits, known operation types, introspection. */
  readonly validationRules: readonly ValidationRule[];
  /** graphql-js's parser refuses a document over `MAX_TOKENS`. */
  readonly parseOptions: { maxTokens: number };
  /** How errors reach clients: the one formatter of every route. */
  readonly formatError: FormatError;
  private readonly documents: DocumentCache;
  private readonly fastRequests;
  /** The request headers an answer may depend on, for `Vary`. */
  private readonly vary: string;

  constructor(private readonly options: RunnerOptions) {
    const { config, logger, metrics } = options;
    const shapeLimits = queryShapeLimits(config.queryLimits);
    if (shapeLimits.plugins && shapeLimits.plugins.length > 0) {
      throw new Error(
        'graphql-armor returned Apollo plugins: a protection that is not a validation rule is on, and the other routes would not run it. Turn it off in src/graphql/limits.ts or make it a validation rule.',
      );
    }
    this.validationRules = [
      ...shapeLimits.validationRules,
      KnownOperationTypes,
      ...(config.introspection ? [] : [NoIntrospection]),
    ];
    this.parseOptions = { maxTokens: config.queryLimits.tokens };
    this.formatError = errorFormatter(logger);
    this.schema = this.newSchema();
    this.documents = new DocumentCache(this.schema, {
      validationRules: this.validationRules,
      parseOptions: this.parseOptions,
      maxBytes: config.transport.documentCacheMb * 1024 * 1024,
    });
    this.fastRequests = metrics.fastPathRequests.series({});
    this.vary = [
      ...(config.routerSecret ? ['router-authorization'] : []),
      ...new Set(
        options.registry.flatMap(({ datasource }) => Object.keys(datasource.requestHeaders ?? {})),
      ),
    ].join(', ');
  }

  /** The configuration it was built with. */
  get config(): Config {
    return this.options.config;
  }

  /**
   * Another executable schema of the same registry, for Apollo Server: it wraps every resolver
   * of the schema it is given.
   */
  newSchema(): GraphQLSchema {
    const { registry, config } = this.options;
    return buildSchema(registry, config.mutations.enabled);
  }

  /** Where Apollo Server keeps its validated documents: inside the one cache's bound. */
  get apolloDocumentStore(): DocumentStore {
    return this.documents.apolloStore();
  }

  /**
   * Prepare: `query` parsed and validated (once per text), or the errors that refuse it. With
   * tracing on, parsing and validating have their spans in `trace`, when they run.
   */
  prepare(query: string, trace?: RequestTrace): PreparedDocument {
    return this.documents.prepare(query, trace && ((step) => traceStep(trace, step)));
  }

  /** The operation `operationName` picks in a prepared document, if any. */
  operation(
    prepared: PreparedDocument,
    operationName: string | null | undefined,
  ): PreparedOperation | undefined {
    return DocumentCache.operation(prepared, operationName);
  }

  /** Limits: `BAD_USER_INPUT` when an operation asks for more ids than allowed, else undefined. */
  idLimit(input: IdLimitInput): GraphQLError | undefined {
    return idLimitError(input, this.options.config.maxIdsPerRequest);
  }

  /**
   * graphql-js's words when `operationName` picks no operation of a document, with the code and
   * status Apollo Server's route answers them with (`OPERATION_RESOLUTION_FAILURE`, 400).
   */
  unresolved(operationName: string | null | undefined): GraphQLError {
    return new GraphQLError(
      operationName != null
        ? `Unknown operation named "${operationName}".`
        : 'Must provide operation name if query contains multiple operations.',
      { extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } } },
    );
  }

  /**
   * Variables that do not coerce, refused before execution as Apollo Server's route refuses them
   * (400): graphql-js's errors (at most 50, as when it executes), those about one variable
   * `BAD_USER_INPUT` (Apollo's `UserInputError`). Undefined when they coerce.
   */
  variableErrors(
    operation: PreparedOperation,
    variables: Readonly<Record<string, unknown>> | null | undefined,
  ): GraphQLError[] | undefined {
    const { errors } = getVariableValues(
      this.schema,
      operation.operation.variableDefinitions ?? [],
      variables ?? {},
      { maxErrors: 50 },
    );
    return errors?.map((error) =>
      error.nodes?.length === 1 && error.nodes[0]!.kind === Kind.VARIABLE_DEFINITION
        ? new GraphQLError(error.message, {
            nodes: error.nodes,
            originalError: error.originalError ?? error,
            extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
          })
        : error,
    );
  }

  /** Limits, for a prepared operation and its variables. */
  limits(
    operation: PreparedOperation,
    variables: Readonly<Record<string, unknown>> | null | undefined,
  ): GraphQLError | undefined {
    // Only an operation with a list of ids can be over the id limit.
    if (!operation.asksForIdLists) return undefined;
    return this.idLimit({
      schema: this.schema,
      operation: operation.operation,
      fragments: operation.fragments,
      variables: variables ?? {},
    });
  }

  /**
   * The request's context (execute): its id, the headers it is answered for, and a fresh set
   * of loaders over the process's executions. With tracing on, `trace` is the request's or
   * operation's (an HTTP request's, or the WebSocket operation's the transport started): the
   * steps and provider calls have their spans there.
   */
  context(scope: RequestScope, trace?: RequestTrace): Context {
    const { executions } = this.options;
    const context: Context = {
      requestId: scope.requestId,
      header: scope.header,
      watcher: executions.watcher,
      search: executions.search,
      reported: [],
      executions: executions.forRequest(
        trace ? { ...scope, trace: { request: trace, cacheMissed: false } } : scope,
      ),
    };
    if (trace) context.trace = trace;
    return context;
  }

  /** The arguments graphql-js executes or subscribes a prepared operation with. */
  executionArgs(
    operation: PreparedOperation,
    variables: Readonly<Record<string, unknown>> | null | undefined,
    context: Context,
  ): ExecutionArgs {
    return {
      schema: this.schema,
      document: operation.document,
      operationName: operation.operation.name?.value,
      variableValues: variables ?? undefined,
      contextValue: context,
    };
  }

  /** Execute: a query or mutation, with the errors its resolvers reported besides their answers. */
  execute(args: ExecutionArgs): Promise<ExecutionResult> | ExecutionResult {
    const context = args.contextValue as Context;
    const span = stepSpan(args, 'execute');
    let result: Promise<ExecutionResult> | ExecutionResult;
    try {
      result = execute(args);
    } catch (error) {
      span?.end(true);
      throw error;
    }
    if (!('then' in result)) {
      span?.end();
      return withReported(result, context);
    }
    return result.then(
      (settled) => {
        span?.end();
        return withReported(settled, context);
      },
      (error: unknown) => {
        span?.end(true);
        throw error;
      },
    );
  }

  /** Subscribe: the event stream of a subscription, or the result that refuses it. */
  subscribe(args: ExecutionArgs): ReturnType<typeof subscribe> {
    const span = stepSpan(args, 'subscribe');
    if (!span) return subscribe(args);
    return subscribe(args).then(
      (result) => {
        span.end(!(Symbol.asyncIterator in result));
        return result;
      },
      (error: unknown) => {
        span.end(true);
        throw error;
      },
    );
  }

  /** Format: errors as clients see them, and the HTTP status one of them asks for. */
  format(errors: readonly GraphQLError[]): {
    errors: GraphQLFormattedError[];
    status: number | undefined;
  } {
    return formatErrors(errors, this.formatError);
  }

  /**
   * The headers an HTTP answer carries for caches (docs/caching.md). `cache-control` as Apollo's
   * cache-control semantics compute it: `max-age` is the least over the executions the request
   * loaded (finished: the cache TTL; anything else: 0), `private` when access depends on a
   * request header (the router secret is set, or an execution depends on who asks, a customer);
   * `no-store` for a max-age of 0, an answer with errors, an answer that loaded no execution,
   * and anything but a query. `vary` names the request headers an answer may depend on.
   */
  cacheHeaders(
    context: Context,
    errors: readonly GraphQLFormattedError[],
    operationType: string | undefined,
  ): Array<[string, string]> {
    const vary: Array<[string, string]> = this.vary ? [['vary', this.vary]] : [];
    // Apollo may answer a request it refused before its context was complete.
    const policy = context.executions?.cachePolicy;
    if (errors.length > 0 || operationType !== 'query' || !policy?.loaded || policy.maxAge <= 0) {
      return [['cache-control', 'no-store'], ...vary];
    }
    const scope = policy.private || this.options.config.routerSecret ? 'private' : 'public';
    return [['cache-control', `max-age=${policy.maxAge}, ${scope}`], ...vary];
  }

  /** Record: the operation's one log line and its metrics (and its span's, with tracing on). */
  record(context: Context, outcome: Outcome, route: Route): void {
    if (route === 'fast') this.fastRequests.inc();
    const { metrics, logger } = this.options;
    const { trace } = context;
    recordRequest(
      metrics,
      logger,
      {
        requestId: context.requestId,
        operationName: outcome.operationName,
        seconds: (performance.now() - outcome.started) / 1000,
        upstreamCalls: context.executions?.fetches ?? 0,
        cachedExecutions: context.executions?.cached ?? 0,
        errors: outcome.errors,
      },
      trace,
    );
    if (!tracing || !trace) return;
    // A WebSocket operation or a callback subscription ends here, maybe long after the request
    // that started it: its span ends with its record. An HTTP request's ends with its answer.
    tracing.end(trace);
  }
}

/** With tracing on, the span of graphql-js's `step` of `args`'s operation in its request's trace. */
function stepSpan(args: ExecutionArgs, step: 'execute' | 'subscribe'): StepSpan | undefined {
  return traceStep((args.contextValue as Context).trace, step, args.document, args.operationName);
}

/**
 * With tracing on and a `trace`, the span of one of graphql-js's steps there; execute and
 * subscribe are named and described after the operation `operationName` picks in `document`.
 * For the routes that run the steps themselves (Apollo Server's plugins).
 */
export function traceStep(
  trace: RequestTrace | undefined,
  step: GraphQLStep,
  document?: DocumentNode,
  operationName?: string | null,
): StepSpan | undefined {
  if (!tracing || !trace) return undefined;
  if (!document) return tracing.step(trace, step);
  return tracing.step(trace, step, () => {
    const operation = operationOf(document, operationName);
    return {
      type: operation?.operation ?? step,
      name: operation?.name?.value,
      source: maskedSource(document),
    };
  });
}

/** The operation `operationName` picks in `document` (the only one when unnamed). */
function operationOf(
  document: DocumentNode,
  operationName: string | null | undefined,
): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION,
  );
  if (operationName == null) return operations.length === 1 ? operations[0] : undefined;
  return operations.find((operation) => operation.name?.value === operationName);
}

/** `result` with the errors `context`'s resolvers reported besides their answers. */
function withReported(result: ExecutionResult, context: Context): ExecutionResult {
  if (context.reported.length === 0) return result;
  return { ...result, errors: [...(result.errors ?? []), ...context.reported] };
}
