import type { ExecutionModel, Provider } from '../executions/model.js';

/**
 * Resolvers of one schema file's types, by type: each typed by its generated `<Type>Resolvers`
 * where it is written, and checked against the schema when the schema is built.
 */
export type ResolverMap = Readonly<Record<string, object>>;

/**
 * How one provider's executions appear in GraphQL: what its raw JSON means (the `ExecutionModel`
 * that feeds the interface's fields, resolved once, on the interface), the type of its schema
 * file that implements `Execution`, and the resolvers of its own fields and types.
 */
export interface ExecutionType<Raw> extends ExecutionModel<Raw> {
  /** The GraphQL type, as its schema file names it. */
  typename: string;
  /** The type's own fields in GraphiQL's example query, e.g. `output stopLink { href }`. */
  example: string;
  /**
   * Default all: the fields of the GraphQL type a list item of the provider answers
   * (`searchExecutions`); any other field of a listed execution loads it by id first. A provider
   * whose list answers whole executions needs none.
   */
  listFields?: readonly string[];
  /** Resolvers of the schema file's types: the execution type's own fields and helper types. */
  resolvers: ResolverMap;
}

/**
 * What any list item answers: its id and provider, and the state with what follows from it alone
 * (`canStop` needs no more where the provider offers a stop by state).
 */
export const COMMON_LIST_FIELDS: readonly string[] = [
  '__typename',
  'id',
  'nativeId',
  'provider',
  'state',
  'providerStatus',
  'isTerminal',
  'canStop',
  'canRerun',
  // The steps load the whole execution first where they need it.
  'steps',
];

export function defineExecutionType<Raw>(type: ExecutionType<Raw>): ExecutionType<Raw> {
  return type;
}

/** A provider as the schema is built from it: its GraphQL type and schema file too. */
export interface GraphQLProvider<Raw = unknown> extends Provider<Raw> {
  readonly type: ExecutionType<Raw>;
  /** Default `schema/<key>.graphql`: the provider's type and its `ExecutionProvider` value. */
  readonly schema?: URL;
}
