import {
  ApolloServer,
  HeaderMap,
  type ApolloServerPlugin,
  type HTTPGraphQLResponse,
} from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import type { Context } from '../graphql/context.js';
import { fragmentsOf } from '../graphql/limits.js';
import { traceStep, type OperationRunner } from '../graphql/runner.js';
import type { Logger } from '../telemetry/logger.js';
import { callbackSubscriptions, isCallbackRequest } from './callback.js';
import {
  headerReader,
  headerValue,
  type GraphQLHttpRequest,
  type GraphQLHttpResponse,
} from './request.js';

/**
 * Apollo Server's route: every HTTP request the fast route leaves (GET, errors, mutations,
 * `@defer`, federated traces, Apollo's callback protocol). Apollo Server parses, validates and
 * executes; the runner's steps are its plugins and options: the same validation rules and
 * document cache, the id limit, the formatter, `cache-control` and the record.
 *
 * Apollo Server adds plugins of its own unless it is given them (usage reporting with
 * `APOLLO_KEY`, schema reporting, inline traces, cache control, the landing page). Each is given
 * here, on or explicitly off, so the plugins it runs are exactly this list: its documented rule,
 * and no reading of its private fields.
 */
export class ApolloRoute {
  private readonly apollo: ApolloServer<Context>;

  private constructor(
    private readonly runner: OperationRunner,
    logger: Logger,
  ) {
    this.apollo = new ApolloServer<Context>({
      schema: runner.newSchema(),
      // The runner's rules refuse introspection when INTROSPECTION=false, on every route.
      introspection: true,
      includeStacktraceInErrorResponses: false,
      allowBatchedHttpRequests: false,
      // main.ts owns SIGTERM/SIGINT: Apollo's own handlers (on unless NODE_ENV=test) would stop
      // it a second time and re-raise the signal, and shutdown then never finished.
      stopOnTerminationSignals: false,
      validationRules: [...runner.validationRules],
      parseOptions: runner.parseOptions,
      documentStore: runner.apolloDocumentStore,
      plugins: apolloSteps(runner, logger),
      logger,
      formatError: runner.formatError,
    });
  }

  static async start(runner: OperationRunner, logger: Logger): Promise<ApolloRoute> {
    const route = new ApolloRoute(runner, logger);
    await route.apollo.start();
    return route;
  }

  async respond(request: GraphQLHttpRequest): Promise<GraphQLHttpResponse> {
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
      context: async () =>
        this.runner.context(
          {
            requestId: request.requestId,
            header: headerReader(request.headers),
            abort: request.abort,
          },
          request.trace,
        ),
    });
    return apolloResponse(response);
  }

  async stop(): Promise<void> {
    await this.apollo.stop();
  }
}

/** The runner's steps as Apollo Server plugins, and Apollo's own extras, each on or off. */
function apolloSteps(runner: OperationRunner, logger: Logger): ApolloServerPlugin<Context>[] {
  const limits: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (!operation) return;
          const error = runner.idLimit({
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
          // What resolvers reported besides their answers (a search's failed provider).
          const reported = contextValue.reported ?? [];
          if (body && reported.length > 0) {
            body.errors = [...(body.errors ?? []), ...runner.format(reported).errors];
          }
          const formatted = body?.errors ?? errors ?? [];
          const operationType = requestContext.operation?.operation;
          for (const [name, value] of runner.cacheHeaders(contextValue, formatted, operationType)) {
            response.http.headers.set(name, value);
          }
          // A callback subscription is recorded when it ends (the callback step).
          if (isCallbackRequest(requestContext.request)) return;
          runner.record(contextValue, { operationName, started, errors: formatted }, 'apollo');
        },
      };
    },
  };
  // With tracing on, graphql-js's steps as Apollo Server runs them, in the request's trace.
  const tracedSteps: ApolloServerPlugin<Context> = {
    async requestDidStart({ contextValue }) {
      const { trace } = contextValue;
      if (!trace) return;
      return {
        async parsingDidStart() {
          const span = traceStep(trace, 'parse');
          return async (error) => span?.end(error !== undefined);
        },
        async validationDidStart() {
          const span = traceStep(trace, 'validate');
          return async (errors) => span?.end(errors !== undefined && errors.length > 0);
        },
        async executionDidStart({ document, operationName, operation }) {
          const span = traceStep(
            trace,
            operation?.operation === 'subscription' ? 'subscribe' : 'execute',
            document,
            operationName,
          );
          return {
            async executionDidEnd(error) {
              span?.end(error !== undefined);
            },
          };
        },
      };
    },
  };
  return [
    tracedSteps,
    limits,
    // Subscriptions over Apollo's HTTP callback protocol; never the fast route's (no query).
    callbackSubscriptions(runner, logger, runner.config),
    headersAndRecord,
    // Federated traces (ftv1) for a router that asks for them, as Apollo would add it itself.
    ApolloServerPluginInlineTrace(),
    ApolloServerPluginLandingPageDisabled(),
    // No @cacheControl here; its per-field hook would wrap every resolver for nothing.
    ApolloServerPluginCacheControlDisabled(),
    // With APOLLO_KEY set Apollo would report usage and the schema to GraphOS by itself.
    ApolloServerPluginUsageReportingDisabled(),
    ApolloServerPluginSchemaReportingDisabled(),
  ];
}

function apolloResponse(response: HTTPGraphQLResponse): GraphQLHttpResponse {
  const body = response.body;
  return {
    status: response.status ?? 200,
    headers: response.headers,
    body: body.kind === 'complete' ? body.string : body.asyncIterator,
  };
}
