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
const mappers: Record<string, string> = { Execution: 'LoadedExecution' };
const imports = ["import type { LoadedExecution } from '../graphql/loaders.js';"];
for (const [type, file] of raws) {
  mappers[type] = executionTypes.has(type) ? `LoadedExecution<${type}Raw>` : `${type}Raw`;
  imports.push(`import type { ${type}Raw } from '../datasources/${file}';`);
}

const config: CodegenConfig = {
  schema: `${SCHEMA}*.graphql`,
  generates: {
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
