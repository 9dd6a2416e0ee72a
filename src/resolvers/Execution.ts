import type { ExecutionProvider, ExecutionResolvers } from '../__generated__/resolvers-types.js';
import { secondsBetween, toDateTime } from '../time.js';
import { canRerun, canStop, isTerminalState, stateOfExecution } from '../executions/model.js';
import type { GraphQLProvider } from './execution-type.js';

type Typename = Awaited<
  ReturnType<Extract<ExecutionResolvers['__resolveType'], (...args: never[]) => unknown>>
>;

const common: Omit<ExecutionResolvers, '__resolveType'> = {
  id: ({ ref }) => ref.id,
  nativeId: ({ ref }) => ref.nativeId,
  provider: ({ ref }) => ref.provider.datasource.name as ExecutionProvider,
  state: stateOfExecution,
  providerStatus: ({ ref, raw }) => ref.provider.type.status(raw) ?? null,
  isTerminal: (execution) => isTerminalState(stateOfExecution(execution)),
  canStop,
  startedAt: ({ ref, raw }) => toDateTime(ref.provider.type.startedAt(raw)),
  endedAt: ({ ref, raw }) => toDateTime(ref.provider.type.endedAt(raw)),
  createdAt: ({ ref: { provider }, raw }) =>
    toDateTime((provider.type.createdAt ?? provider.type.startedAt)(raw)),
  durationSeconds: ({ ref: { provider }, raw }) =>
    provider.type.durationSeconds
      ? provider.type.durationSeconds(raw)
      : secondsBetween(provider.type.startedAt(raw), provider.type.endedAt(raw)),
  error: ({ ref, raw }) => ref.provider.type.error?.(raw) ?? null,
  steps: (execution, _, context) => context.executions.steps(execution),
  canRerun,
};

/**
 * The fields every execution has, resolved once for all types of `registry`: each provider's
 * `ExecutionType` says how its raw JSON feeds them. Implementing types inherit these resolvers;
 * entity references are resolved in `src/graphql/schema.ts`.
 */
export function executionResolvers(registry: readonly GraphQLProvider[]): ExecutionResolvers {
  const typenames = new Map(
    registry.map(({ datasource, type }) => [datasource.key, type.typename as Typename]),
  );
  return {
    // The schema build checks every typename and enum value of the registry against the schema.
    __resolveType: ({ ref }) => typenames.get(ref.provider.datasource.key)!,
    ...common,
  };
}
