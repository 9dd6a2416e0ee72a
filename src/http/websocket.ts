import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import type { Context } from '../graphql/context.js';
import type { OperationRunner } from '../graphql/runner.js';
import type { Logger } from '../telemetry/logger.js';
import { Abort } from '../upstream/abort.js';
import { headerValue, requestIdOf } from './request.js';

/** The keep-alive ping every 12 s, graphql-ws's default. */
const KEEP_ALIVE_MS = 12_000;

type ConnectionParams = Record<string, unknown> | undefined;

/**
 * GraphQL over WebSocket on `/graphql` with the `graphql-transport-ws` subprotocol, through
 * graphql-ws: subscriptions (and any operation) through the runner's steps, as over HTTP (the
 * same rules and document cache, limits, formatter and record). `ROUTER_SECRET` and request
 * headers such as Refold's come from the upgrade request's headers or the `connection_init`
 * payload (as header names, or under `headers`). A wrong or missing secret closes the socket
 * with 4403 before any work.
 */
export function attachWebSocket(
  server: Server,
  runner: OperationRunner,
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
  const max = config.watch.maxPerConnection;
  const disposable = useServer<ConnectionParams>(
    {
      schema: runner.schema,
      execute: (args) => runner.execute(args),
      subscribe: (args) => runner.subscribe(args),
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
        // Subscribers send the same text with their own variables (a frontend's or a gateway's
        // one operation): its document is prepared once and shared, not kept per subscription.
        const prepared = runner.prepare(payload.query);
        if (prepared.errors) return [...prepared.errors];
        const operation = runner.operation(prepared, payload.operationName);
        if (!operation) {
          return [
            new GraphQLError(
              // graphql-js's words, as the HTTP routes answer them.
              payload.operationName
                ? `Unknown operation named "${payload.operationName}".`
                : 'Must provide operation name if query contains multiple operations.',
            ),
          ];
        }
        const refused = runner.limits(operation, payload.variables);
        if (refused) return [refused];
        const request = ctx.extra.request;
        const context = runner.context({
          requestId: requestIdOf(request.headers['x-request-id']),
          header: (name) => headerOf(ctx.connectionParams, request, name),
          abort: new Abort(),
        });
        operationsOf(ctx).set(id, {
          started: performance.now(),
          context,
          operationName: operation.operation.name?.value ?? null,
          errors: [],
        });
        return runner.executionArgs(operation, payload.variables, context);
      },
      onNext(ctx, id, _payload, _args, result) {
        if (!result.errors) return undefined;
        const { errors } = runner.format(result.errors);
        operationsOf(ctx)
          .get(id)
          ?.errors.push(...errors);
        return { ...result, errors };
      },
      onError(_ctx, _id, _payload, errors) {
        return runner.format(errors).errors;
      },
      // The record step: one log line and the metrics when an operation ends.
      onComplete(ctx, id) {
        const operation = operationsOf(ctx).get(id);
        if (!operation) return;
        operationsOf(ctx).delete(id);
        const { context, ...outcome } = operation;
        runner.record(context, outcome, 'websocket');
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
