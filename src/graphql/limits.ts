import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import { getVariableValues } from 'graphql';

/**
 * Depth, alias, cost and directive limits from graphql-armor (the maintained rules for them),
 * with the limit in each refusal's message. Introspection is not counted, so GraphiQL keeps
 * working. Tokens are limited by graphql-js's own parser (`parseOptions.maxTokens`): armor's Apollo
 * token plugin throws without an HTTP status, which Apollo answers with 500.
 */
export function queryShapeLimits(limits: { depth: number; aliases: number; cost: number }) {
  return new ApolloArmor({
    maxDepth: { n: limits.depth, ignoreIntrospection: true, exposeLimits: true },
    maxAliases: { n: limits.aliases, exposeLimits: true },
    maxTokens: { enabled: false },
    costLimit: { maxCost: limits.cost, ignoreIntrospection: true, exposeLimits: true },
    maxDirectives: { n: 50, exposeLimits: true },
    // The schema is public (introspection, GraphiQL): suggestions help and hide nothing.
    blockFieldSuggestion: { enabled: false },
  }).protect();
}

/**
 * Root fields that answer several executions, and the argument that says how many: a list of
 * them, or (`searchExecutions`) a count.
 */
const LIST_ARGUMENTS: ReadonlyMap<string, string> = new Map([
  ['executions', 'ids'],
  ['_entities', 'representations'],
  ['stopExecutions', 'ids'],
  ['executionsUpdated', 'ids'],
  ['searchExecutions', 'first'],
]);

/** An operation whose ids are counted, with the variables the request sent. */
export interface IdLimitInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  variables: Readonly<Record<string, unknown>>;
}

/**
 * `BAD_USER_INPUT` (HTTP 400) for an operation whose root fields ask for more than `max` ids in
 * all (`executions(ids)`, `_entities(representations)`, `stopExecutions(ids)`,
 * `executionsUpdated(ids)` and `searchExecutions(first)`, every alias counted, variable defaults applied), else undefined. Checked before any resolver runs. Variables that do not coerce are
 * left to execution, which reports them.
 */
export function idLimitError(input: IdLimitInput, max: number): GraphQLError | undefined {
  const { schema, operation, fragments } = input;
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], input.variables);
  if (variables.errors) return undefined;
  const count = requestedIds(schema, operation, fragments, variables.coerced);
  if (count <= max) return undefined;
  return new GraphQLError(
    `This request asks for ${count} executions; at most ${max} are allowed per request (MAX_IDS_PER_REQUEST). Split it into smaller requests.`,
    { extensions: { code: 'BAD_USER_INPUT', limit: max, http: { status: 400 } } },
  );
}

/** How many ids an operation's root fields ask for, every alias counted. */
function requestedIds(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): number {
  const fields = schema.getRootType(operation.operation)?.getFields() ?? {};
  let count = 0;
  forEachRootField(operation.selectionSet, fragments, (field) => {
    const argument = LIST_ARGUMENTS.get(field.name.value);
    const definition = fields[field.name.value];
    if (!argument || !definition) return;
    const value = getArgumentValues(definition, field, variables)[argument];
    if (Array.isArray(value)) count += value.length;
    else if (typeof value === 'number' && value > 0) count += value;
  });
  return count;
}

/** Whether an operation has a root field that takes a list of ids, so needs `requestedIds`. */
export function asksForIdLists(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): boolean {
  let found = false;
  forEachRootField(operation.selectionSet, fragments, (field) => {
    if (LIST_ARGUMENTS.has(field.name.value)) found = true;
  });
  return found;
}

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) {
      fragments.set(definition.name.value, definition);
    }
  }
  return fragments;
}

function forEachRootField(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  visit: (field: FieldNode) => void,
  seen = new Set<string>(),
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      visit(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      forEachRootField(selection.selectionSet, fragments, visit, seen);
    } else {
      const fragment = fragments.get(selection.name.value);
      // Validation has already refused fragment cycles; `seen` only guards against spreading one twice.
      if (fragment && !seen.has(fragment.name.value)) {
        seen.add(fragment.name.value);
        forEachRootField(fragment.selectionSet, fragments, visit, seen);
      }
    }
  }
}

/** graphql-js's refusal of a document over `parseOptions.maxTokens` (its message says "tha[nt]"). */
export function isTokenLimitError(message: string): boolean {
  return /^Syntax Error: Document contains more tha[nt] \d+ tokens\./.test(message);
}
