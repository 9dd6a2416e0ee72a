import type { IncomingHttpHeaders } from 'node:http';
import { execute, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { Context } from '../graphql/context.js';
import { formatErrors, type FormatError } from '../graphql/format-errors.js';
import { requestedIds } from '../graphql/limits.js';
import type { RequestRecord } from '../telemetry/request-record.js';
import type { PreparedOperations } from './documents.js';

export interface FastPathOptions {
  /** A schema of its own: Apollo Server wraps every resolver of the schema it is given. */
  schema: GraphQLSchema;
  operations: PreparedOperations;
  maxIdsPerRequest: number;
  formatError: FormatError;
  record(record: RequestRecord): void;
}

export interface FastPathResponse {
  status: number;
  /** JSON text, as Apollo Server writes it. */
  body: string;
}

/** The only `accept` values answered here: each makes Apollo Server choose `application/json`. */
const PLAIN_ACCEPT = new Set([undefined, '', '*/*', 'application/json']);
const JSON_CONTENT = /^application\/json\s*(;|$)/i;

/**
 * The common request, answered without Apollo Server's per-request pipeline: a POST of JSON with
 * a query that parses and validates (done once per query text, see `PreparedOperations`), names
 * one query operation, has variables that coerce and asks for no more ids than allowed. graphql-js
 * executes it against the same resolvers, and the answer is what Apollo Server would write: the
 * same error formatting, status, content type, logs and metrics. Every other request (GET, an
 * invalid query or variables, an id limit refusal, persisted queries, another `accept`, a router
 * asking for a federated trace) returns undefined and goes to Apollo Server, which reports and
 * handles it.
 */
export class FastPath {
  constructor(private readonly options: FastPathOptions) {}

  async respond(
    headers: IncomingHttpHeaders,
    body: unknown,
    context: () => Context,
  ): Promise<FastPathResponse | undefined> {
    const started = performance.now();
    if (
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
      !(extensions == null || (isRecord(extensions) && !('persistedQuery' in extensions)))
    ) {
      return undefined;
    }
    const { schema, operations, maxIdsPerRequest, formatError, record } = this.options;
    const prepared = operations.prepare(query, operationName ?? undefined);
    if (!prepared) return undefined;
    if (prepared.asksForIdLists) {
      const coerced = operations.coerce(prepared.operation, variables ?? {});
      if (!coerced) return undefined;
      const ids = requestedIds(schema, prepared.operation, prepared.fragments, coerced);
      if (ids > maxIdsPerRequest) return undefined;
    }

    const contextValue = context();
    const result: ExecutionResult = await execute({
      schema,
      document: prepared.document,
      operationName: operationName ?? undefined,
      variableValues: variables ?? undefined,
      contextValue,
    });
    // No data at all: the variables did not coerce, and no resolver ran.
    if (!('data' in result)) return undefined;
    const formatted = result.errors ? formatErrors(result.errors, formatError) : undefined;
    const text = `${JSON.stringify({ errors: formatted?.errors, data: result.data, extensions: result.extensions })}\n`;
    record({
      requestId: contextValue.requestId,
      operationName: prepared.operation.name?.value ?? null,
      seconds: (performance.now() - started) / 1000,
      upstreamCalls: contextValue.executions.fetches,
      errors: formatted?.errors ?? [],
    });
    return { status: formatted?.status ?? 200, body: text };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
