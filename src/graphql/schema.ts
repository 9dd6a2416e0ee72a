import { readFileSync } from 'node:fs';
import {
  addResolversToSchema as addReferenceResolvers,
  buildSubgraphSchema,
  printSubgraphSchema,
} from '@apollo/subgraph';
import { mergeResolvers } from '@graphql-tools/merge';
import { addResolversToSchema } from '@graphql-tools/schema';
import {
  defaultFieldResolver,
  isEnumType,
  isInterfaceType,
  isObjectType,
  parse,
  visit,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { ApiError } from '../errors.js';
import type { LoadedExecution } from '../executions/model.js';
import { executionResolvers } from '../resolvers/Execution.js';
import type { GraphQLProvider } from '../resolvers/execution-type.js';
import { Mutation } from '../resolvers/Mutation.js';
import { Subscription } from '../resolvers/Subscription.js';
import { Query } from '../resolvers/Query.js';
import { SearchTypes } from '../resolvers/Search.js';
import { ExecutionStep } from '../resolvers/ExecutionStep.js';
import { DateTimeScalar, JSONScalar } from '../resolvers/scalars.js';
import type { Context } from './context.js';

// `src/graphql/` and the built `dist/graphql/` sit at the same depth, so both find `schema/` here.
const SCHEMA_DIR = new URL('../../schema/', import.meta.url);
const COMMON = new URL('execution.graphql', SCHEMA_DIR);
const MUTATION = new URL('mutation.graphql', SCHEMA_DIR);
const SUBSCRIPTION = new URL('subscription.graphql', SCHEMA_DIR);

/** Where a provider's schema file is: its own `schema`, else `schema/<key>.graphql`. */
function schemaFileOf(provider: GraphQLProvider): URL {
  return provider.schema ?? new URL(`${provider.datasource.key}.graphql`, SCHEMA_DIR);
}

/**
 * The subgraph schema of `registry`'s providers: `schema/execution.graphql` (the interface, its
 * enums, scalars and root fields) and each provider's schema file, with the common resolvers
 * and each provider's. Implementing types inherit the interface's field resolvers. Throws, naming
 * the provider and what to fix, when the registry and the schema disagree.
 */
export function buildSchema(
  registry: readonly GraphQLProvider[],
  /** Default false: whether `Mutation` (stopping) is in the schema at all. */
  mutations = false,
): GraphQLSchema {
  const files = [
    COMMON,
    SUBSCRIPTION,
    ...(mutations ? [MUTATION] : []),
    ...registry.map(schemaFileOf),
  ];
  const schema = buildSubgraphSchema(
    files.map((file) => ({ typeDefs: asParagraphs(parse(readFileSync(file, 'utf8'))) })),
  );
  checkRegistry(schema, registry);
  const resolvers = mergeResolvers([
    {
      Query,
      Subscription,
      Execution: executionResolvers(registry),
      ...SearchTypes,
      ExecutionStep,
      DateTime: DateTimeScalar,
      JSON: JSONScalar,
    },
    ...(mutations ? [{ Mutation }] : []),
    ...registry.map(({ type }) => type.resolvers),
  ]);
  const executable = addResolversToSchema({
    schema,
    resolvers,
    inheritResolversFromInterfaces: true,
    resolverValidationOptions: { requireResolversToMatchSchema: 'error' },
  });
  for (const { type } of registry) loadBeyondListFields(executable, type);
  const typenames = new Map(
    registry.map(({ datasource, type }) => [datasource.key, type.typename]),
  );
  // graphql-tools knows nothing of federation's reference resolvers: @apollo/subgraph records them.
  addReferenceResolvers(executable, {
    Execution: {
      __resolveReference: (reference: { id: string }, context: Context) =>
        context.executions.load(reference.id),
    },
    ...Object.fromEntries(
      registry.map(({ type }) => [
        type.typename,
        { __resolveReference: referenceOf(type.typename, typenames) },
      ]),
    ),
  });
  return executable;
}

/** The subgraph SDL as supergraph tooling (`rover`, `@apollo/composition`) expects it. */
export function printSchema(registry: readonly GraphQLProvider[], mutations = false): string {
  return printSubgraphSchema(buildSchema(registry, mutations));
}

/**
 * Descriptions as paragraphs: the schema files wrap their text at 100 columns, and GraphiQL's docs
 * pane would keep those breaks mid-sentence. A blank line still starts a new paragraph.
 */
function asParagraphs(document: DocumentNode): DocumentNode {
  return visit(document, {
    StringValue(node) {
      if (!node.block) return undefined;
      return { ...node, value: node.value.replace(/([^\n])\n(?=[^\n])/g, '$1 ') };
    },
  });
}

/** Every provider's type implements `Execution`, and its name is an `ExecutionProvider` value. */
function checkRegistry(schema: GraphQLSchema, registry: readonly GraphQLProvider[]): void {
  const enumType = schema.getType('ExecutionProvider');
  const execution = schema.getType('Execution');
  if (!isEnumType(enumType) || !isInterfaceType(execution)) {
    throw new Error(
      `${COMMON.pathname} must define enum ExecutionProvider and interface Execution.`,
    );
  }
  for (const provider of registry) {
    const { key, name } = provider.datasource;
    const { typename } = provider.type;
    const file = schemaFileOf(provider).pathname;
    if (!enumType.getValue(name)) {
      throw new Error(
        `Provider "${key}": the ExecutionProvider enum has no value ${name}; add "extend enum ExecutionProvider { ${name} }" to ${file}.`,
      );
    }
    const type = schema.getType(typename);
    if (!isObjectType(type) || !type.getInterfaces().includes(execution)) {
      throw new Error(
        `Provider "${key}": ${file} must define type ${typename} implementing Execution.`,
      );
    }
  }
}

/**
 * A listed execution (a search's list item, `listed`) answers the fields of its type's
 * `listFields` from the item; any other field first loads the execution by id, through the
 * request's loader (once per id), and answers from that.
 */
function loadBeyondListFields(schema: GraphQLSchema, type: GraphQLProvider['type']): void {
  const { listFields } = type;
  const object = schema.getType(type.typename);
  if (!listFields || !isObjectType(object)) return;
  const held = new Set(listFields);
  for (const field of Object.values(object.getFields())) {
    if (held.has(field.name)) continue;
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (parent: LoadedExecution, args, context: Context, info) => {
      if (!parent.listed) return resolve(parent, args, context, info);
      return context.executions
        .loadFrom(parent.ref.provider, parent.ref.nativeId)
        .then((execution) => resolve(execution, args, context, info));
    };
  }
}

/** An entity reference by a concrete type's name must name an execution of that type. */
function referenceOf(typename: string, typenames: ReadonlyMap<string, string>) {
  return async (reference: { id: string }, context: Context): Promise<LoadedExecution> => {
    const execution = await context.executions.load(reference.id);
    const actual = typenames.get(execution.ref.provider.datasource.key);
    if (actual !== typename) {
      throw new ApiError(`Execution id "${reference.id}" is a ${actual}, not a ${typename}.`, {
        code: 'BAD_USER_INPUT',
      });
    }
    return execution;
  };
}
