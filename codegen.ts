import { readdirSync, readFileSync } from 'node:fs';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { Kind, parse } from 'graphql';

const SCHEMA = 'schema/';
const DATASOURCES = 'src/datasources/';

// Raw upstream shapes are the parents of their GraphQL types, renames happen in field resolvers,
// and the pairs are found, not listed: a datasource that exports `<GraphQL type>Raw` maps that
// type. A type that implements `Execution` gets the loaded form, `{ ref, raw }`.
const raws = new Map<string, string>();
for (const file of readdirSync(DATASOURCES).filter((name) => name.endsWith('.ts'))) {
  const source = readFileSync(DATASOURCES + file, 'utf8');
  for (const [, type] of source.matchAll(/^export type (\w+)Raw\b/gm)) {
    raws.set(type!, file.replace(/\.ts$/, '.js'));
  }
}
const executionTypes = new Set<string>();
for (const file of readdirSync(SCHEMA).filter((name) => name.endsWith('.graphql'))) {
  for (const definition of parse(readFileSync(SCHEMA + file, 'utf8')).definitions) {
    if (
      definition.kind === Kind.OBJECT_TYPE_DEFINITION &&
      definition.interfaces?.some((name) => name.name.value === 'Execution')
    ) {
      executionTypes.add(definition.name.value);
    }
  }
}
const unmapped = [...executionTypes].filter((type) => !raws.has(type));
if (unmapped.length > 0) {
  throw new Error(
    `No raw shape for ${unmapped.join(', ')}: export type <type>Raw from its datasource in ${DATASOURCES}.`,
  );
}
// A search page is the parent of the connection and of its page info.
const mappers: Record<string, string> = {
  Execution: 'LoadedExecution',
  ExecutionConnection: 'SearchPage',
  ExecutionPageInfo: 'SearchPage',
  ExecutionEdge: 'SearchEdge',
  ExecutionSearchProvider: 'ProviderReport',
  ExecutionStep: 'LoadedStep',
};
const imports = [
  "import type { LoadedExecution, LoadedStep } from '../executions/model.js';",
  "import type { ProviderReport, SearchEdge, SearchPage } from '../executions/search.js';",
];
for (const [type, file] of raws) {
  mappers[type] = executionTypes.has(type) ? `LoadedExecution<${type}Raw>` : `${type}Raw`;
  imports.push(`import type { ${type}Raw } from '../datasources/${file}';`);
}

// The client kit (client/): what a frontend needs, from the same schema. Its files are formatted
// here, as prettier would (format:check covers client/), so regenerating leaves them unchanged.
const CLIENT = 'client/';
const clientFile = { hooks: { afterOneFileWrite: ['prettier --write'] } };
const clientScalars = { DateTime: 'string', JSON: 'unknown' };

const config: CodegenConfig = {
  schema: `${SCHEMA}*.graphql`,
  generates: {
    // Apollo Client's cache matches a fragment on an interface only with these.
    [`${CLIENT}possible-types.ts`]: {
      ...clientFile,
      plugins: ['fragment-matcher'],
      config: { apolloClientVersion: 3, useExplicitTyping: true, deterministic: true },
    },
    [`${CLIENT}schema.json`]: {
      ...clientFile,
      plugins: ['introspection'],
      config: { descriptions: true },
    },
    // Typed documents of the operations in client/operations.graphql, with their result types.
    [`${CLIENT}graphql/`]: {
      ...clientFile,
      documents: [`${CLIENT}operations.graphql`],
      preset: 'client',
      presetConfig: { fragmentMasking: false, gqlTagName: 'gql' },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        emitLegacyCommonJSImports: false,
        scalars: clientScalars,
        strictScalars: true,
        // Apollo Client adds __typename to every selection; the types say so, to switch on it.
        nonOptionalTypename: true,
      },
    },
    'src/__generated__/resolvers-types.ts': {
      plugins: [{ add: { content: imports } }, 'typescript', 'typescript-resolvers'],
      config: {
        federation: true,
        useTypeImports: true,
        enumsAsTypes: true,
        useIndexSignature: false,
        // Common fields are resolved once, on the interface (src/resolvers/Execution.ts).
        addInterfaceFieldResolverTypes: true,
        contextType: '../graphql/context.js#Context',
        // Resolvers may hand the DateTime scalar a Date: it serializes it, with no second parse.
        scalars: { DateTime: { input: 'string', output: 'Date | string' }, JSON: 'unknown' },
        mappers,
      },
    },
  },
};

export default config;
