import type { Datasource } from '../datasources/datasource.js';
import { globalId } from './ids.js';

/** The provider-independent lifecycle state of an execution (docs/states.md). */
export type ExecutionState =
  'PENDING' | 'RUNNING' | 'WAITING' | 'STOPPING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'UNKNOWN';

/** What a provider reports as an execution's failure. */
export interface ExecutionFailure {
  message: string;
  code: string | null;
}

/**
 * What a provider's raw JSON means, whatever reads it: its status and the state table that maps
 * it, its start and end, its duration and its error. Each provider's resolver file defines its
 * model with its GraphQL type (`defineExecutionType`).
 */
export interface ExecutionModel<Raw> {
  /** Lower-case provider status to state; anything else is UNKNOWN. */
  states: Readonly<Record<string, ExecutionState>>;
  status(raw: Raw): string | null | undefined;
  startedAt(raw: Raw): string | null | undefined;
  endedAt(raw: Raw): string | null | undefined;
  /** Default `startedAt`: when the provider accepted it, where the provider keeps that. */
  createdAt?(raw: Raw): string | null | undefined;
  /** Default none: the provider's own id of the workflow an execution runs, for search filters. */
  workflowId?(raw: Raw): string | null | undefined;
  /** Default: `endedAt - startedAt`. */
  durationSeconds?(raw: Raw): number | null;
  /** Default: none reported. */
  error?(raw: Raw): ExecutionFailure | null;
  /** Default none: what the provider's steps mean, where it has a steps call. */
  steps?: StepModel<never>;
}

/**
 * What a provider's JSON of one step means (docs/steps.md): its name, its status and the step
 * table that maps it, its times and its error. Each provider's resolver file defines it.
 */
export interface StepModel<Step = never> {
  /** Lower-case step status to state; anything else is UNKNOWN. */
  states: Readonly<Record<string, ExecutionState>>;
  name(step: Step): string;
  status(step: Step): string | null | undefined;
  startedAt(step: Step): string | null | undefined;
  /** Default none. */
  endedAt?(step: Step): string | null | undefined;
  /** Default: `endedAt - startedAt`. */
  durationSeconds?(step: Step): number | null;
  /** Default none. */
  attempts?(step: Step): number | null | undefined;
  /** Default: none reported. */
  error?(step: Step): ExecutionFailure | null;
}

/** One step of a loaded execution: the provider's JSON of it, and what it means. */
export interface LoadedStep {
  readonly model: StepModel<unknown>;
  readonly raw: unknown;
}

/** One provider as the domain sees it: its REST API, and what its executions' JSON means. */
export interface Provider<Raw = unknown> {
  readonly datasource: Datasource<Raw>;
  readonly type: ExecutionModel<Raw>;
}

/** Where a loaded execution came from: its provider and the native id it was asked for by. */
export interface ExecutionRef<Raw = unknown> {
  readonly provider: Provider<Raw>;
  readonly nativeId: string;
  /** The global id, `<provider key>:<native id>`. */
  readonly id: string;
}

/** An execution as a resolver's parent: where it came from, and the provider's JSON as sent. */
export interface LoadedExecution<Raw = unknown> {
  readonly ref: ExecutionRef<Raw>;
  /**
   * The provider's JSON of the execution; with `listed`, its list item, which holds fewer
   * fields (the ones its type's `listFields` answer).
   */
  readonly raw: Raw;
  /** Default false: true when `raw` is a list item, not the whole execution (docs/search.md). */
  readonly listed?: boolean;
}

const TERMINAL: ReadonlySet<ExecutionState> = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/** The state `status` maps to in `states` (case-insensitive); UNKNOWN when it maps to none. */
export function stateOf(
  states: Readonly<Record<string, ExecutionState>>,
  status: string | null | undefined,
): ExecutionState {
  return (status && states[status.trim().toLowerCase()]) || 'UNKNOWN';
}

/** SUCCEEDED, FAILED and CANCELLED: an execution there no longer changes at its provider. */
export function isTerminalState(state: ExecutionState): boolean {
  return TERMINAL.has(state);
}

/** A loaded execution's state, by its provider's table. */
export function stateOfExecution({ ref, raw }: LoadedExecution): ExecutionState {
  return stateOf(ref.provider.type.states, ref.provider.type.status(raw));
}

/** Whether a loaded execution has finished: it is kept in the cache and watched no longer. */
export function isFinished(execution: LoadedExecution): boolean {
  return isTerminalState(stateOfExecution(execution));
}

/**
 * Whether stopping `execution` would make a stop call (docs/stopping.md): it has not finished,
 * its provider has a stop call, and the provider offers it for this execution.
 */
export function canStop(execution: LoadedExecution): boolean {
  const stop = execution.ref.provider.datasource.stop;
  if (!stop || isFinished(execution)) return false;
  return stop.offered ? stop.offered(execution.raw) : true;
}

/**
 * Whether rerunning `execution` would make a start call (docs/rerun.md): it has finished, its
 * provider has a way to start it again, and the execution holds what that needs.
 */
export function canRerun(execution: LoadedExecution): boolean {
  const rerun = execution.ref.provider.datasource.rerun;
  if (!rerun || !isFinished(execution)) return false;
  return rerun.offered ? rerun.offered(execution.raw) : true;
}

/** The loaded execution `raw` of `provider`'s native id `nativeId`. */
export function loadedExecution<Raw>(
  provider: Provider<Raw>,
  nativeId: string,
  raw: Raw,
): LoadedExecution<Raw> {
  return { ref: { provider, nativeId, id: globalId(provider.datasource.key, nativeId) }, raw };
}
