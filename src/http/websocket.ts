import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import {
  GraphQLError,
  getOperationAST,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
} from 'graphql';
import type { Context } from '../graphql/context.js';
import { fragmentsOf } from '../graphql/limits.js';
import { useServer } from 'graphql-ws/use/ws';
import { LRUCache } from 'lru-cache';
import { WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import { formatErrors } from '../graphql/format-errors.js';
import type { Logger } from '../telemetry/logger.js';
import { Abort } from '../upstream/abort.js';
import { headerValue, requestIdOf, type RequestPipeline } from './pipeline.js';

/** The keep-alive ping every 12 s, graphql-ws's default. */
const KEEP_ALIVE_MS = 12_000;

/**
 * The validated documents kept (see `validDocument`), in bytes as estimated from their query
 * text: a parsed document with its locations takes about 86 bytes per character of its text.
 */
const DOCUMENT_CACHE_BYTES = 16 * 1024 * 1024;
const DOCUMENT_BYTES_PER_CHAR = 100;

type ConnectionParams = Record<string, unknown> | undefined;

/**
 * GraphQL over WebSocket on `/graphql` with the `graphql-transport-ws` subprotocol, through
 * graphql-ws: subscriptions (and any operation) against the same schema, validation rules,
 * error formatting and context as HTTP. `ROUTER_SECRET` and request headers such as Refold's
 * come from the upgrade request's headers or the `connection_init` payload (as header names, or
 * under `headers`). A wrong or missing secret closes the socket with 4403 before any work.
 */
export function attachWebSocket(
  server: Server,
  pipeline: RequestPipeline,
  config: Config,
  logger: Logger,
): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?', 1)[0] !== '/graphql') {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });
  const { schema } = pipeline;
  const rules = [...specifiedRules, ...pipeline.validationRules];
  const max = config.watch.maxPerConnection;
  // Subscribers send the same text with their own variables (a frontend's or a gateway's one
  // operation): it is parsed and validated once and its document shared, not kept per
  // subscription (a parsed document with its locations is most of an idle subscription's memory).
  const documents = new LRUCache<string, DocumentNode>({
    maxSize: DOCUMENT_CACHE_BYTES,
    sizeCalculation: (_document, query) => Math.max(1, query.length) * DOCUMENT_BYTES_PER_CHAR,
  });
  const validDocument = (query: string): DocumentNode | readonly GraphQLError[] => {
    const known = documents.get(query);
    if (known) return known;
    let document: DocumentNode;
    try {
      document = parse(query, pipeline.parseOptions);
    } catch (error) {
      return [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
    }
    const errors = validate(schema, document, rules);
    if (errors.length > 0) return errors;
    documents.set(query, document);
    return document;
  };
  const disposable = useServer<ConnectionParams>(
    {
      schema,
      onConnect(ctx) {
        if (!config.routerSecret) return true;
        const given = headerOf(ctx.connectionParams, ctx.extra.request, 'router-authorization');
        return secretMatches(given, config.routerSecret);
      },
      onSubscribe(ctx, id, payload) {
        if (Object.keys(ctx.subscriptions).length > max) {
          return [
            new GraphQLError(
              `At most ${max} subscriptions may be open on one connection (MAX_SUBSCRIPTIONS_PER_CONNECTION); open another connection.`,
              { extensions: { code: 'BAD_USER_INPUT', limit: max } },
            ),
          ];
        }
        const document = validDocument(payload.query);
        if (!('kind' in document)) return document;
        const operation = getOperationAST(document, payload.operationName);
        const refused =
          operation &&
          pipeline.idLimit({
            schema,
            operation,
            fragments: fragmentsOf(document),
            variables: payload.variables ?? {},
          });
        if (refused) return [refused];
        const request = ctx.extra.request;
        const context = pipeline.context(
          {
            method: 'GET',
            headers: request.headers,
            search: '',
            body: undefined,
            requestId: requestIdOf(request.headers['x-request-id']),
            abort: new Abort(),
          },
          (name) => headerOf(ctx.connectionParams, request, name),
        );
        operationsOf(ctx).set(id, {
          started: performance.now(),
          context,
          operationName: operation?.name?.value ?? null,
          errors: [],
        });
        return {
          schema,
          document,
          variableValues: payload.variables ?? undefined,
          operationName: payload.operationName ?? undefined,
          contextValue: context,
        };
      },
      onNext(ctx, id, _payload, _args, result) {
        if (!result.errors) return undefined;
        const errors = formatErrors(result.errors, pipeline.formatError).errors;
        operationsOf(ctx)
          .get(id)
          ?.errors.push(...errors);
        return { ...result, errors };
      },
      onError(_ctx, _id, _payload, errors) {
        return formatErrors(errors, pipeline.formatError).errors;
      },
      // The record step: one log line and the metrics when an operation ends.
      onComplete(ctx, id) {
        const operation = operationsOf(ctx).get(id);
        if (!operation) return;
        operationsOf(ctx).delete(id);
        const { context, errors } = operation;
        pipeline.record(
          {
            requestId: context.requestId,
            operationName: operation.operationName,
            seconds: (performance.now() - operation.started) / 1000,
            upstreamCalls: context.executions.fetches,
            cachedExecutions: context.executions.cached,
            errors,
          },
          'websocket',
        );
      },
    },
    wss,
    KEEP_ALIVE_MS,
  );
  return {
    async close() {
      await disposable.dispose();
      logger.debug('WebSocket server closed');
    },
  };
}

interface Operation {
  started: number;
  context: Context;
  operationName: string | null;
  errors: GraphQLFormattedError[];
}

// The operations open on each connection, by id, until they end and are recorded.
const open = new WeakMap<object, Map<string, Operation>>();

function operationsOf(ctx: object): Map<string, Operation> {
  let operations = open.get(ctx);
  if (!operations) {
    operations = new Map();
    open.set(ctx, operations);
  }
  return operations;
}

/** A request header, from `connection_init`'s payload first, then from the upgrade request. */
function headerOf(
  params: ConnectionParams,
  request: IncomingMessage,
  name: string,
): string | undefined {
  const nested = params?.headers;
  for (const source of [
    params,
    typeof nested === 'object' && nested !== null ? nested : undefined,
  ]) {
    for (const [key, value] of Object.entries(source ?? {})) {
      if (key.toLowerCase() === name && typeof value === 'string') return value;
    }
  }
  return headerValue(request.headers[name]);
}

export function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
