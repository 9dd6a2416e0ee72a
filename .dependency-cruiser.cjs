// Which way imports may run inside src/ (`npm run lint:deps`, run by CI on src/ only: tests and
// the benchmark may import anything). Every rule here is an error: depcruise exits non-zero.
//
// The layers, top to bottom. An import may go DOWN this list (or stay in its own layer), never up.
//   1. entry points: the programs, and src/providers.ts (the provider registry, the composition root)
//   2. transports: src/http/
//   3. GraphQL: src/graphql/, src/resolvers/, src/__generated__/
//   4. the domain core: src/executions/ (what an execution is and what can be done to it: ids,
//      states, loading, stopping, watching)
//   5. src/cache/ and src/datasources/
//   6. src/upstream/
//   7. base: src/telemetry/, src/config.ts, src/errors.ts, src/time.ts, src/clock.ts
// src/simulators/ is in no layer: it is test and demo code (its own rules are below).

const ENTRY = '^src/(main|demo|print-schema|write-supergraph|providers)\\.ts$';
const HTTP = '^src/http/';
const GRAPHQL = '^src/(graphql|resolvers|__generated__)/';
const EXECUTIONS = '^src/executions/';
const STORES = '^src/(cache|datasources)/';
const UPSTREAM = '^src/upstream/';
const BASE = ['^src/telemetry/', '^src/(config|errors|time|clock)\\.ts$'];

/** One rule per layer: `from` does not import anything in `above` (every layer higher up). */
const layer = (name, from, above, why) => ({
  name: `${name}-not-to-higher-layer`,
  comment: `${why} (imports run down the layers in .dependency-cruiser.cjs, never up).`,
  severity: 'error',
  from: { path: from },
  to: { path: above.flat() },
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'A cycle ties its modules into one: none can be understood, tested or moved alone, and ' +
        'ESM may hand one of them another that has not finished evaluating (undefined bindings). ' +
        'Type-only imports count: they still tie the modules together.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },

    layer(
      'http',
      HTTP,
      [ENTRY],
      'The transports serve what they are handed; wiring the program is for the entry points',
    ),
    layer(
      'graphql',
      GRAPHQL,
      [ENTRY, HTTP],
      'The schema and resolvers do not know how they are served (HTTP, WebSocket, a test)',
    ),
    layer(
      'executions',
      EXECUTIONS,
      [ENTRY, HTTP, GRAPHQL],
      'The domain core (what an execution is and what can be done to it) holds for any API on ' +
        'top of it; GraphQL and the transports use it, not the other way round',
    ),
    layer(
      'cache-datasources',
      STORES,
      [ENTRY, HTTP, GRAPHQL, EXECUTIONS],
      'The cache and the providers’ datasources fetch and keep records; the domain core uses ' +
        'them, they do not reach back into it or into the API',
    ),
    layer(
      'upstream',
      UPSTREAM,
      [ENTRY, HTTP, GRAPHQL, EXECUTIONS, STORES],
      'The upstream client (HTTP to the providers, retries, timeouts) knows no provider, cache or API',
    ),
    layer(
      'base',
      BASE,
      [ENTRY, HTTP, GRAPHQL, EXECUTIONS, STORES, UPSTREAM],
      'Telemetry, configuration, errors and time are the base everything else may use; they use ' +
        'nothing of the project above them',
    ),

    {
      name: 'executions-not-to-graphql-or-serving',
      comment:
        'The domain core is independent of GraphQL and of serving: no graphql, no @apollo/*, no ' +
        'GraphQL tooling, no graphql-ws or ws, no node:http. Those belong to src/graphql/, ' +
        'src/resolvers/ and src/http/.',
      severity: 'error',
      from: { path: EXECUTIONS },
      to: {
        path: [
          '(^|/)node_modules/(graphql|graphql-ws|ws|@apollo/[^/]+|@graphql-tools/[^/]+|@escape\\.tech/graphql-armor)/',
          '^(node:)?https?$',
        ],
      },
    },

    {
      name: 'simulators-only-from-demo',
      comment:
        'src/simulators/ is test and demo code (fake provider APIs): the service itself never ' +
        'loads it. Only src/demo.ts and the simulators themselves import it, and src/providers.ts ' +
        'reaches it by dynamic import() alone (see providers-simulators-dynamic-only).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(demo|providers)\\.ts$|^src/simulators/' },
      to: { path: '^src/simulators/' },
    },
    {
      name: 'providers-simulators-dynamic-only',
      comment:
        'src/providers.ts names each provider’s simulator for the demo, but only by dynamic ' +
        'import() (and the SimulatorDefinition type, which compiles to nothing), so the service ' +
        'never loads simulator code unless the demo asks for it.',
      severity: 'error',
      from: { path: '^src/providers\\.ts$' },
      to: { path: '^src/simulators/', dynamic: false, dependencyTypesNot: ['type-only'] },
    },

    {
      name: 'src-not-to-test-or-bench',
      comment:
        'The service ships src/ alone (tsconfig.build.json): code under test/ or bench/ is not ' +
        'built, and test helpers must not become part of the program.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],

  options: {
    // Type-only imports count: a cycle or an upward import through types is one still.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    // Resolve packages as Node resolves this ESM project's imports: "exports" with the import
    // condition, else "main". So graphql (no "exports") is node_modules/graphql/index.js, its
    // CommonJS build, and @apollo/server is node_modules/@apollo/server/dist/esm/...; node:http
    // is the core module `http`.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default'],
      mainFields: ['main'],
    },
  },
};
