import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
import type { Config } from '../config.js';
import { ConnectedProviders } from '../upstream/connect.js';
import type { Context } from '../graphql/context.js';
import { FastPath } from './fast-route.js';
import { errorFormatter } from '../graphql/format-errors.js';
import { idLimitPlugin, queryShapeLimits } from '../graphql/limits.js';
import {
  exampleQuery,
  GRAPHIQL_ASSET_PATH,
  sendGraphiQLAsset,
  sendGraphiQLPage,
  wantsGraphiQL,
  type GraphiQLDefaults,
} from './graphiql.js';
import { ExecutionLoaders } from '../graphql/loaders.js';
import { Metrics } from '../telemetry/metrics.js';
import { observabilityPlugin, recordRequest } from '../telemetry/request-record.js';
import { PreparedOperations } from './documents.js';
import type { Logger } from '../telemetry/logger.js';
import { buildSchema } from '../graphql/schema.js';
import { Abort } from '../upstream/abort.js';

/** Default 1 MiB: a larger GraphQL request body is refused with 413. */
const MAX_REQUEST_BYTES = 1024 * 1024;

export interface App {
  server: Server;
  /** `http://host:port` the server listens on. */
  url: string;
  /**
   * Stops accepting, lets in-flight requests finish for up to `graceMs` (default 10000), then
   * closes every connection, Apollo and the upstream pools.
   */
  close(graceMs?: number): Promise<void>;
}

export interface AppOptions {
  /** What GraphiQL opens with; default: an example over placeholder ids of every provider. */
  graphiql?: GraphiQLDefaults;
  /** Default true: common requests skip Apollo Server's pipeline (`FastPath`); false sends all through it. */
  fastPath?: boolean;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const GRAPHQL_URL: Readonly<Pick<URL, 'pathname' | 'search'>> = {
  pathname: '/graphql',
  search: '',
};

/** Starts the subgraph over HTTP: `/graphql` (and GraphiQL), `/healthz`, `/readyz`, `/metrics`. */
export async function startApp(
  config: Config,
  logger: Logger,
  options: AppOptions = {},
): Promise<App> {
  const metrics = new Metrics();
  const connected = new ConnectedProviders(config, logger, metrics);
  const graphiql = options.graphiql ?? {
    query: exampleQuery(
      config.registry,
      connected.keys.map((key) => `${key}:REPLACE-WITH-AN-ID`),
    ),
    headers: Object.assign(
      {},
      ...config.registry.map(({ datasource }) => datasource.requestHeaders ?? {}),
    ),
  };
  const armor = queryShapeLimits(config.queryLimits);
  const formatError = errorFormatter(logger);
  const fastSchema = buildSchema(config.registry);
  const fastPathRequests = metrics.fastPathRequests.series({});
  const fastPath =
    options.fastPath === false
      ? undefined
      : new FastPath({
          schema: fastSchema,
          operations: new PreparedOperations(fastSchema, {
            validationRules: armor.validationRules,
            introspection: config.introspection,
            maxTokens: config.queryLimits.tokens,
          }),
          maxIdsPerRequest: config.maxIdsPerRequest,
          formatError,
          record: (record) => {
            fastPathRequests.inc();
            recordRequest(metrics, logger, record);
          },
        });
  const apollo = new ApolloServer<Context>({
    schema: buildSchema(config.registry),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // main.ts owns SIGTERM/SIGINT: Apollo's own handlers (on unless NODE_ENV=test) would stop it
    // a second time and re-raise the signal, and shutdown then never finished.
    stopOnTerminationSignals: false,
    validationRules: armor.validationRules,
    parseOptions: { maxTokens: config.queryLimits.tokens },
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // No @cacheControl here; its per-field hook would wrap every resolver for nothing.
      ApolloServerPluginCacheControlDisabled(),
      // Same objects; graphql-armor's types name @apollo/server's CJS declarations, ours the ESM ones.
      ...(armor.plugins as unknown as ApolloServerPlugin<Context>[]),
      idLimitPlugin(config.maxIdsPerRequest),
      observabilityPlugin(metrics, logger),
    ],
    logger,
    formatError,
  });
  await apollo.start();

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
      if (!res.headersSent) send(res, 500, { error: 'Internal server error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    disconnected: Abort,
  ): Promise<void> {
    const incoming = req.headers['x-request-id'];
    const requestId =
      typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', requestId);
    // The usual target needs no URL parsing.
    const url = req.url === '/graphql' ? GRAPHQL_URL : new URL(req.url ?? '/', 'http://localhost');
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
    if (config.introspection && url.pathname === '/graphql' && wantsGraphiQL(req, url.search)) {
      return sendGraphiQLPage(res, graphiql);
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
      });
    }
    if (url.pathname !== '/graphql') return send(res, 404, { error: 'Not found: use /graphql' });
    if (
      config.routerSecret &&
      !secretMatches(req.headers['router-authorization'], config.routerSecret)
    ) {
      return send(res, 401, {
        errors: [
          {
            message: 'Missing or wrong router-authorization header.',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      });
    }
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      return send(res, 405, { error: 'Use GET or POST' });
    }

    let body: unknown;
    if (req.method === 'POST') {
      const text = await readBody(req, MAX_REQUEST_BYTES);
      if (text === undefined) {
        res.setHeader('connection', 'close');
        return send(res, 413, { error: `Request body over ${MAX_REQUEST_BYTES} bytes` });
      }
      try {
        body = text.length > 0 ? JSON.parse(text) : undefined;
      } catch {
        return send(res, 400, {
          errors: [
            { message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } },
          ],
        });
      }
    }

    const scope = {
      header: (name: string) => headerValue(req.headers[name.toLowerCase()]),
      requestId,
      abort: disconnected,
    };
    const context = (): Context => ({
      requestId,
      executions: new ExecutionLoaders(connected, scope, (provider, size) =>
        metrics.batch(provider, size),
      ),
      header: scope.header,
    });

    const fast = await fastPath?.respond(req.headers, body, context);
    if (fast) return sendText(res, fast.status, fast.body);
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      const joined = headerValue(value);
      if (joined !== undefined) headers.set(name, joined);
    }
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method, headers, search: url.search, body },
      context: async () => context(),
    });
    await write(res, response);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    server,
    url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`,
    async close(graceMs = 10_000) {
      shuttingDown = true;
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
      await connected.close();
    },
  };
}

/** A header as one string, several values joined as Apollo Server's `HeaderMap` joins them. */
function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      // The rest is read and dropped; the 413 closes the connection.
      req.removeListener('data', onData);
      req.resume();
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    req.once('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body));
}

/** `text`, already JSON, as the response. */
function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function write(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}
