import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import type { GraphQLProvider } from '../resolvers/execution-type.js';
import { printSchema } from './schema.js';

// `src/` and `dist/` sit at the same depth, so both find the example subgraph here.
const ORDERS_SDL = fileURLToPath(new URL('../../examples/orders/schema.graphql', import.meta.url));

export interface SubgraphUrls {
  /** Default `http://localhost:4000/graphql`. */
  executions?: string;
  /** Default `http://localhost:4001/graphql`. */
  orders?: string;
}

export interface SupergraphOptions extends SubgraphUrls {
  /** The executions subgraph's providers (`src/providers.ts`). */
  registry: readonly GraphQLProvider[];
  /** Default false: whether the executions subgraph has its `Mutation`. */
  mutations?: boolean;
}

export type Composition =
  | { ok: true; supergraphSdl: string; hints: string[] }
  | { ok: false; errors: string[]; hints: string[] };

/** Composes this subgraph with the example orders subgraph, as a router's supergraph would. */
export function composeSupergraph(urls: SupergraphOptions): Composition {
  const result = composeServices([
    {
      name: 'executions',
      url: urls.executions ?? 'http://localhost:4000/graphql',
      typeDefs: parse(printSchema(urls.registry, urls.mutations ?? false)),
    },
    {
      name: 'orders',
      url: urls.orders ?? 'http://localhost:4001/graphql',
      typeDefs: parse(readFileSync(ORDERS_SDL, 'utf8')),
    },
  ]);
  const hints = (result.hints ?? []).map((hint) => `${hint.definition.code}: ${hint.message}`);
  if (result.errors) return { ok: false, errors: result.errors.map((e) => e.message), hints };
  return { ok: true, supergraphSdl: result.supergraphSdl, hints };
}
