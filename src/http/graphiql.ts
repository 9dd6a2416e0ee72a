import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { GraphQLProvider } from '../resolvers/execution-type.js';

/**
 * GraphiQL from the project's own dependencies: the prebuilt UMD bundles that graphiql@3 and
 * react@18 ship, served as they are. No CDN and no build step: the page works on a closed
 * network and what runs is exactly what the lockfile pins.
 */
const require = createRequire(import.meta.url);

/** A file inside an installed package, past its `exports` map (the UMD files are not exported). */
function packageFile(name: string, file: string): string {
  return join(dirname(require.resolve(`${name}/package.json`)), file);
}

interface Asset {
  file: string;
  type: string;
}

const ASSETS: Readonly<Record<string, Asset>> = {
  'react.production.min.js': {
    file: packageFile('react', 'umd/react.production.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'react-dom.production.min.js': {
    file: packageFile('react-dom', 'umd/react-dom.production.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'graphiql.min.js': {
    file: packageFile('graphiql', 'graphiql.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'graphiql.min.css': {
    file: packageFile('graphiql', 'graphiql.min.css'),
    type: 'text/css; charset=utf-8',
  },
  'init.js': {
    file: fileURLToPath(new URL('../../graphiql/init.js', import.meta.url)),
    type: 'text/javascript; charset=utf-8',
  },
};

/** Where the assets are served from. */
export const GRAPHIQL_ASSET_PATH = '/graphiql/';

/** What the page opens with. */
export interface GraphiQLDefaults {
  /** The first tab's operation. */
  query: string;
  /** Default none: a tab of recent executions, e.g. `exampleSearch`. */
  search?: string;
  /** Default none: a tab of an execution's steps, e.g. `exampleSteps`. */
  steps?: string;
  /** Default none: a tab, e.g. `exampleSubscription`, run over the WebSocket. */
  subscription?: string;
  /** Every tab's request headers (Headers tab); subscriptions send them in `connection_init`. */
  headers: Record<string, string>;
}

/** An example subscription that watches the execution `id` until it ends. */
export function exampleSubscription(id: string): string {
  return `# Live status, over the WebSocket: the execution now,
# then each change until it ends. Press Run (Ctrl-Enter);
# the result shows the latest event. Stop leaves.
subscription WatchExecution {
  executionUpdated(id: ${JSON.stringify(id)}) {
    __typename
    id
    state
    providerStatus
    startedAt
    endedAt
    durationSeconds
  }
}
`;
}

/** The "Recent" tab: the newest executions across the providers that can list theirs. */
export function exampleSearch(): string {
  return `# Recent executions, newest first, across the providers that can
# list theirs: press Run (Ctrl-Enter). For the next page, pass
# pageInfo.endCursor as \`after\`; filter by providers, states,
# createdAfter, createdBefore or workflowId.
query Recent($after: String) {
  searchExecutions(first: 20, after: $after) {
    nodes {
      __typename
      id
      provider
      state
      createdAt
    }
    pageInfo { hasNextPage endCursor }
    providers { provider searched code message }
  }
}
`;
}

/** The "Steps" tab: where execution `id` failed, and whether it can run again. */
export function exampleSteps(id: string): string {
  return `# Where did it fail? The steps of one execution, as its provider
# keeps them (null where it keeps none), and whether it can be
# rerun: press Run (Ctrl-Enter). rerunExecution(id, idempotencyKey)
# starts it again (a mutation).
query Steps {
  execution(id: ${JSON.stringify(id)}) {
    __typename
    id
    state
    error { message }
    canRerun
    steps {
      name
      state
      providerStatus
      startedAt
      durationSeconds
      attempts
      error { message code }
    }
  }
}
`;
}

/** An example query over `ids` that shows the own fields of every provider of `registry`. */
export function exampleQuery(registry: readonly GraphQLProvider[], ids: readonly string[]): string {
  const headers = registry.flatMap(({ datasource }) =>
    Object.keys(datasource.requestHeaders ?? {}).map(
      (name) => `# ${datasource.name} executions need the ${name} header (Headers tab).\n`,
    ),
  );
  return `# Executions of every provider in one request: press Run (Ctrl-Enter).
${headers.join('')}query AllProviders {
  executions(ids: [
${ids.map((id) => `    ${JSON.stringify(id)}`).join('\n')}
  ]) {
    __typename
    id
    provider
    state
    providerStatus
    startedAt
    endedAt
    durationSeconds
    error { message code }
${registry.map(({ type }) => `    ... on ${type.typename} { ${type.example} }\n`).join('')}  }
}
`;
}

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** True for a browser's page load of `/graphql` (HTML wanted, no query in the URL). */
export function wantsGraphiQL(req: IncomingMessage, search: string): boolean {
  return (
    req.method === 'GET' &&
    !new URLSearchParams(search).has('query') &&
    (req.headers.accept ?? '').includes('text/html')
  );
}

export function sendGraphiQLPage(res: ServerResponse, defaults: GraphiQLDefaults): void {
  // Inert JSON data, with `<` escaped so no value can close the script element.
  const config = JSON.stringify({ endpoint: '/graphql', ...defaults }).replace(/</g, '\\u003c');
  const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Executions · GraphiQL</title>
    <link rel="stylesheet" href="${GRAPHIQL_ASSET_PATH}graphiql.min.css" />
    <style>body { margin: 0; } #graphiql { height: 100vh; }</style>
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL…</div>
    <script id="graphiql-config" type="application/json">${config}</script>
    <script src="${GRAPHIQL_ASSET_PATH}react.production.min.js"></script>
    <script src="${GRAPHIQL_ASSET_PATH}react-dom.production.min.js"></script>
    <script src="${GRAPHIQL_ASSET_PATH}graphiql.min.js"></script>
    <script src="${GRAPHIQL_ASSET_PATH}init.js"></script>
  </body>
</html>
`;
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CSP,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(html);
}

const loaded = new Map<string, { raw: Buffer; gzip: Buffer }>();

/** Serves one of the allow-listed assets; false when `name` is not one. */
export function sendGraphiQLAsset(
  req: IncomingMessage,
  res: ServerResponse,
  name: string,
): boolean {
  const asset = ASSETS[name];
  if (!asset) return false;
  let body = loaded.get(name);
  if (!body) {
    const raw = readFileSync(asset.file);
    body = { raw, gzip: gzipSync(raw) };
    loaded.set(name, body);
  }
  const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const payload = gzip ? body.gzip : body.raw;
  res.writeHead(200, {
    'content-type': asset.type,
    'content-length': payload.length,
    'cache-control': 'public, max-age=3600',
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
    ...(gzip ? { 'content-encoding': 'gzip' } : {}),
  });
  res.end(payload);
  return true;
}
