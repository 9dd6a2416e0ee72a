import type { OperationRunner } from '../graphql/runner.js';
import { headerReader, type GraphQLHttpRequest, type GraphQLHttpResponse } from './request.js';

/** The only `accept` values answered here: each makes Apollo Server choose `application/json`. */
const PLAIN_ACCEPT = new Set([undefined, '', '*/*', 'application/json']);
const JSON_CONTENT = /^application\/json\s*(;|$)/i;
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The common request, answered without Apollo Server's per-request machinery: a POST of JSON with
 * a query that parses and validates, names one query operation, has variables that coerce and
 * asks for no more ids than allowed. It runs every step of the `OperationRunner` (the same rules,
 * limits, formatting and record) and the same `cache-control` as Apollo's route, so the answer is
 * what Apollo Server would write. Every other request (GET, an invalid query or variables, an id
 * limit refusal, a mutation, persisted queries, Apollo's subscription callbacks, another
 * `accept`, a router asking for a federated trace) returns undefined and goes to Apollo Server,
 * which reports and handles it.
 */
export class FastRoute {
  constructor(private readonly runner: OperationRunner) {}

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
    const { runner } = this;
    const operation = runner.operation(runner.prepare(query, request.trace), operationName);
    if (operation?.operation.operation !== 'query' || runner.limits(operation, variables)) {
      return undefined;
    }

    const context = runner.context(
      { requestId: request.requestId, header: headerReader(headers), abort: request.abort },
      request.trace,
    );
    const result = await runner.execute(runner.executionArgs(operation, variables, context));
    // No data at all: the variables did not coerce, and no resolver ran.
    if (!('data' in result)) return undefined;
    const formatted = result.errors ? runner.format(result.errors) : undefined;
    const errors = formatted?.errors ?? [];
    const text = `${JSON.stringify({ errors: formatted?.errors, data: result.data, extensions: result.extensions })}\n`;
    const responseHeaders = new Map([
      ['content-type', JSON_TYPE],
      ...runner.cacheHeaders(context, errors, 'query'),
    ]);
    runner.record(
      context,
      { operationName: operation.operation.name?.value ?? null, started, errors },
      'fast',
    );
    return { status: formatted?.status ?? 200, headers: responseHeaders, body: text };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
