import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import type { Context } from '../graphql/context.js';
import type { OperationRunner } from '../graphql/runner.js';
import type { Logger } from '../telemetry/logger.js';
import { tracing } from '../telemetry/tracing-hooks.js';
import { Abort } from '../upstream/abort.js';
import { headerValue, requestIdOf } from './request.js';
import { secretMatches } from './secret.js';

/** The keep-alive ping every 12 s, graphql-ws's default. */
const KEEP_ALIVE_MS = 12_000;

/**
 * Default 1 MiB (1048576 bytes), as HTTP's body limit: a larger message closes its socket with
 * 1009 before graphql-ws reads it.
 */
const MAX_MESSAGE_BYTES = 1024 * 1024;

type ConnectionParams = Record<string, unknown> | undefined;

/**
 * GraphQL over WebSocket on `/graphql` with the `graphql-transport-ws` subprotocol, through
 * graphql-ws: subscriptions (and any operation) through the runner's steps, as over HTTP (the
 * same rules and document cache, limits, formatter and record).
 *
 * An upgrade is refused on the raw socket before any work: 404 off `/graphql`; 403 when it has an
 * `Origin` that is neither in `CORS_ORIGINS` nor the server's own (the `Host` it was sent to);
 * 503 when `MAX_CONNECTIONS` WebSockets are already open (a closed one frees its place). Without
 * `Origin` (servers, routers, graphql-ws in node) it is accepted. A message over
 * `MAX_MESSAGE_BYTES` closes its socket with 1009.
 *
 * `ROUTER_SECRET` and request headers such as Refold's come from the upgrade request's headers,
 * else the `connection_init` payload (as header names, or under `headers`). A wrong or missing
 * secret closes the socket with 4403 before any operation runs.
 */
export function attachWebSocket(
  server: Server,
  runner: OperationRunner,
  config: Config,
  logger: Logger,
): { close(): Promise<void> } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const { maxConnections } = config.transport;
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?', 1)[0] !== '/graphql') {
      refuse(socket, '404 Not Found');
      return;
    }
    // A browser sends Origin on every WebSocket handshake, and no CORS applies to one: without
    // this check any page could open a socket with the user's network position (cross-site
    // WebSocket hijacking).
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, req, config.corsOrigins)) {
      logger.debug({ origin }, 'WebSocket upgrade refused: origin not allowed (CORS_ORIGINS)');
      refuse(socket, '403 Forbidden');
      return;
    }
    // handleUpgrade adds the socket to `wss.clients` synchronously and removes it on close, so
    // the size is exact here.
    if (wss.clients.size >= maxConnections) {
      logger.warn(
        { maxConnections },
        'WebSocket upgrade refused: MAX_CONNECTIONS connections are open',
      );
      refuse(socket, '503 Service Unavailable');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      wss.emit('connection', ws, req);
      // On a server socket ws emits 'error' only for the peer's bad frames (1009 over
      // maxPayload, a protocol violation), after it has sent the close frame itself. graphql-ws
      // reports each on the console as an internal error of ours; it is logged as the peer's.
      ws.removeAllListeners('error');
      ws.on('error', (error) => logger.debug({ err: error }, 'WebSocket closed on a bad message'));
    });
  });
  const max = config.watch.maxPerConnection;
  /** Once per operation, when it ends: its log line and metrics. */
  const record = (ctx: object, id: string) => {
    const operation = operationsOf(ctx).get(id);
    if (!operation) return;
    operationsOf(ctx).delete(id);
    const { context, ...outcome } = operation;
    runner.record(context, outcome, 'websocket');
  };
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
        // The connection's own limit, like HTTP's body limit: checked before the runner's steps.
        if (Object.keys(ctx.subscriptions).length > max) {
          return [
            new GraphQLError(
              `At most ${max} subscriptions may be open on one connection (MAX_SUBSCRIPTIONS_PER_CONNECTION); open another connection.`,
              { extensions: { code: 'BAD_USER_INPUT', limit: max } },
            ),
          ];
        }
        const started = performance.now();
        const request = ctx.extra.request;
        const header = (name: string) => headerOf(ctx.connectionParams, request, name);
        // With tracing on, one span per operation, continuing the `traceparent` of the upgrade
        // request or `connection_init`: every step below has its spans in it, and the record
        // ends it.
        const trace = tracing?.operation('WebSocket', header);
        const context = runner.context(
          {
            requestId: requestIdOf(request.headers['x-request-id']),
            header,
            abort: abortOf(ctx),
          },
          trace,
        );
        const open = (operationName: string | null) =>
          operationsOf(ctx).set(id, { started, context, operationName, errors: [] });
        // A refusal goes out as an `error` message, recorded there (`onError`), as HTTP records
        // the 400 it answers.
        const refuse = (errors: readonly GraphQLError[], operationName: string | null = null) => {
          open(operationName);
          return [...errors];
        };
        // Subscribers send the same text with their own variables (a frontend's or a gateway's
        // one operation): its document is prepared once and shared, not kept per subscription.
        const prepared = runner.prepare(payload.query, trace);
        if (prepared.errors) return refuse(prepared.errors);
        const operation = runner.operation(prepared, payload.operationName);
        if (!operation) return refuse([runner.unresolved(payload.operationName)]);
        const operationName = operation.operation.name?.value ?? null;
        const refused = runner.limits(operation, payload.variables);
        if (refused) return refuse([refused], operationName);
        const coercion = runner.variableErrors(operation, payload.variables);
        if (coercion) return refuse(coercion, operationName);
        open(operationName);
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
      onError(ctx, id, _payload, errors) {
        const { errors: formatted } = runner.format(errors);
        // A refusal, or a subscription whose stream failed: the operation ends here.
        const operation = operationsOf(ctx).get(id);
        if (operation) {
          operation.errors.push(...formatted);
          record(ctx, id);
        }
        return formatted;
      },
      // The record step: one log line and the metrics when an operation ends.
      onComplete(ctx, id) {
        record(ctx, id);
      },
      // A client that goes away leaves its operations' upstream calls, as over HTTP.
      onDisconnect(ctx) {
        connectionAborts.get(ctx)?.abort('cancelled');
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

// Each connection's abort: fired when it closes, for its operations' upstream calls.
const connectionAborts = new WeakMap<object, Abort>();

function abortOf(ctx: object): Abort {
  let abort = connectionAborts.get(ctx);
  if (!abort) {
    abort = new Abort();
    connectionAborts.set(ctx, abort);
  }
  return abort;
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

/**
 * A request header: the upgrade request's first, so a header an edge proxy sets cannot be
 * overridden by the client; else `connection_init`'s payload (a key in any case, then one under
 * `headers`), where gateways and browsers put it.
 */
function headerOf(
  params: ConnectionParams,
  request: IncomingMessage,
  name: string,
): string | undefined {
  const upgrade = headerValue(request.headers[name]);
  if (upgrade !== undefined) return upgrade;
  const nested = params?.headers;
  for (const source of [
    params,
    typeof nested === 'object' && nested !== null ? nested : undefined,
  ]) {
    for (const [key, value] of Object.entries(source ?? {})) {
      if (key.toLowerCase() === name && typeof value === 'string') return value;
    }
  }
  return undefined;
}

/** Whether a page on `origin` may open the WebSocket: one of `allowed`, or the server's own. */
function originAllowed(
  origin: string,
  request: IncomingMessage,
  allowed: ReadonlySet<string>,
): boolean {
  if (allowed.has(origin)) return true;
  // The subgraph's own pages (GraphiQL) are same-origin, as they are over HTTP. The scheme is
  // not compared: behind a TLS proxy the page is https and the request reaching here is not.
  const host = request.headers.host;
  if (host === undefined || !URL.canParse(origin)) return false;
  return new URL(origin).host === host.toLowerCase();
}

/** Answers an upgrade on its raw socket with `status` and closes it. */
function refuse(socket: Duplex, status: string): void {
  // As ws refuses a handshake: closed once the answer is written, whatever the peer does.
  socket.once('finish', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
}
