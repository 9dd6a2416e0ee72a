import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { OperationTypeNode } from 'graphql';
import { createClient } from 'graphql-ws';
import possibleTypesResult from '../../../client/possible-types.js';

/** Where operations go: the subgraph in development (CORS_ORIGINS), else the gateway's /graphql. */
export const GRAPHQL_URL = new URL(
  import.meta.env.VITE_GRAPHQL_URL || '/graphql',
  window.location.href,
).toString();

/** Development only: headers a gateway would set, such as the Refold customer of the user. */
const HEADERS: Record<string, string> = JSON.parse(import.meta.env.VITE_GRAPHQL_HEADERS || '{}');

export function createApolloClient(): ApolloClient {
  const http = new HttpLink({ uri: GRAPHQL_URL, headers: HEADERS });
  const ws = new GraphQLWsLink(
    createClient({
      url: GRAPHQL_URL.replace(/^http/, 'ws'),
      connectionParams: HEADERS,
      lazy: true,
      retryAttempts: 5,
    }),
  );
  return new ApolloClient({
    link: ApolloLink.split(
      ({ operationType }) => operationType === OperationTypeNode.SUBSCRIPTION,
      ws,
      http,
    ),
    // Without possibleTypes the cache cannot match a fragment on the Execution interface.
    cache: new InMemoryCache({ possibleTypes: possibleTypesResult.possibleTypes }),
  });
}
