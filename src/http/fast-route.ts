import { execute, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { formatErrors } from '../graphql/format-errors.js';
import type { PreparedDocuments } from './documents.js';
import type { GraphQLHttpRequest, GraphQLHttpResponse, RequestPipeline } from './pipeline.js';

/** The only `accept` values answered here: each makes Apollo Server choose `application/json`. */
const PLAIN_ACCEPT = new Set([undefined, '', '*/*', 'application/json']);
const JSON_CONTENT = /^application\/json\s*(;|$)/i;
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The common request, answered without Apollo Server's per-request machinery: a POST of JSON with
 * a query that parses and validates (done once per query text, see `PreparedDocuments`), names
 * one query operation, has variables that coerce and asks for no more ids than allowed. It runs
 * every step of the `RequestPipeline` (the same rules, limits, formatting, headers and record)
 * and graphql-js executes it against the same resolvers, so the answer is what Apollo Server
 * would write. Every other request (GET, an invalid query or variables, an id limit refusal,
 * persisted queries, Apollo's subscription callbacks, another `accept`, a router asking for a
 * federated trace) returns undefined and goes to Apollo Server, which reports and handles it.
 */
export class FastRoute {
  constructor(
    private readonly pipeline: RequestPipeline,
    /** A schema of its own: Apollo Server wraps every resolver of the schema it is given. */
    private readonly schema: GraphQLSchema,
    private readonly documents: PreparedDocuments,
  ) {}

  async respond(request: GraphQLHttpRequest): Promise<GraphQLHttpResponse | undefined> {
    const started = performance.now();
    const { headers, body } = request;
    if (
      request.method !== 'POST' ||
      !JSON_CONTENT.test(headers['content-type'] ?? '') ||
      !PLAIN_ACCEPT.has(headers.accept) ||
      headers['apollo-federation-include-trace'] !== undefined ||
      !isRecord(body)
    ) {
      return undefined;
    }
    const { query, operationName, variables, extensions } = body;
    if (
      typeof query !== 'string' ||
      !(operationName == null || typeof operationName === 'string') ||
      !(variables == null || isRecord(variables)) ||
      !(
        extensions == null ||
        (isRecord(extensions) &&
          !('persistedQuery' in extensions) &&
          !('subscription' in extensions))
      )
    ) {
      return undefined;
    }
    // Prepare: parsed and validated once per query text.
    const prepared = this.documents.prepare(query, operationName ?? undefined);
    if (!prepared) return undefined;
    // Limits: only an operation with a list of ids can be over the id limit.
    if (
      prepared.asksForIdLists &&
      this.pipeline.idLimit({
        schema: this.schema,
        operation: prepared.operation,
        fragments: prepared.fragments,
        variables: variables ?? {},
      })
    ) {
      return undefined;
    }

    const contextValue = this.pipeline.context(request);
    const result: ExecutionResult = await execute({
      schema: this.schema,
      document: prepared.document,
      operationName: operationName ?? undefined,
      variableValues: variables ?? undefined,
      contextValue,
    });
    // No data at all: the variables did not coerce, and no resolver ran.
    if (!('data' in result)) return undefined;
    const formatted = result.errors
      ? formatErrors(result.errors, this.pipeline.formatError)
      : undefined;
    const errors = formatted?.errors ?? [];
    const text = `${JSON.stringify({ errors: formatted?.errors, data: result.data, extensions: result.extensions })}\n`;
    const responseHeaders = new Map([['content-type', JSON_TYPE]]);
    for (const [name, value] of this.pipeline.responseHeaders(contextValue, errors, 'query')) {
      responseHeaders.set(name, value);
    }
    this.pipeline.record(
      {
        requestId: contextValue.requestId,
        operationName: prepared.operation.name?.value ?? null,
        seconds: (performance.now() - started) / 1000,
        upstreamCalls: contextValue.executions.fetches,
        cachedExecutions: contextValue.executions.cached,
        errors,
      },
      'fast',
    );
    return { status: formatted?.status ?? 200, headers: responseHeaders, body: text };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
