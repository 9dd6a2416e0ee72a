import type { ExecutionProvider, ExecutionResolvers } from '../__generated__/resolvers-types.js';
import { secondsBetween, toDateTime } from '../time.js';
import { canStop, isTerminalState, stateOfExecution } from './execution-type.js';

type Typename = Awaited<
  ReturnType<Extract<ExecutionResolvers['__resolveType'], (...args: never[]) => unknown>>
>;

/**
 * The fields every execution has, resolved once for all types: each provider's `ExecutionType`
 * says how its raw JSON feeds them. Implementing types inherit these resolvers; entity
 * references are resolved in `src/graphql/schema.ts`.
 */
export const Execution: ExecutionResolvers = {
  // The schema build checks every typename and enum value of the registry against the schema.
  __resolveType: ({ ref }) => ref.provider.type.typename as Typename,
  id: ({ ref }) => ref.id,
  nativeId: ({ ref }) => ref.nativeId,
  provider: ({ ref }) => ref.provider.datasource.name as ExecutionProvider,
  state: stateOfExecution,
  providerStatus: ({ ref, raw }) => ref.provider.type.status(raw) ?? null,
  isTerminal: (execution) => isTerminalState(stateOfExecution(execution)),
  canStop,
  startedAt: ({ ref, raw }) => toDateTime(ref.provider.type.startedAt(raw)),
  endedAt: ({ ref, raw }) => toDateTime(ref.provider.type.endedAt(raw)),
  durationSeconds: ({ ref: { provider }, raw }) =>
    provider.type.durationSeconds
      ? provider.type.durationSeconds(raw)
      : secondsBetween(provider.type.startedAt(raw), provider.type.endedAt(raw)),
  error: ({ ref, raw }) => ref.provider.type.error?.(raw) ?? null,
};
