import { defineConfig } from '@graphql-hive/gateway';

// Hive Gateway in front of the example supergraph (this subgraph and examples/orders/), as an
// operator would run it: `hive-gateway supergraph supergraph.graphql -c this file`. The
// supergraph file is composed offline (`npm run supergraph`); nothing here reaches a registry.
//
// EXECUTIONS_ROUTER_SECRET: the executions subgraph's ROUTER_SECRET, sent as
// `router-authorization` on every HTTP request and in the WebSocket `connection_init` payload.

/** The header that names whose Refold executions a request may read. */
const REFOLD_HEADER = 'x-refold-linked-account-id';

export const gatewayConfig = defineConfig({
  // Not 'debug', and not left to LOG_LEVEL: at debug Hive Gateway logs every subgraph request
  // with its headers and every WebSocket's connection params, the secret and the customer too.
  logging: 'info',
  // `@defer` and `@stream` answered as multipart/mixed: the gateway plans the deferred part as
  // its own subgraph fetch, so a slow field does not hold back the rest.
  deferStream: true,
  // Only the Refold header reaches the executions subgraph, and no other client header.
  // In production it must come from your authentication, not from the client: set it from the
  // signed-in user's token in a plugin (and drop a client-sent one) before it is passed on.
  propagateHeaders: {
    // `context.headers`: the request's headers, and for a client on WebSocket its
    // `connection_init` payload too.
    fromClientToSubgraphs({ context, subgraphName }) {
      if (subgraphName !== 'executions') return undefined;
      return { [REFOLD_HEADER]: context.headers[REFOLD_HEADER] };
    },
  },
  transportEntries: {
    executions: {
      headers: [['router-authorization', '{env.EXECUTIONS_ROUTER_SECRET}']],
      options: {
        // Subscriptions go to the subgraph over WebSocket (graphql-transport-ws) on /graphql,
        // one socket per distinct set of connection params, so one per Refold customer.
        subscriptions: {
          kind: 'ws',
          location: '/graphql',
          options: {
            connectionParams: {
              'router-authorization': '{env.EXECUTIONS_ROUTER_SECRET}',
              [REFOLD_HEADER]: `{context.headers.${REFOLD_HEADER}}`,
            },
          },
        },
      },
    },
  },
});
