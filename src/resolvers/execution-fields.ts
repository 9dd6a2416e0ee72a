import type { Context } from '../graphql/context.js';
import type {
  ExecutionError,
  ExecutionProvider,
  ExecutionState,
  ResolversInterfaceTypes,
  ResolversTypes,
} from '../__generated__/resolvers-types.js';
import { ApiError } from '../errors.js';
import { refOf } from '../graphql/loaders.js';
import { secondsBetween, toDateTime } from '../time.js';

/** Any raw execution, whichever provider it came from. */
export type AnyExecution = ResolversInterfaceTypes<ResolversTypes>['Execution'];

/** Loads an execution by global id through the request's loaders. */
export function loadExecution(context: Context, id: string): Promise<AnyExecution> {
  return context.executions.load(id) as Promise<AnyExecution>;
}

const TERMINAL: ReadonlySet<ExecutionState> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** How one provider's raw execution feeds the `Execution` interface fields. */
export interface ExecutionMapping<Raw> {
  /** The GraphQL type, checked on entity references. */
  typename: string;
  /** Lower-case provider status to state; anything else is UNKNOWN. */
  states: Readonly<Record<string, ExecutionState>>;
  status(raw: Raw): string | null | undefined;
  startedAt(raw: Raw): string | null | undefined;
  endedAt(raw: Raw): string | null | undefined;
  /** Default: `endedAt - startedAt`. */
  durationSeconds?(raw: Raw): number | null;
  /** Default: none reported. */
  error?(raw: Raw): ExecutionError | null;
}

export function stateOf(
  states: Readonly<Record<string, ExecutionState>>,
  status: string | null | undefined,
): ExecutionState {
  return (status && states[status.trim().toLowerCase()]) || 'UNKNOWN';
}

/** The `Execution` interface fields and the entity reference resolver of one implementing type. */
export function executionFields<Raw extends object>(mapping: ExecutionMapping<Raw>) {
  const state = (raw: Raw) => stateOf(mapping.states, mapping.status(raw));
  return {
    __resolveReference: async (reference: { id: string }, context: Context): Promise<Raw> => {
      const execution = await loadExecution(context, reference.id);
      if (refOf(execution).typename !== mapping.typename) {
        throw new ApiError(
          `Execution id "${reference.id}" is a ${refOf(execution).typename}, not a ${mapping.typename}.`,
          { code: 'BAD_USER_INPUT' },
        );
      }
      return execution as unknown as Raw;
    },
    id: (raw: Raw) => refOf(raw).id,
    nativeId: (raw: Raw) => refOf(raw).nativeId,
    provider: (raw: Raw) => refOf(raw).name as ExecutionProvider,
    state,
    providerStatus: (raw: Raw) => mapping.status(raw) ?? null,
    isTerminal: (raw: Raw) => TERMINAL.has(state(raw)),
    startedAt: (raw: Raw) => toDateTime(mapping.startedAt(raw)),
    endedAt: (raw: Raw) => toDateTime(mapping.endedAt(raw)),
    durationSeconds: (raw: Raw) =>
      mapping.durationSeconds
        ? mapping.durationSeconds(raw)
        : secondsBetween(mapping.startedAt(raw), mapping.endedAt(raw)),
    error: (raw: Raw) => mapping.error?.(raw) ?? null,
  };
}

export function isTerminalState(state: ExecutionState): boolean {
  return TERMINAL.has(state);
}
