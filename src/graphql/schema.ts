import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { resolversBySchemaFile } from '../resolvers/index.js';

// `src/graphql/` and the built `dist/graphql/` sit at the same depth, so both find `schema/` here.
const SCHEMA_DIR = fileURLToPath(new URL('../../schema/', import.meta.url));

/** The subgraph schema: each `schema/<name>.graphql` with the resolvers registered for it. */
export function buildSchema(): GraphQLSchema {
  const files = readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort();
  const names = files.map((file) => file.replace(/\.graphql$/, ''));
  const unpaired = [
    ...names.filter((name) => !(name in resolversBySchemaFile)),
    ...Object.keys(resolversBySchemaFile).filter((name) => !names.includes(name)),
  ];
  if (unpaired.length > 0) {
    throw new Error(
      `Schema files and resolver modules must pair up by name; unpaired: ${unpaired.join(', ')} (see src/resolvers/index.ts).`,
    );
  }
  return buildSubgraphSchema(
    files.map((file, index) => ({
      typeDefs: parse(readFileSync(SCHEMA_DIR + file, 'utf8')),
      resolvers: resolversBySchemaFile[names[index]!],
    })),
  );
}

/** The subgraph SDL as supergraph tooling (`rover`, `@apollo/composition`) expects it. */
export function printSchema(): string {
  return printSubgraphSchema(buildSchema());
}
