import type { GraphQLError } from 'graphql';
import type { ExecutionLoaders } from '../executions/loaders.js';
import type { ExecutionSearch } from '../executions/search.js';
import type { Watcher } from '../executions/watch/watcher.js';
import type { RequestTrace } from '../telemetry/tracing-hooks.js';

/** What every resolver gets, built fresh for each GraphQL request. */
export interface Context {
  /** This request's id: the incoming `x-request-id` when usable, else a new UUID. */
  requestId: string;
  executions: ExecutionLoaders;
  /** `searchExecutions` over the process's providers. */
  search: ExecutionSearch;
  /**
   * Errors a resolver reports besides its answer (a search's failed provider): the response
   * carries them after graphql-js's own.
   */
  reported: GraphQLError[];
  /** The process's live-status pollers, for subscriptions. */
  watcher: Watcher;
  /** An incoming request header by lower-case name. */
  header(name: string): string | undefined;
  /**
   * With tracing on, the trace of the request or operation (its span): the steps run in it
   * and the record ends there. Undefined with tracing off, or when it is not traced.
   */
  trace?: RequestTrace;
}
