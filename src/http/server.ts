import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutionCache } from '../cache/execution-cache.js';
import { systemClock, type Clock } from '../clock.js';
import type { Config } from '../config.js';
import { Executions } from '../executions/executions.js';
import { OperationRunner } from '../graphql/runner.js';
import type { GraphQLProvider } from '../resolvers/execution-type.js';
import type { Logger } from '../telemetry/logger.js';
import { Metrics } from '../telemetry/metrics.js';
import { tracing } from '../telemetry/tracing-hooks.js';
import { Abort } from '../upstream/abort.js';
import { ApolloRoute } from './apollo-route.js';
import { FastRoute } from './fast-route.js';
import {
  exampleQuery,
  exampleSearch,
  exampleSteps,
  exampleSubscription,
  GRAPHIQL_ASSET_PATH,
  sendGraphiQLAsset,
  sendGraphiQLPage,
  wantsGraphiQL,
  type GraphiQLDefaults,
} from './graphiql.js';
import {
  readBody,
  requestIdOf,
  type GraphQLHttpRequest,
  type GraphQLHttpResponse,
} from './request.js';
import { secretMatches } from './secret.js';
import { webhookRoutes } from './webhooks.js';
import { attachWebSocket } from './websocket.js';

/** Request headers a browser page may send on its own origin's behalf. */
const CORS_HEADERS = [
  'content-type',
  'accept',
  'apollo-require-preflight',
  'x-request-id',
  'x-refold-linked-account-id',
].join(', ');

/** Default 1 MiB: a larger GraphQL request body is refused with 413. */
const MAX_REQUEST_BYTES = 1024 * 1024;
/** 10 s: a client must have sent its request's headers by then, or its connection is closed. */
const HEADERS_TIMEOUT_MS = 10_000;
/** 30 s: a client must have sent its whole request (headers and body) by then; answering takes what it takes. */
const REQUEST_TIMEOUT_MS = 30_000;

export interface App {
  server: Server;
  /** The cache of finished executions; undefined when `CACHE_TTL_SECONDS=0`. */
  cache: ExecutionCache | undefined;
  /** `http://host:port` the server listens on. */
  url: string;
  /**
   * Answers 503 on `/readyz` for `SHUTDOWN_DRAIN_MS`, completes open subscriptions, stops
   * accepting, lets in-flight requests finish for up to `graceMs` (default 10000), then closes
   * every connection, Apollo and the upstream pools.
   */
  close(graceMs?: number): Promise<void>;
}

export interface AppOptions {
  /** Every provider the service knows (`src/providers.ts`), configured or not. */
  registry: readonly GraphQLProvider[];
  /** Default the system's: the clock pollers, deadlines, backoff and the breaker wait on. */
  clock?: Clock;
  /** What GraphiQL opens with; default: an example over placeholder ids of every provider. */
  graphiql?: GraphiQLDefaults;
  /** Default true: common requests take the fast route (`FastRoute`); false sends all through Apollo Server. */
  fastRoute?: boolean;
}

const GRAPHQL_URL: Readonly<Pick<URL, 'pathname' | 'search'>> = {
  pathname: '/graphql',
  search: '',
};

/** Starts the subgraph over HTTP: `/graphql` (and GraphiQL), `/healthz`, `/readyz`, `/metrics`. */
export async function startApp(config: Config, logger: Logger, options: AppOptions): Promise<App> {
  const { registry } = options;
  const metrics = new Metrics();
  const executions = new Executions(
    registry,
    config,
    logger,
    metrics,
    options.clock ?? systemClock,
  );
  const { providers: connected, cache, watcher } = executions;
  const graphiql = options.graphiql ?? {
    query: exampleQuery(
      registry,
      connected.keys.map((key) => `${key}:REPLACE-WITH-AN-ID`),
    ),
    search: exampleSearch(),
    steps:
      connected.keys.length > 0
        ? exampleSteps(`${connected.keys[0]}:REPLACE-WITH-A-FAILED-ID`)
        : undefined,
    subscription:
      connected.keys.length > 0
        ? exampleSubscription(`${connected.keys[0]}:REPLACE-WITH-A-RUNNING-ID`)
        : undefined,
    headers: Object.assign(
      {},
      ...registry.map(({ datasource }) => datasource.requestHeaders ?? {}),
    ),
  };
  const runner = new OperationRunner({ registry, config, logger, metrics, executions });
  const apollo = await ApolloRoute.start(runner, logger);
  const fast = options.fastRoute === false ? undefined : new FastRoute(runner);
  const respond = async (request: GraphQLHttpRequest): Promise<GraphQLHttpResponse> =>
    (await fast?.respond(request)) ?? apollo.respond(request);

  let shuttingDown = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  const server = createServer((req, res) => {
    inFlight++;
    // Upstream calls of a request whose client went away are aborted.
    const disconnected = new Abort();
    res.once('close', () => {
      if (!res.writableFinished) disconnected.abort('cancelled');
      if (--inFlight === 0) drained?.();
    });
    handle(req, res, disconnected).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) sendError(res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  // A client that sends its request slowly holds a connection and a parser: not for long.
  server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  const websocket = attachWebSocket(server, runner, config, logger);
  const webhooks = webhookRoutes(executions, config, logger, metrics);

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    disconnected: Abort,
  ): Promise<void> {
    const requestId = requestIdOf(req.headers['x-request-id']);
    res.setHeader('x-request-id', requestId);
    // The usual target needs no URL parsing.
    const url = req.url === '/graphql' ? GRAPHQL_URL : new URL(req.url ?? '/', 'http://localhost');
    // With tracing on, every request to /graphql has a span, from here to its answer.
    const trace = url.pathname === '/graphql' ? tracing?.serverRequest(req, res) : undefined;
    if (url.pathname === '/healthz') return send(res, 200, { status: 'ok' });
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/metrics') {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(text);
      return;
    }
    if (config.introspection && url.pathname.startsWith(GRAPHIQL_ASSET_PATH)) {
      if (sendGraphiQLAsset(req, res, url.pathname.slice(GRAPHIQL_ASSET_PATH.length))) return;
    }
    if (url.pathname === '/graphql' && wantsGraphiQL(req, url.search)) {
      if (config.introspection) return sendGraphiQLPage(res, graphiql);
      return sendError(
        res,
        404,
        'GraphiQL is off on this server: INTROSPECTION=false turns it off with introspection. POST GraphQL requests to /graphql.',
        'NOT_FOUND',
      );
    }
    if (url.pathname === '/readyz') {
      return send(res, shuttingDown ? 503 : 200, {
        status: shuttingDown ? 'shutting down' : 'ready',
        providers: Object.fromEntries(
          [...connected.configured()].map(({ provider, policy }) => [
            provider.datasource.name,
            { circuit: policy.state },
          ]),
        ),
        cache: cache?.status() ?? 'off',
      });
    }
    const webhook = webhooks.get(url.pathname);
    if (webhook) return webhook(req, res);
    if (url.pathname !== '/graphql') {
      return sendError(res, 404, `Nothing at ${url.pathname}: use /graphql.`, 'NOT_FOUND');
    }
    // Browsers on the allowed origins (CORS_ORIGINS) may call /graphql directly.
    const origin = req.headers.origin;
    if (origin !== undefined && config.corsOrigins.has(origin)) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'origin');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': CORS_HEADERS,
          'access-control-max-age': '600',
        });
        res.end();
        return;
      }
    }
    if (
      config.routerSecret &&
      !secretMatches(req.headers['router-authorization'], config.routerSecret)
    ) {
      return sendError(
        res,
        401,
        'Missing or wrong router-authorization header.',
        'UNAUTHENTICATED',
      );
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return sendError(res, 405, `Use GET or POST, not ${req.method}.`, 'METHOD_NOT_ALLOWED');
    }

    let body: unknown;
    if (req.method === 'POST') {
      const bytes = await readBody(req, MAX_REQUEST_BYTES);
      const text = bytes?.toString('utf8');
      if (text === undefined) {
        res.setHeader('connection', 'close');
        return sendError(
          res,
          413,
          `The request body is over ${MAX_REQUEST_BYTES} bytes.`,
          'PAYLOAD_TOO_LARGE',
        );
      }
      try {
        body = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        return sendError(res, 400, 'The request body is not valid JSON.', 'BAD_REQUEST');
      }
    }

    const response = await respond({
      method: req.method,
      headers: req.headers,
      search: url.search,
      body,
      requestId,
      abort: disconnected,
      trace,
    });
    await write(res, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  async function shutdown(graceMs: number): Promise<void> {
    shuttingDown = true;
    // /readyz says 503 while the listener still accepts: a load balancer stops sending first.
    if (config.shutdownDrainMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
    }
    // Open subscriptions complete first; their sockets then close with 1001 (going away).
    watcher.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await websocket.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // In-flight requests may finish (bounded by graceMs); then no connection is kept open.
    if (inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, graceMs);
        drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    server.closeAllConnections();
    await closed;
    await apollo.stop();
    await executions.close();
  }

  return {
    server,
    cache,
    url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`,
    close(graceMs = 10_000) {
      // A second call (a signal during shutdown, a test's clean-up) waits for the first.
      closing ??= shutdown(graceMs);
      return closing;
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body));
}

/** An HTTP-level refusal, in the shape of every GraphQL error: `{ errors: [{ message, extensions: { code } }] }`. */
function sendError(res: ServerResponse, status: number, message: string, code: string): void {
  send(res, status, { errors: [{ message, extensions: { code } }] });
}

/** `text`, already JSON, as the response. */
function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function write(res: ServerResponse, response: GraphQLHttpResponse): Promise<void> {
  for (const [name, value] of response.headers) {
    // CORS already said `vary: origin`: the answer's own list goes beside it.
    const before = name === 'vary' ? res.getHeader('vary') : undefined;
    res.setHeader(name, before ? `${String(before)}, ${value}` : value);
  }
  res.statusCode = response.status;
  if (typeof response.body === 'string') {
    res.setHeader('content-length', Buffer.byteLength(response.body));
    res.end(response.body);
    return;
  }
  for await (const chunk of response.body) res.write(chunk);
  res.end();
}
