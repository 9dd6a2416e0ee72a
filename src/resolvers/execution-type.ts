import type { ExecutionError, ExecutionState } from '../__generated__/resolvers-types.js';
import type { LoadedExecution } from '../graphql/loaders.js';

/**
 * Resolvers of one schema file's types, by type: each typed by its generated `<Type>Resolvers`
 * where it is written, and checked against the schema when the schema is built.
 */
export type ResolverMap = Readonly<Record<string, object>>;

/**
 * How one provider's executions appear in GraphQL: the type of its schema file that implements
 * `Execution`, how its raw JSON feeds the interface's fields (resolved once, on the interface),
 * and the resolvers of its own fields and types.
 */
export interface ExecutionType<Raw> {
  /** The GraphQL type, as its schema file names it. */
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
  /** The type's own fields in GraphiQL's example query, e.g. `output stopLink { href }`. */
  example: string;
  /** Resolvers of the schema file's types: the execution type's own fields and helper types. */
  resolvers: ResolverMap;
}

export function defineExecutionType<Raw>(type: ExecutionType<Raw>): ExecutionType<Raw> {
  return type;
}

const TERMINAL: ReadonlySet<ExecutionState> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export function stateOf(
  states: Readonly<Record<string, ExecutionState>>,
  status: string | null | undefined,
): ExecutionState {
  return (status && states[status.trim().toLowerCase()]) || 'UNKNOWN';
}

export function isTerminalState(state: ExecutionState): boolean {
  return TERMINAL.has(state);
}

/** A loaded execution's state, by its provider's table. */
export function stateOfExecution({ ref, raw }: LoadedExecution): ExecutionState {
  return stateOf(ref.provider.type.states, ref.provider.type.status(raw));
}

/**
 * Whether stopping `execution` would make a stop call (SPEC section 6): it has not finished, its
 * provider has a stop call, and the provider offers it for this execution.
 */
export function canStop(execution: LoadedExecution): boolean {
  const stop = execution.ref.provider.datasource.stop;
  if (!stop || isTerminalState(stateOfExecution(execution))) return false;
  return stop.offered ? stop.offered(execution.raw) : true;
}
