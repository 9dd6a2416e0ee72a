import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Refuses an operation whose root type the schema lacks, e.g. a mutation while mutations are off
 * (graphql-js 16 only finds that out when it executes, as an internal error). graphql-js 17 has
 * the same check as `KnownOperationTypesRule`.
 */
export const KnownOperationTypes: ValidationRule = (context) => ({
  OperationDefinition(node) {
    const kind = node.operation;
    if (context.getSchema().getRootType(kind)) return;
    context.reportError(
      new GraphQLError(
        kind === 'mutation'
          ? 'Mutations are off on this server: its start-up log says why (turn them on with ROUTER_SECRET or MUTATIONS=true).'
          : `This server does not run ${kind} operations over this route.`,
        { nodes: node },
      ),
    );
  },
});

/**
 * Refuses `__schema` and `__type` while introspection is off (`INTROSPECTION=false`), on every
 * way in, with the variable that turns it on in the message. `__typename` stays allowed.
 */
export const NoIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value !== '__schema' && node.name.value !== '__type') return;
    context.reportError(
      new GraphQLError(
        `Introspection is off on this server (INTROSPECTION=false): "${node.name.value}" cannot be queried.`,
        { nodes: node },
      ),
    );
  },
});
